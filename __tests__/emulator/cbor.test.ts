import { decodeCbor } from "../../lib/emulator/cbor";

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ""), "hex");

describe("decodeCbor", () => {
  // Examples from RFC 8949, Appendix A.
  it.each([
    ["00", 0],
    ["1903e8", 1000],
    ["1b000000e8d4a51000", 1000000000000],
    ["3903e7", -1000],
    ["f93c00", 1],
    ["f9c400", -4],
    ["fa47c35000", 100000],
    ["fb3ff199999999999a", 1.1],
    ["f4", false],
    ["f5", true],
    ["f6", null],
    ["6449455446", "IETF"],
    ["62c3bc", "\u00fc"],
    ["83010203", [1, 2, 3]],
    ["a201020304", { 1: 2, 3: 4 }],
    ["9f018202039f0405ffff", [1, [2, 3], [4, 5]]],
    ["bf6346756ef563416d7421ff", { Fun: true, Amt: -2 }],
    ["7f657374726561646d696e67ff", "streaming"],
    ["c074323031332d30332d32315432303a30343a30305a", "2013-03-21T20:04:00Z"],
  ])("%s", (bytes, value) => {
    expect(decodeCbor(hex(bytes))).toEqual(value);
  });

  it("reads byte strings as bytes", () => {
    expect(decodeCbor(hex("4401020304"))).toEqual(Buffer.from([1, 2, 3, 4]));
  });

  it.each([
    ["truncated", "6449"],
    ["trailing bytes", "0000"],
    ["reserved information", "1c"],
    ["empty", ""],
  ])("answers undefined for %s input", (_what, bytes) => {
    expect(decodeCbor(hex(bytes))).toBeUndefined();
  });
});
