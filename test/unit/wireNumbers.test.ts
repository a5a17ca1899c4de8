import { describe, expect, it } from "vitest";
import { Decoder, Encoder, schema, t } from "@colyseus/schema";
import { EPOCH_MS_BASE, readDecimal, writeDecimal } from "../../shared/wireNumbers.ts";
import { PointState } from "../../shared/state.ts";

/** Encode one number, decode it back; how many bytes it took. */
function roundTrip(value: number, base = 0): { back: number; bytes: number } {
  const buf = new Uint8Array(16);
  const w = { offset: 0 };
  writeDecimal(buf, value, base, w);
  const r = { offset: 0 };
  const back = readDecimal(buf, base, r);
  expect(r.offset).toBe(w.offset); // the reader consumes exactly what the writer wrote
  return { back, bytes: w.offset };
}

/** mulberry32: a small seeded generator, so a failure replays. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("point values on the wire (decimal)", () => {
  it("sends a plant value with a few decimals in 1-3 bytes instead of 8, and gives back the same number", () => {
    for (const [v, bytes] of [
      [45.3, 2],
      [-12.75, 3],
      [0, 1],
      [1, 1],
      [1500, 3],
      [7.25, 2],
      [99.99, 3],
      [0.001, 1],
    ] as const) {
      const r = roundTrip(v);
      expect(Object.is(r.back, v), `${v} came back as ${r.back}`).toBe(true);
      expect(r.bytes, `${v}`).toBe(bytes);
    }
  });

  it("sends what has no short exact form as a plain float64, unchanged (pi, -0, huge, infinite, NaN)", () => {
    for (const v of [Math.PI, -0, 1e300, -1e-300, 2 ** 53 + 2, Infinity, -Infinity, Number.NaN, 0.1 + 0.2]) {
      const r = roundTrip(v);
      expect(Object.is(r.back, v), `${v} came back as ${r.back}`).toBe(true);
      expect(r.bytes, `${v}`).toBe(9);
    }
  });

  it("gives back every double exactly, whatever its shape (seeded fuzz)", () => {
    const rand = rng(26);
    for (let i = 0; i < 20_000; i++) {
      const kind = i % 4;
      const v =
        kind === 0
          ? Math.round((rand() - 0.5) * 10 ** (1 + Math.floor(rand() * 9))) / 10 ** Math.floor(rand() * 9)
          : kind === 1
            ? (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20)
            : kind === 2
              ? Math.floor((rand() - 0.5) * 2 ** 54)
              : Number(((rand() - 0.5) * 2000).toFixed(Math.floor(rand() * 4)));
      const r = roundTrip(v);
      expect(Object.is(r.back, v), `${v} came back as ${r.back}`).toBe(true);
      expect(r.bytes).toBeLessThanOrEqual(9);
    }
  });
});

describe("source timestamps on the wire (epochms)", () => {
  it("sends a whole-millisecond time of these years in 6 bytes instead of 8", () => {
    for (const ts of [Date.UTC(2026, 11, 6, 9, 30, 0, 123), Date.UTC(2031, 5, 1), Date.UTC(2021, 0, 1)]) {
      const r = roundTrip(ts, EPOCH_MS_BASE);
      expect(r.back).toBe(ts);
      expect(r.bytes).toBe(6);
    }
  });

  it("gives back sub-millisecond, far-off and 'no value yet' (0) times exactly", () => {
    const rand = rng(7);
    const times = [0, 946_684_800_000, 7_258_118_400_000, 1_765_012_345_678.123, 1_765_012_345_678.5];
    for (let i = 0; i < 5000; i++) times.push(EPOCH_MS_BASE + (rand() - 0.5) * 4e11 + (i % 2 ? 0 : rand()));
    for (const ts of times) {
      const r = roundTrip(ts, EPOCH_MS_BASE);
      expect(Object.is(r.back, ts), `${ts} came back as ${r.back}`).toBe(true);
      expect(r.bytes).toBeLessThanOrEqual(9);
    }
  });
});

describe("PointState through the schema encoder", () => {
  /** The same fields as float64, as PointState had them before (protocol 2). */
  const Float64Point = schema({ v: t.float64(), ts: t.float64(), q: t.uint8(), stale: t.boolean() }, "Float64Point");

  /** Bytes of a full encode and of a patch that moves value and time on, decoded back with the same classes. */
  function encodeTwice<T extends { v: number; ts: number; q: number; stale: boolean }>(make: () => T) {
    const ps = make();
    Object.assign(ps, { v: 45.3, ts: 1_765_012_345_678, q: 0, stale: false });
    const encoder = new Encoder(ps as never);
    const full = encoder.encodeAll().slice();
    const seen = make();
    const decoder = new Decoder(seen as never);
    decoder.decode(full);
    const first = { v: seen.v, ts: seen.ts };
    encoder.discardChanges();
    Object.assign(ps, { v: 45.4, ts: 1_765_012_346_678 });
    const patch = encoder.encode().slice();
    decoder.decode(patch);
    return { first, second: { v: seen.v, ts: seen.ts }, patchBytes: patch.length };
  }

  it("decodes the value and time the server set, with 8 bytes less per update than float64 fields", () => {
    const compact = encodeTwice(() => new PointState());
    const float64 = encodeTwice(() => new Float64Point());
    expect(compact.first).toEqual({ v: 45.3, ts: 1_765_012_345_678 });
    expect(compact.second).toEqual({ v: 45.4, ts: 1_765_012_346_678 });
    expect(float64.second).toEqual(compact.second);
    // value 2 bytes instead of 8, time 6 instead of 8
    expect(float64.patchBytes - compact.patchBytes).toBe(8);
  });
});
