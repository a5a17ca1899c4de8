/**
 * A what-if laid over what really happened (client/ui/whatIfGhost.ts): the inspector's chart reaches back to the
 * drawn what-if's fork, however long ago, so its dashed prediction stays beside the real line, during and after its
 * horizon; without a what-if it shows the last 5 minutes; it never reaches back more than 2 hours.
 */
import { describe, expect, it } from "vitest";
import { chartStart, MAX_COMPARE_MS, predictedInView } from "../../client/ui/whatIfGhost.ts";

const MIN = 60_000;
const now = 1_800_000_000_000;

describe("prediction beside what happened", () => {
  it("reaches back to a fork older than the recent window, and no further than 2 hours", () => {
    expect(chartStart(now, 5 * MIN)).toBe(now - 5 * MIN);
    expect(chartStart(now, 5 * MIN, { from: now - 2 * MIN })).toBe(now - 5 * MIN);
    expect(chartStart(now, 5 * MIN, { from: now - 25 * MIN })).toBe(now - 25 * MIN);
    expect(chartStart(now, 5 * MIN, { from: now - 5 * 60 * MIN })).toBe(now - MAX_COMPARE_MS);
  });

  it("after the horizon the whole prediction is drawn, from the fork to the look-ahead", () => {
    const values = Array.from({ length: 121 }, (_, i) => i);
    const line = { from: now - 25 * MIN, stepMs: 5000, values, until: now - 15 * MIN };
    expect(predictedInView(line)).toHaveLength(121);
    expect(chartStart(now, 5 * MIN, line)).toBeLessThanOrEqual(line.from);
  });
});
