/** The camera's adaptation to the link (client/video/bitratePolicy.ts): caps, the switch to stills and back, readings. */
import { describe, expect, it } from "vitest";
import {
  decideBitrate,
  meshKbps,
  outgoingKbps,
  TRY_LIVE_FIRST_MS,
  TRY_LIVE_MAX_MS,
  tryLiveAfterMs,
  type BitrateState,
} from "../../client/video/bitratePolicy.ts";

const live: BitrateState = { mode: "live", against: 0 };

describe("camera bitrate policy", () => {
  it("caps the camera to 75 % of the measured bandwidth, within the resolution's cap", () => {
    expect(decideBitrate(live, { kbps: 600 }, 360).maxBitrate).toBe(450_000);
    expect(decideBitrate(live, { kbps: 10_000 }, 360).maxBitrate).toBe(800_000);
    expect(decideBitrate(live, { kbps: 10_000 }, 720).maxBitrate).toBe(2_500_000);
    expect(decideBitrate(live, { kbps: null }, 720)).toMatchObject({ mode: "live", maxBitrate: 2_500_000 });
  });

  it("switches to stills after two readings below 256 kbps, not one, and back only above 400 kbps", () => {
    const one = decideBitrate(live, { kbps: 200 }, 360);
    expect(one.mode).toBe("live");
    const two = decideBitrate(one, { kbps: 200 }, 360);
    expect(two.mode).toBe("stills");
    // 300 kbps is above the switch point but below the way back: stay on stills.
    let s: BitrateState = two;
    for (let i = 0; i < 5; i++) s = decideBitrate(s, { kbps: 300 }, 360);
    expect(s.mode).toBe("stills");
    s = decideBitrate(decideBitrate(s, { kbps: 900 }, 360), { kbps: 900 }, 360);
    expect(s.mode).toBe("live");
  });

  it("a single good reading between bad ones does not flap", () => {
    let s: BitrateState = decideBitrate(live, { kbps: 100 }, 360);
    s = decideBitrate(s, { kbps: 900 }, 360);
    s = decideBitrate(s, { kbps: 100 }, 360);
    expect(s.mode).toBe("live");
  });

  it("reads availableOutgoingBitrate from the selected candidate pair; the thinnest link decides", () => {
    const report = [
      { type: "transport", id: "T", selectedCandidatePairId: "P2" },
      { type: "candidate-pair", id: "P1", availableOutgoingBitrate: 9_000_000 },
      { type: "candidate-pair", id: "P2", availableOutgoingBitrate: 300_000 },
    ];
    expect(outgoingKbps(report)).toBe(300);
    expect(outgoingKbps([{ type: "candidate-pair", id: "P", nominated: true, state: "succeeded" }])).toBeNull();
    expect(meshKbps([null, 900, 300])).toBe(300);
    expect(meshKbps([null])).toBeNull();
  });

  it("in stills, tries live video again after 10 s, then waits twice as long after each failed try, at most 80 s", () => {
    expect([0, 1, 2, 3, 4, 9].map(tryLiveAfterMs)).toEqual([10_000, 20_000, 40_000, 80_000, 80_000, 80_000]);
    expect(tryLiveAfterMs(0)).toBe(TRY_LIVE_FIRST_MS);
    expect(tryLiveAfterMs(50)).toBe(TRY_LIVE_MAX_MS);
  });
});
