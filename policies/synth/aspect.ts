import { TerraformProvider, TerraformStack, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { policyContextOf } from "../context";
import { evaluatePolicies } from "../pack";
import { RULES } from "../rules";
import { defaultTagsOf } from "../rules/required-tags";
import type { PolicyRule, ResourceView, Violation } from "../types";

type Block = Record<string, unknown>;
type StackJson = {
  resource?: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
  provider?: Record<string, Block[]>;
};

/** The construct path cdktf records in a block's "//" metadata. */
function pathOf(block: Block): string | undefined {
  return (block["//"] as { metadata?: { path?: string } } | undefined)?.metadata?.path;
}

/**
 * The synth-time views of one stack, read from the JSON the stack synthesized: resolved once by cdktf
 * itself, so judging it costs no second token resolution. `providerPaths` maps `<type>` or
 * `<type>.<alias>` to the provider construct's path.
 */
export function synthViews(json: StackJson, providerPaths: ReadonlyMap<string, string>): ResourceView[] {
  const views: ResourceView[] = [];
  const providerTags = new Map<string, Readonly<Record<string, unknown>> | undefined>();
  for (const [type, blocks] of Object.entries(json.provider ?? {})) {
    for (const values of blocks) {
      const key = values.alias ? `${type}.${String(values.alias)}` : type;
      providerTags.set(key, defaultTagsOf(values));
      views.push({
        stage: "synth",
        kind: "provider",
        type,
        path: providerPaths.get(key) ?? `provider.${key}`,
        values,
        unknown: new Set(),
      });
    }
  }
  for (const kind of ["resource", "data"] as const) {
    for (const [type, byId] of Object.entries(json[kind] ?? {})) {
      for (const [id, block] of Object.entries(byId)) {
        const values = Object.fromEntries(Object.entries(block).filter(([key]) => key !== "//"));
        const lifecycle = (values.lifecycle ?? {}) as Block;
        const provider = typeof values.provider === "string" ? values.provider : type.split("_")[0];
        views.push({
          stage: "synth",
          kind,
          type,
          path: pathOf(block) ?? `${kind === "data" ? "data." : ""}${type}.${id}`,
          address: `${kind === "data" ? "data." : ""}${type}.${id}`,
          values,
          unknown: new Set(),
          preventDestroy: lifecycle.prevent_destroy === true,
          comment: (block["//"] ?? undefined) as Readonly<Record<string, unknown>> | undefined,
          providerDefaultTags: providerTags.get(provider),
        });
      }
    }
  }
  return views;
}

/**
 * The policy pack as a cdktf aspect. Visiting a stack hooks its synthesis: when cdktf renders the stack's
 * JSON, every resource, data source and provider in it is judged against the stack's policy context, and
 * violations collect in `violations` (applyPolicies throws them, with construct paths, once all stacks
 * are synthesized).
 */
export class PolicyAspect implements IAspect {
  readonly violations: Violation[] = [];
  private readonly hooked = new WeakSet<TerraformStack>();

  constructor(private readonly rules: readonly PolicyRule[] = RULES) {}

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || this.hooked.has(node)) return;
    const stack = node;
    const context = policyContextOf(stack);
    if (!context) return;
    this.hooked.add(stack);
    const render = stack.toTerraform.bind(stack);
    let judged = false;
    stack.toTerraform = () => {
      const json = render();
      if (!judged) {
        judged = true;
        const providerPaths = new Map<string, string>();
        for (const child of stack.node.findAll()) {
          if (TerraformProvider.isTerraformProvider(child)) {
            const key = child.alias
              ? `${child.terraformResourceType}.${child.alias}`
              : child.terraformResourceType;
            providerPaths.set(key, child.node.path);
          }
        }
        this.violations.push(
          ...evaluatePolicies(synthViews(json as StackJson, providerPaths), context, this.rules),
        );
      }
      return json;
    };
  }
}
