import {
  DefaultTokenResolver,
  StringConcat,
  TerraformDataSource,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Tokenization,
  type IAspect,
} from "cdktf";
import type { IConstruct } from "constructs";
import { policyContextOf } from "../context";
import { evaluatePolicies } from "../pack";
import { RULES } from "../rules";
import { defaultTagsOf } from "../rules/required-tags";
import type { PolicyRule, ResourceView, Violation } from "../types";

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** Resolves tokens the way synthesis does: references become `${...}` strings. */
function resolved(stack: TerraformStack, value: unknown): Record<string, unknown> {
  return Tokenization.resolve(value, { scope: stack, preparing: false, resolver: RESOLVER }) ?? {};
}

/** The one block inside `{ resource: { <type>: { <id>: block } } }` (or `data`, or `provider: {<type>: [block]}`). */
function onlyBlock(json: Record<string, unknown>, section: string): Record<string, unknown> {
  const byType = (json[section] ?? {}) as Record<string, unknown>;
  const byId = Object.values(byType)[0];
  const block = Array.isArray(byId) ? byId[0] : Object.values((byId ?? {}) as Record<string, unknown>)[0];
  return (block ?? {}) as Record<string, unknown>;
}

const providerTags = new WeakMap<TerraformProvider, Record<string, unknown> | undefined>();
const defaultProviders = new WeakMap<TerraformStack, Map<string, TerraformProvider>>();

function providerView(provider: TerraformProvider, stack: TerraformStack): ResourceView {
  const values = onlyBlock(resolved(stack, provider.toTerraform()), "provider");
  return {
    stage: "synth",
    kind: "provider",
    type: provider.terraformResourceType,
    path: provider.node.path,
    values,
    unknown: new Set(),
  };
}

function tagsOfProvider(provider: TerraformProvider | undefined, stack: TerraformStack) {
  if (!provider) return undefined;
  if (!providerTags.has(provider))
    providerTags.set(provider, defaultTagsOf(providerView(provider, stack).values));
  return providerTags.get(provider);
}

/** The provider an element without an explicit `provider` uses: the stack's unaliased one of its type. */
function defaultProvider(stack: TerraformStack, type: string): TerraformProvider | undefined {
  let byType = defaultProviders.get(stack);
  if (!byType) {
    byType = new Map();
    for (const node of stack.node.findAll()) {
      if (
        TerraformProvider.isTerraformProvider(node) &&
        !node.alias &&
        !byType.has(node.terraformResourceType)
      )
        byType.set(node.terraformResourceType, node);
    }
    defaultProviders.set(stack, byType);
  }
  return byType.get(type);
}

/** The synth-time view of a construct, or undefined for constructs no rule looks at. */
export function synthView(node: IConstruct): ResourceView | undefined {
  const isResource = TerraformResource.isTerraformResource(node);
  const isData = !isResource && TerraformDataSource.isTerraformDataSource(node);
  if (TerraformProvider.isTerraformProvider(node)) return providerView(node, TerraformStack.of(node));
  if (!isResource && !isData) return undefined;
  const stack = TerraformStack.of(node);
  const block = onlyBlock(resolved(stack, node.toTerraform()), isResource ? "resource" : "data");
  const lifecycle = (block.lifecycle ?? {}) as Record<string, unknown>;
  const providerName =
    node.terraformGeneratorMetadata?.providerName ?? node.terraformResourceType.split("_")[0];
  return {
    stage: "synth",
    kind: isResource ? "resource" : "data",
    type: node.terraformResourceType,
    path: node.node.path,
    values: block,
    unknown: new Set(),
    preventDestroy: lifecycle.prevent_destroy === true,
    providerDefaultTags: tagsOfProvider(node.provider ?? defaultProvider(stack, providerName), stack),
  };
}

/**
 * The policy pack as a cdktf aspect: every resource, data source and provider of a stack that has a
 * policy context is judged when the stack synthesizes; violations collect in `violations`.
 */
export class PolicyAspect implements IAspect {
  readonly violations: Violation[] = [];

  constructor(private readonly rules: readonly PolicyRule[] = RULES) {}

  visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) return;
    const view = synthView(node);
    if (!view) return;
    const context = policyContextOf(TerraformStack.of(node));
    if (!context) return;
    this.violations.push(...evaluatePolicies([view], context, this.rules));
  }
}
