/** Camera delay on one clock (kit/frameTimes.ts), as the video bench and browser test compute it. */
import { describe, expect, it } from "vitest";
import { captureDelays, type FrameTime } from "../../kit/frameTimes.ts";

describe("capture-to-presentation delays", () => {
  it("takes presentation minus capture per frame, and counts frames that came without a capture time", () => {
    const frames: FrameTime[] = [
      [1000, 1010, 1040, 640, 360],
      [1066, Number.NaN, 1130, 640, 360],
      [Number.NaN, 1140, 1200, 640, 360],
    ];
    expect(captureDelays(frames)).toEqual({ delays: [40, 64], withoutCapture: 1 });
  });
});
