import { describe, expect, it } from "vitest";
import { PointHistory } from "../../server/twin/PointHistory.ts";

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

  it("downsamples a range to at most N points and keeps the spike", () => {
    const h = new PointHistory(2000);
    for (let i = 0; i < 1000; i++) h.add(i * 1000, i === 500 ? 99 : 1, 0);
    const r = h.range(0, 1_000_000, 50);
    expect(r.ts.length).toBeLessThanOrEqual(50);
    expect(Math.max(...r.v)).toBe(99);
  });
});
