/**
 * The one place resource names are made. Every name carries the environment prefix, so several
 * environments can share one AWS account without collisions. An environment may keep a legacy name
 * for a base through config (`naming.overrides`), where a rename would force a replacement.
 */
export class Naming {
  private readonly used = new Set<string>();

  constructor(
    readonly prefix: string,
    private readonly overrides: Readonly<Record<string, string>> = {},
  ) {}

  /** `<prefix>-<base>`, the default for functions, roles, queues, topics, rules, APIs. */
  name(base: string): string {
    return this.override(base) ?? `${this.prefix}-${base}`;
  }

  /** Names that must be globally unique (S3 buckets) keep the project's owner namespace in front. */
  globalName(base: string): string {
    return this.override(base) ?? `lifegames-${this.prefix}-${base}`;
  }

  /** Override keys no name was made from: a typo or a stale entry (the stack reports them). */
  unusedOverrides(): string[] {
    return Object.keys(this.overrides).filter((base) => !this.used.has(base));
  }

  private override(base: string): string | undefined {
    this.used.add(base);
    return Object.hasOwn(this.overrides, base) ? this.overrides[base] : undefined;
  }
}
