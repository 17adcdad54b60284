import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { legacyConfiguration, type ResourceSchema } from "../../lib/rehearse/legacy-config";
import { legacyInstances, readLegacyState, type LegacyStateFile } from "../../lib/rehearse/legacy-state";
import { legacyStateFrom } from "../../lib/rehearse/materialize";

/** A small slice of hashicorp/aws's schema, in the shape `providers schema -json` gives. */
const S = (
  attributes: ResourceSchema["block"]["attributes"],
  block_types?: ResourceSchema["block"]["block_types"],
) => ({
  version: 0,
  block: { attributes, ...(block_types ? { block_types } : {}) },
});
const computed = { type: "string", computed: true };
const optional = { type: "string", optional: true };
const required = { type: "string", required: true };
const optionalComputed = { type: "string", optional: true, computed: true };
const SCHEMAS: Record<string, ResourceSchema> = {
  aws_api_gateway_rest_api: S({
    id: optionalComputed,
    name: required,
    root_resource_id: computed,
    arn: computed,
    tags_all: optionalComputed,
  }),
  aws_api_gateway_resource: S({
    id: optionalComputed,
    rest_api_id: required,
    parent_id: required,
    path_part: required,
  }),
  aws_api_gateway_method: S({
    id: optionalComputed,
    rest_api_id: required,
    resource_id: required,
    http_method: required,
  }),
  aws_api_gateway_integration: S({
    id: optionalComputed,
    rest_api_id: required,
    resource_id: required,
    http_method: required,
    timeout_milliseconds: { type: "number", optional: true, computed: true },
  }),
  aws_api_gateway_api_key: S({ id: optionalComputed, name: required, value: optionalComputed }),
  aws_api_gateway_usage_plan_key: S({
    id: optionalComputed,
    key_id: required,
    name: computed,
    value: computed,
  }),
  aws_lambda_permission: S({
    id: optionalComputed,
    function_name: required,
    source_arn: optional,
    statement_id: optionalComputed,
  }),
  aws_lambda_function: S(
    {
      id: optionalComputed,
      function_name: required,
      arn: computed,
      region: computed,
      acl: { ...optional, deprecated: true },
    },
    {
      environment: {
        nesting_mode: "list",
        block: { attributes: { variables: { type: ["map", "string"], optional: true } } },
      },
    },
  ),
  aws_iam_policy: S({ id: optionalComputed, name: optional, policy: required, arn: computed }),
  aws_cloudwatch_metric_alarm: S(
    { id: optionalComputed, alarm_name: required },
    { metric_query: { nesting_mode: "set", block: { attributes: { id: required, expression: optional } } } },
  ),
  aws_cloudfront_response_headers_policy: S({ id: optionalComputed, name: required }),
  aws_cloudfront_distribution: S(
    { id: optionalComputed, comment: optional },
    {
      default_cache_behavior: {
        nesting_mode: "list",
        block: { attributes: { response_headers_policy_id: optional, target_origin_id: required } },
      },
      timeouts: { nesting_mode: "single", block: { attributes: { create: optional } } },
    },
  ),
};

function state(
  resources: [string, string, Record<string, unknown>, (string | number)?][],
  extra: object[] = [],
): LegacyStateFile {
  return {
    version: 4,
    lineage: "legacy-lineage",
    resources: [
      ...resources.map(([type, name, attributes, index]) => ({
        mode: "managed",
        type,
        name,
        provider: 'provider["registry.opentofu.org/hashicorp/aws"]',
        instances: [{ ...(index === undefined ? {} : { index_key: index }), schema_version: 0, attributes }],
      })),
      ...(extra as LegacyStateFile["resources"]),
    ],
  };
}

