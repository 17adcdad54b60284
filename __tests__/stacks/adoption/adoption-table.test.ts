import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { ENVIRONMENT_INPUTS } from "../../../config";
import { isStatefulType } from "../../../lib/plan/stateful";
import { resolveAdoption, type AdoptionTable } from "../../../stacks/adoption/adoption-table";
import { ADOPTION_TABLES } from "../../../stacks/adoption/tables";
import { MediaDownloaderStack } from "../../../stacks/media-downloader-stack";
import { environments } from "../../helpers/environments";

const FIXTURES = join(__dirname, "..", "..", "fixtures", "legacy-state");

interface StateFile {
  resources: { type: string; name: string; instances: { index_key?: string | number }[] }[];
}

/** Every instance address in a legacy state fixture. */
function fixtureAddresses(environment: string): string[] {
  const state = JSON.parse(readFileSync(join(FIXTURES, `${environment}.tfstate.json`), "utf8")) as StateFile;
  return state.resources.flatMap((r) =>
    r.instances.map((i) =>
      i.index_key === undefined
        ? `${r.type}.${r.name}`
        : `${r.type}.${r.name}[${JSON.stringify(i.index_key)}]`,
    ),
  );
}

const adopted = Object.keys(ENVIRONMENT_INPUTS).filter((env) => ADOPTION_TABLES[env]);
const stacks = new Map<string, MediaDownloaderStack>();
function stackFor(env: string): MediaDownloaderStack {
  if (!stacks.has(env)) {
    const config = (environments() as Record<string, ReturnType<typeof environments>["staging"]>)[env];
    stacks.set(env, new MediaDownloaderStack(Testing.app(), `${env}-adoption-test`, config));
  }
  return stacks.get(env)!;
}
const synth = (env: string) =>
  JSON.parse(Testing.synth(stackFor(env))) as {
    moved?: { from: string; to: string }[];
    removed?: Record<string, unknown>[];
  };

describe.each(adopted)("%s adoption table", (env) => {
  const table = ADOPTION_TABLES[env];

  test("lists every legacy address of the fixture exactly once, and nothing else", () => {
    const listed = [...Object.keys(table.moves), ...Object.keys(table.forget), ...Object.keys(table.retire)];
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.sort()).toEqual(fixtureAddresses(env).sort());
  });

  test("keeps every legacy resource that holds data: moved or forgotten, none retired", () => {
    const stateful = fixtureAddresses(env).filter((a) => isStatefulType(a.split(".")[0]));
    expect(stateful.length).toBeGreaterThan(20);
    for (const address of stateful) expect([address, address in table.retire]).toEqual([address, false]);
  });

  test("synthesizes one moved block per move and removed blocks with an explicit boolean destroy, no connection", () => {
    const json = synth(env);
    expect(json.moved?.map((m) => m.from).sort()).toEqual(Object.keys(table.moves).sort());
    for (const block of json.removed ?? []) {
      expect(Object.keys(block).sort()).toEqual(["from", "lifecycle"]);
      expect(typeof (block.lifecycle as { destroy?: unknown }).destroy).toBe("boolean");
    }
    const forgotten = (json.removed ?? [])
      .filter((b) => (b.lifecycle as { destroy: boolean }).destroy === false)
      .map((b) => b.from);
    expect(forgotten.sort()).toEqual(
      [...new Set(Object.keys(table.forget).map((a) => a.replace(/\[[^\]]*\]$/, "")))].sort(),
    );
  });
});

test("the account setting (bootstrap-stack's now) is forgotten everywhere; production forgets the sandbox platform application", () => {
  for (const env of adopted)
    expect(Object.keys(ADOPTION_TABLES[env].forget)).toContain("aws_api_gateway_account.Main");
  expect(Object.keys(ADOPTION_TABLES.production.forget)).toContain(
    "aws_sns_platform_application.OfflineMediaDownloader[0]",
  );
  expect(ADOPTION_TABLES.staging.moves["aws_sns_platform_application.OfflineMediaDownloader[0]"]).toBe(
    "media-downloader/push-notifications/application",
  );
});

describe("a bad mapping entry is one clear line", () => {
  const stack = () => stackFor(adopted[0]);
  const problems = (table: Partial<AdoptionTable>): string[] => {
    try {
      resolveAdoption(stack(), "tables/test.ts", { moves: {}, forget: {}, retire: {}, ...table });
    } catch (error) {
      return (error as { problems: string[] }).problems;
    }
    return [];
  };

  test("an unknown construct path", () => {
    expect(problems({ moves: { "aws_s3_bucket.Files": "media-downloader/no-such-bucket" } })).toEqual([
      `tables/test.ts: moves["aws_s3_bucket.Files"]: no construct at ${stack().node.id}/media-downloader/no-such-bucket`,
    ]);
  });

  test("a target of another type", () => {
    expect(
      problems({ moves: { "aws_s3_bucket.Files": "media-downloader/idempotency-table/table" } }),
    ).toEqual([
      'tables/test.ts: moves["aws_s3_bucket.Files"]: media-downloader/idempotency-table/table is a aws_dynamodb_table, a moved block needs the same type (aws_s3_bucket)',
    ]);
  });

  test("a legacy address that is not an address", () => {
    expect(problems({ retire: { "not an address": "x" } })).toEqual([
      'tables/test.ts: retire["not an address"]: expected a legacy resource address such as aws_s3_bucket.Files',
    ]);
  });

  test("a stateful resource retired, an address listed twice, two moves to one target", () => {
    expect(
      problems({
        moves: {
          "aws_s3_bucket.Files": "media-downloader/media-bucket/bucket",
          "aws_s3_bucket.Other": "media-downloader/media-bucket/bucket",
        },
        retire: { "aws_s3_bucket.Files": "no longer needed" },
      }),
    ).toEqual([
      'tables/test.ts: retire["aws_s3_bucket.Files"]: already listed in moves',
      'tables/test.ts: retire["aws_s3_bucket.Files"]: aws_s3_bucket holds data (lib/plan/stateful.ts); move it or forget it, never retire it',
      'tables/test.ts: moves["aws_s3_bucket.Other"]: media-downloader/media-bucket/bucket is already the target of aws_s3_bucket.Files',
    ]);
  });

  test("the committed tables have none", () => {
    for (const env of adopted)
      expect(() => resolveAdoption(stackFor(env), env, ADOPTION_TABLES[env])).not.toThrow();
  });
});
