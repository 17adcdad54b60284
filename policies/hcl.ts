/**
 * Just enough of HCL's expression syntax to read the literal structure cdktf writes for `Fn.jsonencode`:
 * objects, tuples, quoted strings (with `${...}` templates kept as text), numbers, booleans and null.
 * Anything else (a reference, a function call) becomes an opaque `${...}` string, like a reference
 * inside a template.
 */

export class HclSyntaxError extends Error {
  constructor(message: string, offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = "HclSyntaxError";
  }
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseAll(): unknown {
    const value = this.value();
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail("unexpected trailing text");
    return value;
  }

  private fail(message: string): never {
    throw new HclSyntaxError(message, this.pos);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private value(): unknown {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === "{") return this.object();
    if (c === "[") return this.tuple();
    if (c === '"') return this.string();
    const literal = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)(?=[\s,\]})]|$)/.exec(
      this.text.slice(this.pos),
    );
    if (literal) {
      this.pos += literal[0].length;
      return JSON.parse(literal[0]);
    }
    return this.opaque();
  }

  private object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.pos++; // {
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === "}") {
        this.pos++;
        return result;
      }
      let key: string;
      if (this.text[this.pos] === '"') key = this.string();
      else {
        const ident = /^[A-Za-z_][\w-]*/.exec(this.text.slice(this.pos));
        if (!ident) this.fail("expected an object key");
        key = ident[0];
        this.pos += key.length;
      }
      this.skipSpace();
      const sep = this.text[this.pos];
      if (sep !== "=" && sep !== ":") this.fail("expected = or : after an object key");
      this.pos++;
      result[key] = this.value();
      this.skipSpace();
      if (this.text[this.pos] === ",") this.pos++;
    }
  }

  private tuple(): unknown[] {
    const result: unknown[] = [];
    this.pos++; // [
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === "]") {
        this.pos++;
        return result;
      }
      result.push(this.value());
      this.skipSpace();
      if (this.text[this.pos] === ",") this.pos++;
      else if (this.text[this.pos] !== "]") this.fail("expected , or ] in a tuple");
    }
  }

  /** A quoted template: escapes decoded, `${...}` and `%{...}` sequences kept verbatim. */
  private string(): string {
    let out = "";
    this.pos++; // opening quote
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === "\\") {
        const next = this.text[this.pos + 1];
        if (next === "u" || next === "U") {
          const len = next === "u" ? 4 : 8;
          const hex = this.text.slice(this.pos + 2, this.pos + 2 + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.fail("bad unicode escape");
          out += String.fromCodePoint(parseInt(hex, 16));
          this.pos += 2 + len;
          continue;
        }
        if (!(next in ESCAPES)) this.fail(`unknown escape \\${next}`);
        out += ESCAPES[next];
        this.pos += 2;
        continue;
      }
      if ((c === "$" || c === "%") && this.text[this.pos + 1] === c && this.text[this.pos + 2] === "{") {
        out += `${c}{`; // $${ and %%{ are literal
        this.pos += 3;
        continue;
      }
      if ((c === "$" || c === "%") && this.text[this.pos + 1] === "{") {
        const start = this.pos;
        this.pos += 2;
        this.skipExpression("}");
        this.pos++; // }
        out += this.text.slice(start, this.pos);
        continue;
      }
      out += c;
      this.pos++;
    }
    this.fail("unterminated string");
  }

  /** Any other expression, up to the `,`, `]`, `}` or newline that ends it at depth 0. */
  private opaque(): string {
    const start = this.pos;
    this.skipExpression(",]}\n");
    const expression = this.text.slice(start, this.pos).trim();
    if (!expression) this.fail("expected a value");
    return `\${${expression}}`;
  }

  /** Advances to the first of `stops` outside brackets and strings (not consuming it). */
  private skipExpression(stops: string): void {
    const closers: string[] = [];
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (closers.length === 0 && stops.includes(c)) return;
      if (c === '"') {
        this.string();
        continue;
      }
      if (c === "(" || c === "[" || c === "{") closers.push(c === "(" ? ")" : c === "[" ? "]" : "}");
      else if (c === ")" || c === "]" || c === "}") {
        if (closers.pop() !== c) this.fail(`unbalanced ${c}`);
      }
      this.pos++;
    }
    if (closers.length > 0 || !stops.includes("\n")) this.fail("unterminated expression");
  }
}

/** Parses one HCL expression of literal structure; throws HclSyntaxError. */
export function parseHclExpression(text: string): unknown {
  return new Parser(text).parseAll();
}

/** The text of `value` with every `${...}` template replaced by `replacement`. */
export function literalParts(value: string, replacement = "\u0000"): string {
  let out = "";
  let i = 0;
  while (i < value.length) {
    if (value.startsWith("$${", i)) {
      out += "${";
      i += 3;
      continue;
    }
    if (value.startsWith("${", i)) {
      let depth = 0;
      let j = i + 1;
      for (; j < value.length; j++) {
        if (value[j] === "{") depth++;
        else if (value[j] === "}" && --depth === 0) break;
      }
      out += replacement;
      i = j + 1;
      continue;
    }
    out += value[i++];
  }
  return out;
}

/** True when the string holds a `${...}` template somewhere. */
export function hasInterpolation(value: string): boolean {
  return literalParts(value, "\u0000").includes("\u0000");
}

export type DocumentRead =
  | { readonly status: "known"; readonly document: unknown }
  | { readonly status: "unknown" }
  | { readonly status: "invalid"; readonly message: string };

const JSONENCODE = /^\$\{\s*jsonencode\(([\s\S]*)\)\s*\}$/;

/**
 * Reads a JSON document attribute (an IAM policy) as written: a JSON string (references inside its
 * strings are fine), a `${jsonencode(...)}` expression, or a reference (unknown here).
 */
export function readJsonDocument(value: unknown): DocumentRead {
  if (value === undefined || value === null) return { status: "unknown" };
  if (typeof value === "object") return { status: "known", document: value };
  if (typeof value !== "string")
    return { status: "invalid", message: `expected a string, got ${typeof value}` };
  const trimmed = value.trim();
  const encoded = JSONENCODE.exec(trimmed);
  if (encoded) {
    try {
      return { status: "known", document: parseHclExpression(encoded[1]) };
    } catch (error) {
      return {
        status: "invalid",
        message: `cannot read the jsonencode() argument: ${(error as Error).message}`,
      };
    }
  }
  if (trimmed.startsWith("${")) {
    // A reference or another function: decided elsewhere (the data source it reads, or at plan).
    if (trimmed.endsWith("}") && !trimmed.slice(2).includes("${")) return { status: "unknown" };
  }
  try {
    return { status: "known", document: JSON.parse(trimmed) };
  } catch (error) {
    if (hasInterpolation(trimmed) && trimmed.startsWith("${")) return { status: "unknown" };
    return { status: "invalid", message: `not JSON: ${(error as Error).message}` };
  }
}
