/**
 * The one place resource names are made. Every name carries the environment prefix, so several
 * environments can share one AWS account without collisions.
 */
export class Naming {
  constructor(readonly prefix: string) {}

  /** `<prefix>-<base>`, the default for functions, roles, queues, topics, rules, APIs. */
  name(base: string): string {
    return `${this.prefix}-${base}`;
  }

  /** Names that must be globally unique (S3 buckets) keep the project's owner namespace in front. */
  globalName(base: string): string {
    return `lifegames-${this.prefix}-${base}`;
  }
}