const API = [
  "aws_api_gateway_rest_api",
  "Main",
  {
    id: "9tvq0uyn61",
    name: "api",
    root_resource_id: "r00tid",
    arn: "arn:aws:apigateway:us-west-2::/restapis/9tvq0uyn61",
    tags_all: {},
  },
] as const;
const RESOURCE = [
  "aws_api_gateway_resource",
  "Files",
  { id: "frqbna", rest_api_id: "9tvq0uyn61", parent_id: "r00tid", path_part: "files" },
] as const;
const METHOD = [
  "aws_api_gateway_method",
  "FilesGet",
  { id: "agm-9tvq0uyn61-frqbna-GET", rest_api_id: "9tvq0uyn61", resource_id: "frqbna", http_method: "GET" },
] as const;

const generate = (s: LegacyStateFile, packageFile = "/stand-in.zip") =>
  legacyConfiguration(legacyInstances(s), {
    schemas: SCHEMAS,
    providers: [{ region: "us-west-2" }, { alias: "us_east_1", region: "us-east-1" }],
    packageFile,
  });
const resource = (g: ReturnType<typeof generate>, type: string, name: string) =>
  (g.config.resource as Record<string, Record<string, Record<string, unknown>>>)[type][name];

describe("a configuration generated from a legacy state", () => {
  test("ids AWS generated become references to the instance that owns them", () => {
    const g = generate(state([[...API], [...RESOURCE], [...METHOD]]));
    expect(resource(g, "aws_api_gateway_resource", "Files")).toEqual({
      rest_api_id: "${aws_api_gateway_rest_api.Main.id}",
      parent_id: "${aws_api_gateway_rest_api.Main.root_resource_id}",
      path_part: "files",
    });
    expect(resource(g, "aws_api_gateway_method", "FilesGet")).toMatchObject({
      rest_api_id: "${aws_api_gateway_rest_api.Main.id}",
      resource_id: "${aws_api_gateway_resource.Files.id}",
    });
  });

  test("a generated id inside a longer string is interpolated; an existing ${ is escaped", () => {
    const g = generate(
      state([
        [...API],
        [
          "aws_lambda_permission",
          "Api",
          {
            id: "x",
            function_name: "fn",
            source_arn: "arn:aws:execute-api:us-west-2:123456789012:9tvq0uyn61/*/*",
          },
        ],
        [
          "aws_iam_policy",
          "P",
          {
            id: "arn:aws:iam::123456789012:policy/p",
            policy: '{"Resource":"${aws:username}"}',
            arn: "arn:aws:iam::123456789012:policy/p",
          },
        ],
      ]),
    );
    expect(resource(g, "aws_lambda_permission", "Api").source_arn).toBe(
      "arn:aws:execute-api:us-west-2:123456789012:${aws_api_gateway_rest_api.Main.id}/*/*",
    );
    expect(resource(g, "aws_iam_policy", "P").policy).toBe('{"Resource":"$${aws:username}"}');
  });

  test("a name-like id stays literal and only orders the instances (a permission after its function)", () => {
    const g = generate(
      state([
        [
          "aws_lambda_function",
          "Fn",
          {
            id: "stag-Fn",
            function_name: "stag-Fn",
            arn: "arn:aws:lambda:us-west-2:123456789012:function:stag-Fn",
            region: "us-west-2",
          },
        ],
        ["aws_lambda_permission", "Perm", { id: "p", function_name: "stag-Fn", statement_id: "AllowApi" }],
      ]),
    );
    expect(resource(g, "aws_lambda_permission", "Perm")).toEqual({
      function_name: "stag-Fn",
      statement_id: "AllowApi",
      depends_on: ["aws_lambda_function.Fn"],
    });
    // The region is in every ARN: never a reference.
    expect(JSON.stringify(g.config)).not.toMatch(/\.region\}/);
  });

  test("computed-only, deprecated, id, tags_all and empty values are left out; an optional zero is left to the default", () => {
    const g = generate(
      state([
        [
          "aws_lambda_function",
          "Fn",
          { id: "stag-Fn", function_name: "stag-Fn", arn: "arn:x", region: "us-west-2", acl: "private" },
        ],
        [
          "aws_api_gateway_integration",
          "I",
          { id: "i", rest_api_id: "a", resource_id: "b", http_method: "GET", timeout_milliseconds: 0 },
        ],
      ]),
    );
    expect(resource(g, "aws_lambda_function", "Fn")).toEqual({ function_name: "stag-Fn" });
    expect(resource(g, "aws_api_gateway_integration", "I")).toEqual({
      rest_api_id: "a",
      resource_id: "b",
      http_method: "GET",
    });
  });

  test("a function's environment block without variables gets reported stand-in variables (AWS never reads one back so)", () => {
    const g = generate(
      state([
        ["aws_lambda_function", "A", { id: "a", function_name: "a", environment: [{ variables: null }] }],
        [
          "aws_lambda_function",
          "B",
          { id: "b", function_name: "b", environment: [{ variables: { X: "1" } }] },
        ],
      ]),
    );
    expect(resource(g, "aws_lambda_function", "A").environment).toEqual([
      { variables: { LEGACY_STAND_IN: "the state holds no variables" } },
    ]);
    expect(resource(g, "aws_lambda_function", "B").environment).toEqual([{ variables: { X: "1" } }]);
    expect(g.substitutions.filter((line) => /environment/.test(line))).toEqual([
      "aws_lambda_function.A: environment.0.variables is null in the state; a stand-in was used",
    ]);
  });

  test("a nested id is an argument (a metric query's), kept; only the top-level id is dropped", () => {
    const g = generate(
      state([
        [
          "aws_cloudwatch_metric_alarm",
          "A",
          { id: "alarm", alarm_name: "alarm", metric_query: [{ id: "m1", expression: "a+b" }] },
        ],
      ]),
    );
    expect(resource(g, "aws_cloudwatch_metric_alarm", "A")).toEqual({
      alarm_name: "alarm",
      metric_query: [{ id: "m1", expression: "a+b" }],
    });
  });

  test("an API key keeps its value literally; its usage plan key's copies of name and value are no references", () => {
    const g = generate(
      state([
        [
          "aws_api_gateway_api_key",
          "Key",
          { id: "l9owquhzk2", name: "iOSAppKey", value: "SECRETVALUE1234567890" },
        ],
        [
          "aws_api_gateway_usage_plan_key",
          "PlanKey",
          { id: "l9owquhzk2", key_id: "l9owquhzk2", name: "iOSAppKey", value: "SECRETVALUE1234567890" },
        ],
      ]),
    );
    expect(resource(g, "aws_api_gateway_api_key", "Key")).toEqual({
      name: "iOSAppKey",
      value: "SECRETVALUE1234567890",
    });
    expect(resource(g, "aws_api_gateway_usage_plan_key", "PlanKey")).toEqual({
      key_id: "${aws_api_gateway_api_key.Key.id}",
    });
  });

  test("an integration is created after its method (API Gateway needs it; no value shows it)", () => {
    const g = generate(
      state([
        [...API],
        [...RESOURCE],
        [...METHOD],
        [
          "aws_api_gateway_integration",
          "FilesGet",
          { id: "agi-x", rest_api_id: "9tvq0uyn61", resource_id: "frqbna", http_method: "GET" },
        ],
      ]),
    );
    expect(resource(g, "aws_api_gateway_integration", "FilesGet").depends_on).toEqual([
      "aws_api_gateway_method.FilesGet",
    ]);
  });

  test("instances of unmirrored providers stay in the state; uncreatable types are set aside and what names them is dropped", () => {
    const g = generate(
      state(
        [
          [
            "aws_cloudfront_response_headers_policy",
            "Cors",
            { id: "5cc3b908-e619-4b99-88e5-2cf7f45965bd", name: "cors" },
            0,
          ],
          [
            "aws_cloudfront_distribution",
            "D",
            {
              id: "EF8VZDIFTSL79X",
              comment: "c",
              default_cache_behavior: [
                { response_headers_policy_id: "5cc3b908-e619-4b99-88e5-2cf7f45965bd", target_origin_id: "o" },
              ],
              timeouts: null,
            },
          ],
        ],
        [
          {
            mode: "managed",
            type: "null_resource",
            name: "Build",
            provider: 'provider["registry.opentofu.org/hashicorp/null"]',
            instances: [{ attributes: { id: "1" } }],
          },
        ],
      ),
    );
    expect(g.setAside.map((s) => [s.address, s.keepInState])).toEqual([
      ["aws_cloudfront_response_headers_policy.Cors[0]", false],
      ["null_resource.Build", true],
    ]);
    expect(resource(g, "aws_cloudfront_distribution", "D")).toEqual({
      comment: "c",
      default_cache_behavior: [{ target_origin_id: "o" }],
    });
    expect(g.substitutions).toContain(
      "aws_cloudfront_distribution.D: default_cache_behavior.0.response_headers_policy_id dropped (it names an object not created here)",
    );
  });

  test("a required argument the state holds as null gets a reported stand-in, or fails naming the instance", () => {
    const g = generate(state([["aws_iam_policy", "P", { id: "arn:p", policy: null, arn: "arn:p" }]]));
    expect(JSON.parse(resource(g, "aws_iam_policy", "P").policy as string).Statement).toHaveLength(1);
    expect(g.substitutions).toEqual(["aws_iam_policy.P: policy is null in the state; a stand-in was used"]);
    expect(() =>
      generate(
        state([
          ["aws_api_gateway_resource", "R", { id: "r", rest_api_id: "a", parent_id: null, path_part: "x" }],
        ]),
      ),
    ).toThrow(
      "aws_api_gateway_resource.R: required argument parent_id is null in the state and has no stand-in",
    );
  });

  test("an indexed instance gets a local name, and the applied state is renamed back to the legacy address", () => {
    const legacy = state([["aws_api_gateway_api_key", "Key", { id: "k1", name: "n" }, 0]]);
    const g = generate(legacy);
    expect(g.localAddress.get("aws_api_gateway_api_key.Key[0]")).toBe("aws_api_gateway_api_key.Key__0");
    const applied: LegacyStateFile = {
      version: 4,
      terraform_version: "1.11.4",
      lineage: "new",
      resources: [
        {
          mode: "managed",
          type: "aws_api_gateway_api_key",
          name: "Key__0",
          provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [{ schema_version: 0, attributes: { id: "newid" }, dependencies: [] }],
        },
      ],
    };
    const renamed = legacyStateFrom(applied, legacy, g);
    expect(renamed.lineage).toBe("legacy-lineage");
    expect(renamed.resources).toEqual([
      expect.objectContaining({
        name: "Key",
        each: "list",
        instances: [expect.objectContaining({ index_key: 0, attributes: { id: "newid" } })],
      }),
    ]);
  });

  test("a schema version above the pinned provider's is reported (runbook step 2)", () => {
    const s = state([["aws_api_gateway_api_key", "Key", { id: "k", name: "n" }]]);
    (s.resources[0].instances[0] as { schema_version: number }).schema_version = 1;
    expect(generate(s).newerSchemas).toEqual([
      "aws_api_gateway_api_key.Key: schema version 1, the pinned provider knows 0",
    ]);
  });
});

describe("reading a legacy state file", () => {
  const dir = mkdtempSync(join(tmpdir(), "legacy-state-"));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  test.each([
    ["missing.json", undefined, /missing\.json: cannot read the file/],
    ["text.json", "not json", /text\.json: not JSON/],
    [
      "plan.json",
      JSON.stringify({ format_version: "1.2", resource_changes: [] }),
      /plan\.json: not a state file \(expected "version": 4/,
    ],
    [
      "module.json",
      JSON.stringify({
        version: 4,
        resources: [
          { module: "module.a", mode: "managed", type: "t", name: "n", provider: "p", instances: [] },
        ],
      }),
      /module resources are not expected/,
    ],
  ])("%s is refused with one line naming the file", (name, text, message) => {
    const file = text === undefined ? join(dir, name) : write(name, text);
    expect(() => readLegacyState(file)).toThrow(message);
  });
});
