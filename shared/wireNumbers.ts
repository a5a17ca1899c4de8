/**
 * Compact, lossless wire types for the two numbers every point update carries (registered with
 * @colyseus/schema, so both sides encode and decode them through the same functions):
 *
 *   "decimal"  a process value. Plant values are decimals (45.3 %, 1500 rpm, 7.25 bar), which a float64
 *              spends 8 bytes on; here 45.3 goes as the integer 453 and "one decimal" in 2 bytes.
 *   "epochms"  a source timestamp in ms, sent as its distance from 2026-01-01 (6 bytes for ±8 years
 *              of whole milliseconds instead of 8).
 *
 * Both are lossless: the encoder checks that the decoder's arithmetic gives back exactly the same
 * double (Object.is), and sends a plain float64 otherwise (NaN, ±Infinity, -0, values with more than
 * 6 decimals, huge magnitudes). So every reader of PointState still sees the values the server holds.
 *
 * Wire form: one unsigned LEB128 varint h = zigzag(m) * 8 + k, where the value is base + m / 10^k
 * (k = 0..6); h = 7 means "float64 follows" (8 bytes, little endian). Measured by bench/bytes.ts.
 */
import { decode, encode, FieldBuilder, registerType, type Iterator } from "@colyseus/schema";

type Bytes = ArrayLike<number> & { [index: number]: number };

const FLOAT = 7;
const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000] as const;
/** Largest |m| whose header h stays an exact integer in a double (zigzag doubles it, the 3 bits of k multiply by 8). */
const MAX_M = Math.floor(Number.MAX_SAFE_INTEGER / 16);
/** The base of "epochms": 2026-01-01T00:00:00Z. */
export const EPOCH_MS_BASE = Date.UTC(2026, 0, 1);

function writeVarint(bytes: Bytes, h: number, it: Iterator): void {
  while (h >= 128) {
    bytes[it.offset++] = (h % 128) | 128;
    h = Math.floor(h / 128);
  }
  bytes[it.offset++] = h;
}

function readVarint(bytes: Bytes, it: Iterator): number {
  let h = 0;
  let scale = 1;
  for (;;) {
    const b = bytes[it.offset++]!;
    h += (b & 127) * scale;
    if (b < 128) return h;
    scale *= 128;
  }
}

/** Write `value` as base + m / 10^k with the smallest k that gives it back exactly; float64 when none does. */
export function writeDecimal(bytes: Bytes, value: number, base: number, it: Iterator): void {
  const x = value - base;
  for (let k = 0; k < POW10.length; k++) {
    const p = POW10[k]!;
    const m = Math.round(x * p);
    if (!(Math.abs(m) <= MAX_M)) break; // also NaN and ±Infinity
    if (Object.is(base + m / p, value)) {
      writeVarint(bytes, (m >= 0 ? m * 2 : -m * 2 - 1) * 8 + k, it);
      return;
    }
  }
  bytes[it.offset++] = FLOAT;
  encode.float64(bytes, value, it);
}

export function readDecimal(bytes: Bytes, base: number, it: Iterator): number {
  const h = readVarint(bytes, it);
  const k = h % 8;
  if (k === FLOAT) return decode.float64(bytes, it);
  const z = (h - k) / 8;
  const m = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  return base + m / POW10[k]!;
}

registerType("decimal", {
  encode: (bytes, value: number, it) => writeDecimal(bytes, value, 0, it),
  decode: (bytes, it) => readDecimal(bytes, 0, it),
});
registerType("epochms", {
  encode: (bytes, value: number, it) => writeDecimal(bytes, value, EPOCH_MS_BASE, it),
  decode: (bytes, it) => readDecimal(bytes, EPOCH_MS_BASE, it),
});

/** Field builders for schema({...}), like t.float64(): registered above, so any module defining a schema with them has them. */
export const wire = {
  decimal: (): FieldBuilder<number> => new FieldBuilder<number>("decimal" as unknown as "float64"),
  epochMs: (): FieldBuilder<number> => new FieldBuilder<number>("epochms" as unknown as "float64"),
};
