/**
 * A minimal CBOR decoder (RFC 8949) for request bodies of the Smithy RPC v2 CBOR protocol (CloudWatch's
 * newest): maps, arrays, text and byte strings, integers, floats, booleans, null, tags (their content).
 * Indefinite lengths included. Returns undefined for anything it cannot read, never throws.
 */
export function decodeCbor(bytes: Uint8Array): unknown {
  try {
    const reader = { offset: 0 };
    const value = item(bytes, reader);
    return reader.offset === bytes.length ? value : undefined;
  } catch {
    return undefined;
  }
}

const BREAK = Symbol("break");

function length(bytes: Uint8Array, reader: { offset: number }, info: number): number | undefined {
  if (info < 24) return info;
  const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
  if (size === 0) {
    if (info === 31) return undefined; // indefinite
    throw new Error("reserved additional information");
  }
  if (reader.offset + size > bytes.length) throw new Error("truncated");
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + bytes[reader.offset + i];
  reader.offset += size;
  return value;
}

function item(bytes: Uint8Array, reader: { offset: number }): unknown {
  if (reader.offset >= bytes.length) throw new Error("truncated");
  const initial = bytes[reader.offset++];
  const major = initial >> 5;
  const info = initial & 0x1f;
  if (major === 7) return simple(bytes, reader, info);
  const n = length(bytes, reader, info);
  switch (major) {
    case 0:
      return n;
    case 1:
      return -1 - (n ?? 0);
    case 2:
    case 3: {
      const chunks: Uint8Array[] = [];
      if (n === undefined) {
        for (let chunk = item(bytes, reader); chunk !== BREAK; chunk = item(bytes, reader))
          chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Uint8Array));
      } else {
        if (reader.offset + n > bytes.length) throw new Error("truncated");
        chunks.push(bytes.subarray(reader.offset, reader.offset + n));
        reader.offset += n;
      }
      const joined = Buffer.concat(chunks);
      return major === 3 ? joined.toString("utf8") : joined;
    }
    case 4: {
      const list: unknown[] = [];
      if (n === undefined)
        for (let v = item(bytes, reader); v !== BREAK; v = item(bytes, reader)) list.push(v);
      else for (let i = 0; i < n; i++) list.push(item(bytes, reader));
      return list;
    }
    case 5: {
      const map: Record<string, unknown> = {};
      for (let i = 0; n === undefined || i < n; i++) {
        const key = item(bytes, reader);
        if (key === BREAK) break;
        map[String(key)] = item(bytes, reader);
      }
      return map;
    }
    default: // 6: a tag (timestamps, big numbers): its content
      return item(bytes, reader);
  }
}

function simple(bytes: Uint8Array, reader: { offset: number }, info: number): unknown {
  const view = () => new DataView(bytes.buffer, bytes.byteOffset + reader.offset);
  switch (info) {
    case 20:
      return false;
    case 21:
      return true;
    case 22:
    case 23:
      return null;
    case 25: {
      const half = view().getUint16(0);
      reader.offset += 2;
      const exponent = (half >> 10) & 0x1f;
      const fraction = half & 0x3ff;
      const sign = half & 0x8000 ? -1 : 1;
      if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
      if (exponent === 31) return fraction ? NaN : sign * Infinity;
      return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
    }
    case 26: {
      const value = view().getFloat32(0);
      reader.offset += 4;
      return value;
    }
    case 27: {
      const value = view().getFloat64(0);
      reader.offset += 8;
      return value;
    }
    case 31:
      return BREAK;
    default:
      throw new Error("unsupported simple value");
  }
}
