import { requiredTags } from "../context";
import { COMPLIANT, NOT_APPLICABLE, nonCompliant, type PolicyRule, type ResourceView } from "../types";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The `tags` map of a provider's (first) default_tags block, as synthesized or as the plan records it. */
export function defaultTagsOf(
  providerValues: Readonly<Record<string, unknown>>,
): Record<string, unknown> | undefined {
  const block = providerValues.default_tags;
  const first = Array.isArray(block) ? block[0] : block;
  return isRecord(first) && isRecord(first.tags) ? first.tags : undefined;
}

function mismatches(
  tags: Readonly<Record<string, unknown>>,
  expected: Readonly<Record<string, string>>,
  label: string,
): string[] {
  return Object.entries(expected).flatMap(([key, value]) => {
    if (!(key in tags) || tags[key] === null || tags[key] === undefined) return [`${label} lacks ${key}`];
    if (tags[key] !== value)
      return [`${label}.${key} is ${JSON.stringify(tags[key])}, expected ${JSON.stringify(value)}`];
    return [];
  });
}

/**
 * Tags: the AWS providers carry Environment/Project/ManagedBy as default_tags, no resource's own `tags`
 * overrides one of them with another value, and (at plan) every taggable resource ends up with all three
 * in `tags_all`.
 */
export const requiredTagsRule: PolicyRule = {
  id: "required-tags",
  reason:
    "AWS resources carry Environment, Project and ManagedBy from the providers' default_tags, never overridden",
  evaluate(resource: ResourceView, context) {
    const expected = requiredTags(context);
    if (resource.kind === "provider") {
      if (resource.type !== "aws") return NOT_APPLICABLE;
      const tags = defaultTagsOf(resource.values);
      if (!tags) return nonCompliant("provider has no default_tags");
      const problems = mismatches(tags, expected, "default_tags");
      return problems.length > 0 ? nonCompliant(problems.join("; ")) : COMPLIANT;
    }
    if (resource.kind !== "resource" || !resource.type.startsWith("aws_")) return NOT_APPLICABLE;

    const own = resource.values.tags;
    const overrides = isRecord(own)
      ? Object.entries(expected).flatMap(([key, value]) =>
          key in own && own[key] !== null && own[key] !== value
            ? [`tags.${key} overrides ${JSON.stringify(value)} with ${JSON.stringify(own[key])}`]
            : [],
        )
      : [];
    if (overrides.length > 0) return nonCompliant(overrides.join("; "));
    if (resource.stage === "synth") return isRecord(own) ? COMPLIANT : NOT_APPLICABLE;

    // Plan: resources that support tags have tags_all, the merge of default_tags and their own tags.
    const tagsAll = resource.values.tags_all;
    if (resource.unknown.has("tags_all")) {
      const merged = { ...(resource.providerDefaultTags ?? {}), ...(isRecord(own) ? own : {}) };
      const problems = mismatches(merged, expected, "default_tags + tags");
      return problems.length > 0 ? nonCompliant(problems.join("; ")) : COMPLIANT;
    }
    if (!isRecord(tagsAll)) return NOT_APPLICABLE;
    const problems = mismatches(tagsAll, expected, "tags_all");
    return problems.length > 0 ? nonCompliant(problems.join("; ")) : COMPLIANT;
  },
};
