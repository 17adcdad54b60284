import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";

/**
 * The test tiers: the one place that says which test file runs in which tier. jest.config.cjs builds one
 * jest project per tier from this table, `npm test` (lib/tiers/runner.ts) runs the tiers in this order, and
 * __tests__/tiers/tiers.test.ts checks that every test file in the repository is in exactly one tier.
 *
 * The convention, by folder and name:
 *   __tests__/emulated/**\/*.test.ts   emulated: the apply lifecycle against the emulated AWS account
 *   __tests__/**\/*.engine.test.ts     engine: offline plans and installs with the real engine
 *   __tests__/**\/*.cli.test.ts        commands: the npm commands run end to end, as spawned processes
 *   __tests__/**\/*.test.ts            quick: everything else (unit, synth, policies, intent, snapshots)
 *
 * Why a commands tier: the end-to-end command tests spawn about 90 node processes (every --help, the
 * synth CLI, a repository copy, s3rver) and took 25 of the quick tier's 59 CPU-seconds (2026-12-05,
 * /usr/bin/time); without them the quick tier fits its 30 s on two cores. They need no engine.
 */
export interface Tier {
  readonly name: string;
  /** One line for `npm test`'s tier line and --help. */
  readonly description: string;
  /** Matches the repository-relative path (forward slashes) of every test file in the tier. */
  readonly pattern: RegExp;
  /** The pattern in words, for messages. */
  readonly convention: string;
  /** Checks run before the tier's tests: lint (changed files in the inner loop, all in CI) and typecheck. */
  readonly checks: readonly ("lint" | "typecheck")[];
  /** When the tier fails, `npm test` stops: the later tiers are slower and their failures follow from it. */
  readonly stopsOnFailure: boolean;
  /**
   * Wall-time target on two cores, reported by `npm run bench` (never asserted in a test). quick, engine and
   * emulated: issue 22; commands: ours, a minute.
   */
  readonly targetSeconds: number;
}

export const TIERS: readonly Tier[] = [
  {
    name: "quick",
    description: "lint, typecheck, unit, synth, policies, intent and security tests, snapshots",
    pattern: /^__tests__\/(?!emulated\/)(?:.+\/)?[^/]+(?<!\.engine|\.cli)\.test\.ts$/,
    convention: "__tests__/**/*.test.ts, except *.cli.test.ts, *.engine.test.ts and __tests__/emulated/",
    checks: ["lint", "typecheck"],
    stopsOnFailure: true,
    targetSeconds: 30,
  },
  {
    name: "commands",
    description: "the npm commands end to end, as spawned processes (no engine)",
    pattern: /^__tests__\/(?!emulated\/)(?:.+\/)?[^/]+\.cli\.test\.ts$/,
    convention: "__tests__/**/*.cli.test.ts, outside __tests__/emulated/",
    checks: [],
    stopsOnFailure: false,
    targetSeconds: 60,
  },
  {
    name: "engine",
    description: "offline plans and provider installs with the real engine",
    pattern: /^__tests__\/(?!emulated\/)(?:.+\/)?[^/]+\.engine\.test\.ts$/,
    convention: "__tests__/**/*.engine.test.ts, outside __tests__/emulated/",
    checks: [],
    stopsOnFailure: false,
    targetSeconds: 90,
  },
  {
    name: "emulated",
    description: "the apply lifecycle against the emulated AWS account (moto)",
    pattern: /^__tests__\/emulated\/(?:.+\/)?[^/]+\.test\.ts$/,
    convention: "__tests__/emulated/**/*.test.ts",
    checks: [],
    stopsOnFailure: false,
    targetSeconds: 600,
  },
];

/**
 * What counts as a test file, wherever it is: jest's own default testMatch (`*.test.*`, `*.spec.*` in
 * JavaScript or TypeScript). A file of that shape that no tier matches would never run, and is reported.
 */
export const TEST_FILE = /(^|\/)[^/]+\.(test|spec)\.[cm]?[jt]sx?$/;

/** Directories that hold no source of ours: installs, caches, build and engine outputs. */
const SKIPPED_DIRS = new Set(["node_modules", ".git", ".build", ".preview", "coverage", ".terraform"]);

/** Every test file under `root` (repository-relative, forward slashes), sorted. */
export function findTestFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith("cdktf.out")) walk(join(dir, entry.name));
      } else if (TEST_FILE.test(entry.name)) {
        found.push(relative(root, join(dir, entry.name)).split(sep).join("/"));
      }
    }
  };
  walk(root);
  return found.sort();
}

export interface Assignment {
  /** Tier name to its files. */
  readonly byTier: ReadonlyMap<string, readonly string[]>;
  /** Test files no tier matches: they would never run. */
  readonly untiered: readonly string[];
  /** Test files more than one tier matches, with the tiers: they would run twice. */
  readonly ambiguous: readonly { readonly file: string; readonly tiers: readonly string[] }[];
}

/** Puts each test file in its tier, and lists those in none or in several. */
export function assignTiers(files: readonly string[], tiers: readonly Tier[] = TIERS): Assignment {
  const byTier = new Map<string, string[]>(tiers.map((t) => [t.name, []]));
  const untiered: string[] = [];
  const ambiguous: { file: string; tiers: string[] }[] = [];
  for (const file of files) {
    const matching = tiers.filter((t) => t.pattern.test(file)).map((t) => t.name);
    if (matching.length === 0) untiered.push(file);
    else if (matching.length > 1) ambiguous.push({ file, tiers: matching });
    else byTier.get(matching[0])!.push(file);
  }
  return { byTier, untiered, ambiguous };
}

/** One line per problem, naming the file and what would make it belong to a tier; empty when all is well. */
export function tieringProblems(assignment: Assignment, tiers: readonly Tier[] = TIERS): string[] {
  const conventions = tiers.map((t) => `${t.name}: ${t.convention}`).join("; ");
  return [
    ...assignment.untiered.map(
      (file) => `${file}: in no test tier, so it never runs (name or move it to fit one: ${conventions})`,
    ),
    ...assignment.ambiguous.map(
      ({ file, tiers: names }) =>
        `${file}: in ${names.length} tiers (${names.join(", ")}); a test file belongs to one`,
    ),
  ];
}

export function tierNamed(name: string, tiers: readonly Tier[] = TIERS): Tier | undefined {
  return tiers.find((t) => t.name === name);
}

/**
 * A jest `testRegex` for the tier: jest matches it against absolute paths, so the tier's pattern (anchored
 * at the repository root) is prefixed with the root.
 */
export function jestTestRegex(tier: Tier, rootDir: string): string {
  const root = rootDir.split(sep).join("/").replace(/\/$/, "");
  const escaped = root.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return `^${escaped}/${tier.pattern.source.replace(/^\^/, "")}`;
}
