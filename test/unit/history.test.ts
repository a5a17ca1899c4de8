import { describe, expect, it } from "vitest";
import { PointHistory } from "../../server/twin/PointHistory.ts";
import { CoarseHistory } from "../../server/twin/CoarseHistory.ts";

describe("PointHistory (working memory of one point)", () => {
  it("answers 'value at time t' with the sample in force at t", () => {
    const h = new PointHistory(10);
    h.add(1000, 1, 0);
    h.add(2000, 2, 0);
    h.add(3000, 3, 0);
    expect(h.at(999)).toBeUndefined();
    expect(h.at(1000)?.v).toBe(1);
    expect(h.at(2500)?.v).toBe(2);
    expect(h.at(9999)?.v).toBe(3);
  });

  it("keeps late samples in time order without losing newer ones", () => {
    const h = new PointHistory(10);
    for (const t of [1000, 3000, 5000]) h.add(t, t, 0);
    h.add(2000, 2000, 0);
    h.add(4000, 4000, 0);
    expect(h.range(0, 10_000).ts).toEqual([1000, 2000, 3000, 4000, 5000]);
  });

  it("stays bounded: the oldest sample falls off when full", () => {
    const h = new PointHistory(4);
    for (let i = 1; i <= 10; i++) h.add(i * 1000, i, 0);
    expect(h.size).toBe(4);
    expect(h.oldest).toBe(7000);
    expect(h.newest).toBe(10_000);
    // a late sample older than everything kept is refused, not wrapped in
    expect(h.add(1000, 1, 0)).toBe(false);
    expect(h.range(0, 20_000).ts).toEqual([7000, 8000, 9000, 10_000]);
  });

  it("inserts a late sample into a full buffer in order", () => {
    const h = new PointHistory(4);
    for (const t of [1000, 2000, 4000, 5000]) h.add(t, t, 0);
    expect(h.add(3000, 3000, 0)).toBe(true);
    expect(h.range(0, 10_000).ts).toEqual([2000, 3000, 4000, 5000]);
  });

  it("grows past its first allocation with late samples in between, then stays bounded at capacity", () => {
    const h = new PointHistory(1000);
    // 700 samples, every fifth one arriving late (out of order), across several growth steps.
    const order: number[] = [];
    for (let k = 0; k < 700; k++) if (k % 5 !== 4) order.push(k);
    for (let k = 4; k < 700; k += 5) order.splice(Math.min(order.length, order.indexOf(k - 4) + 3), 0, k);
    for (const k of order) expect(h.add(1000 + k * 10, k, 0)).toBe(true);
    expect(h.size).toBe(700);
    expect(h.range(0, Infinity).v).toEqual(Array.from({ length: 700 }, (_, k) => k));
    expect(h.bytes).toBeLessThan(1000 * 17 + 1);
    for (let k = 700; k < 1300; k++) h.add(1000 + k * 10, k, 0);
    expect(h.size).toBe(1000);
    expect(h.bytes).toBe(1000 * 17);
    expect(h.at(1000 + 300 * 10)?.v).toBe(300);
    expect(h.at(1000 + 299 * 10)).toBeUndefined();
  });

  it("downsamples a range to at most N points and keeps the spike", () => {
    const h = new PointHistory(2000);
    for (let i = 0; i < 1000; i++) h.add(i * 1000, i === 500 ? 99 : 1, 0);
    const r = h.range(0, 1_000_000, 50);
    expect(r.ts.length).toBeLessThanOrEqual(50);
    expect(Math.max(...r.v)).toBe(99);
  });
});

describe("CoarseHistory (reduced-resolution tier)", () => {
  it("keeps min, max, mean and last per bucket and answers value-at-t past the full-rate horizon", () => {
    const c = new CoarseHistory(10, 60_000);
    for (let s = 0; s < 180; s++) c.add(s * 1000, s < 60 ? 1 : s < 120 ? 5 : 3);
    const r = c.range(0, 180_000);
    expect(r.ts).toEqual([30_000, 90_000, 150_000]);
    expect(r.v).toEqual([1, 5, 3]);
    expect(c.at(100_000)).toEqual({ ts: 60_000, v: 5 }); // inside a bucket: its mean
    expect(c.at(-1)).toBeUndefined();
    expect(c.at(179_500)).toEqual({ ts: 179_000, v: 3 });
  });

  it("grows bucket by bucket past its first allocation and keeps every bucket in order", () => {
    const c = new CoarseHistory(500, 60_000);
    for (let m = 0; m < 300; m++) c.add(m * 60_000 + 1000, m);
    expect(c.bytes).toBeLessThan(500 * 7 * 8 + 1);
    for (let m = 0; m < 300; m++) expect(c.at(m * 60_000 + 30_000)?.v).toBe(m);
    expect(c.oldest).toBe(0);
    for (let m = 300; m < 700; m++) c.add(m * 60_000 + 1000, m);
    expect(c.bytes).toBe(500 * 7 * 8);
    expect(c.oldest).toBe(200 * 60_000);
  });

  it("stays bounded and drops what is older than its horizon", () => {
    const c = new CoarseHistory(3, 1000);
    for (let t = 0; t < 10_000; t += 100) c.add(t, t);
    expect(c.oldest).toBe(7000);
    c.add(1000, 42); // too old: ignored, nothing corrupted
    expect(c.range(0, 20_000).ts).toHaveLength(3);
  });
});

describe("two tiers together", () => {
  it("valueAt falls back to the coarse tier once full-rate history has rolled over, and says nothing past both", async () => {
    const { PlantTwin } = await import("../../server/twin/PlantTwin.ts");
    const { demoPlant } = await import("./fixtures.ts");
    const twin = new PlantTwin((await demoPlant()).model, {
      horizonMs: 20_000,
      coarseHorizonMs: 600_000,
      coarseBucketMs: 60_000,
    });
    const i = twin.indexOf("T101", "level")!;
    const t0 = 1_700_000_000_000;
    for (let s = 0; s < 300; s++) twin.apply(i, s, t0 + s * 1000, 0, t0 + s * 1000);
    expect(twin.valueAt(i, t0 + 299_000)).toMatchObject({ v: 299, q: 0 }); // full rate
    const old = twin.valueAt(i, t0 + 30_000)!; // rolled out of full rate: coarse, marked uncertain
    expect(old.q).toBe(1);
    expect(old.v).toBeLessThanOrEqual(60);
    expect(twin.valueAt(i, t0 - 3_600_000)).toBeUndefined();
    expect(twin.rangeOf(i, t0, t0 + 299_000, 100).resolution).toBe("mixed");
  });
});
