import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { platform, writeCliConfig, writeShim, type MirrorPackage } from "../../lib/engine/mirror";

/**
 * The shim and CLI config of a provider install are shared by every process planning with it: rewriting
 * them while another process reads them broke its plan ("could not read package directory"). They are
 * rewritten only when they change, and then whole.
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "shim-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const HOST = "registry.terraform.io";
const pkg = (path: string): MirrorPackage => ({ host: HOST, version: "5.100.0", layout: "unpacked", path });
const linkOf = (root: string) => join(root, HOST, "hashicorp", "aws", "5.100.0", platform());

test("a shim that already points at the package is left as it is", () => {
  const a = join(dir, "mirror-a");
  mkdirSync(a);
  const root = writeShim(join(dir, "shim"), pkg(a), HOST);
  const before = lstatSync(linkOf(root));
  writeShim(root, pkg(a), HOST);
  const after = lstatSync(linkOf(root));
  expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  expect(readlinkSync(linkOf(root))).toBe(a);
});

test("a shim pointing elsewhere (a changed mirror) is rewritten to the package", () => {
  const [a, b] = [join(dir, "mirror-a"), join(dir, "mirror-b")];
  mkdirSync(a);
  mkdirSync(b);
  const root = writeShim(join(dir, "shim"), pkg(a), HOST);
  writeShim(root, pkg(b), HOST);
  expect(readlinkSync(linkOf(root))).toBe(b);
});

test("the CLI config is not rewritten when unchanged, and replaced whole when it changes", () => {
  const file = join(dir, "terraform.rc");
  writeCliConfig(file, join(dir, "shim"), HOST);
  const first = statSync(file);
  writeCliConfig(file, join(dir, "shim"), HOST);
  expect(statSync(file).ino).toBe(first.ino);
  writeCliConfig(file, join(dir, "other-shim"), HOST);
  expect(statSync(file).ino).not.toBe(first.ino);
  expect(readFileSync(file, "utf8")).toContain(JSON.stringify(join(dir, "other-shim")));
});
