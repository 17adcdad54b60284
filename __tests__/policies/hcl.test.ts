import { literalParts, parseHclExpression, readJsonDocument } from "../../policies/hcl";

describe("reading jsonencode() expressions", () => {
  test("objects, tuples, strings, numbers, booleans, null, and references as ${...} strings", () => {
    expect(
      parseHclExpression(
        '{"Version" = "2012-10-17", Statement = [{"Action" = ["a:B", "c:D"], "Resource" = [aws_x.y.arn, "${aws_x.y.arn}:*"], "N" = 3, "T" = true, "Z" = null}]}',
      ),
    ).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Action: ["a:B", "c:D"], Resource: ["${aws_x.y.arn}", "${aws_x.y.arn}:*"], N: 3, T: true, Z: null },
      ],
    });
  });

  test("escapes, nested templates with quotes and braces, literal $${", () => {
    expect(parseHclExpression('"a\\"b\\\\c\\n ${lookup({"k" = "}"}, "k")} $${x}"')).toBe(
      'a"b\\c\n ${lookup({"k" = "}"}, "k")} ${x}',
    );
  });

  test("function calls stay opaque", () => {
    expect(parseHclExpression('{"a" = concat(["x"], var.list), "b" = 1}')).toEqual({
      a: '${concat(["x"], var.list)}',
      b: 1,
    });
  });

  test("document reads: jsonencode, JSON with references inside strings, a bare reference, invalid", () => {
    expect(readJsonDocument('${jsonencode({"Statement" = []})}')).toEqual({
      status: "known",
      document: { Statement: [] },
    });
    expect(readJsonDocument('{"Resource": "${aws_s3_bucket.b.arn}/*"}')).toEqual({
      status: "known",
      document: { Resource: "${aws_s3_bucket.b.arn}/*" },
    });
    expect(readJsonDocument("${data.aws_iam_policy_document.d.json}")).toEqual({ status: "unknown" });
    expect(readJsonDocument("${jsonencode({)}").status).toBe("invalid");
    expect(readJsonDocument("not json").status).toBe("invalid");
  });

  test("literal parts of a template", () => {
    expect(literalParts("stag-${aws_x.y.name}/${a}-z", "#")).toBe("stag-#/#-z");
  });
});
