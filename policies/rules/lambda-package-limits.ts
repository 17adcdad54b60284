import { COMPLIANT, NOT_APPLICABLE, nonCompliant, type PolicyRule, type ResourceView } from "../types";

/**
 * Lambda's deployment package quotas (AWS Lambda Developer Guide, "Lambda quotas": "Five layers" per
 * function; "250 MB" unzipped for the deployment package including layers).
 */
export const MAX_LAYERS = 5;
export const MAX_UNZIPPED_MB = 250;

/** Where a function construct records its declared sizes in the block's "//" comment (see LambdaFunction). */
export const DECLARED_SIZES_KEY = "declared_unzipped_mb";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Lambda package limits: at most 5 layers, and the declared unzipped sizes of code plus layers within
 * 250 MB. At synth a function with layers must declare every layer's size (`"//".declared_unzipped_mb`);
 * a plan carries no comments, so there only the layer count is checked.
 */
export const lambdaPackageLimitsRule: PolicyRule = {
  id: "lambda-package-limits",
  reason: `Lambda functions use at most ${MAX_LAYERS} layers and ${MAX_UNZIPPED_MB} MB unzipped (code plus layers)`,
  evaluate(resource: ResourceView) {
    if (resource.kind !== "resource" || resource.type !== "aws_lambda_function") return NOT_APPLICABLE;
    const layers = Array.isArray(resource.values.layers) ? resource.values.layers : [];
    const problems: string[] = [];
    if (layers.length > MAX_LAYERS) problems.push(`${layers.length} layers (at most ${MAX_LAYERS})`);
    if (resource.stage === "synth" && layers.length > 0) {
      const declared = resource.comment?.[DECLARED_SIZES_KEY];
      const sizes = isRecord(declared) && isRecord(declared.layers) ? declared.layers : {};
      const layerSizes = Object.values(sizes).filter((v): v is number => typeof v === "number");
      const code = isRecord(declared) && typeof declared.code === "number" ? declared.code : undefined;
      if (layerSizes.length !== layers.length)
        problems.push(
          `declares the unzipped size of ${layerSizes.length} of its ${layers.length} layers (declare each)`,
        );
      else if (code === undefined) problems.push("declares no unzipped size for its code");
      else {
        const total = code + layerSizes.reduce((a, b) => a + b, 0);
        if (total > MAX_UNZIPPED_MB)
          problems.push(
            `declared unzipped size ${total} MB (code ${code} + layers ${Object.entries(sizes)
              .map(([name, mb]) => `${name} ${String(mb)}`)
              .join(" + ")}) exceeds ${MAX_UNZIPPED_MB} MB`,
          );
      }
    }
    return problems.length > 0 ? nonCompliant(problems.join("; ")) : COMPLIANT;
  },
};
