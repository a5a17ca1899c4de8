/**
 * The wrist reads the samples a drawn what-if is compared with from the page's history request
 * (client/xr/WhatIfMissFeed.ts): at once for a new what-if, then every 5 s, never two at a time.
 */
import { describe, expect, it } from "vitest";
import { WhatIfMissFeed, type MissAsk } from "../../client/xr/WhatIfMissFeed.ts";
import type { PointSamples } from "../../client/ui/pointHistory.ts";

const FORK = 1_000_000;
const ask = (id: string): MissAsk => ({
  id,
  twin: "L101",
  point: "flow",
  from: FORK,
  stepMs: 5000,
  values: Array(121).fill(12),
});

function feed() {
  let t = 0;
  const calls: { twin: string; point: string; from: number; to: number; answer: (h: PointSamples) => void }[] = [];
  let changed = 0;
  const f = new WhatIfMissFeed(
    { history: (twin, point, from, to) => new Promise((answer) => calls.push({ twin, point, from, to, answer })) },
    () => changed++,
    () => t,
  );
  return { f, calls, changed: () => changed, at: (ms: number) => (t = ms) };
}

describe("the wrist's comparison of a what-if with what happened", () => {
  it("asks for the point's samples back to the fork, compares them once they arrive, and asks again after 5 s", async () => {
    const { f, calls, changed, at } = feed();
    expect(f.read(ask("a"), FORK + 45_000)).toBeNull();
    expect(calls.map((c) => [c.twin, c.point, c.from, c.to])).toEqual([
      ["L101", "flow", FORK + 45_000 - 300_000, FORK + 45_000],
    ]);
    f.read(ask("a"), FORK + 45_200);
    expect(calls).toHaveLength(1);
    calls[0]!.answer({ ts: [FORK - 1000, FORK + 45_000], v: [12, 7.214] });
    await Promise.resolve();
    expect(changed()).toBe(1);
    expect(f.read(ask("a"), FORK + 45_400)).toEqual({ afterS: 45, predicted: 12, actual: 7.214 });
    at(4999);
    f.read(ask("a"), FORK + 50_000);
    expect(calls).toHaveLength(1);
    at(5000);
    f.read(ask("a"), FORK + 50_000);
    expect(calls).toHaveLength(2);
  });

  it("another what-if drawn: nothing shown from the last one, asked at once; a late answer for the last one is dropped", async () => {
    const { f, calls } = feed();
    f.read(ask("a"), FORK + 45_000);
    f.read(ask("b"), FORK + 45_000);
    calls[0]!.answer({ ts: [FORK + 45_000], v: [7] });
    await Promise.resolve();
    expect(f.read(ask("b"), FORK + 45_000)).toBeNull();
  });

  it("asks nothing before the fork (a playback instant earlier than it)", () => {
    const { f, calls } = feed();
    expect(f.read(ask("a"), FORK - 1)).toBeNull();
    expect(calls).toEqual([]);
  });
});
