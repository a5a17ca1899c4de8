/** A stroke as drawn on a desktop tile or with a headset's ray (client/video/strokePoints.ts). */
import { describe, expect, it } from "vitest";
import { MAX_STROKE_POINTS } from "../../shared/protocol.ts";
import { addPoint, isStroke } from "../../client/video/strokePoints.ts";
import { buttonLocal, pictureLocal, VIDEO_PANEL_W } from "../../client/xr/videoPanelLayout.ts";

describe("a stroke on a camera's frame", () => {
  it("keeps each point once: a ray resting on one spot for many frames adds it once", () => {
    const pts: number[] = [];
    for (const [x, y] of [
      [0.1, 0.2],
      [0.1, 0.2],
      [0.3, 0.2],
      [0.3, 0.2],
      [0.1, 0.2],
    ] as const)
      addPoint(pts, x, y);
    expect(pts).toEqual([0.1, 0.2, 0.3, 0.2, 0.1, 0.2]);
  });

  it("stops at the room's limit instead of growing a stroke the room would refuse", () => {
    const pts: number[] = [];
    for (let i = 0; i < MAX_STROKE_POINTS + 50; i++) addPoint(pts, (i % 100) / 100, 0.5);
    expect(pts.length).toBe(MAX_STROKE_POINTS * 2);
  });

  it("is a stroke from two points on; a tap (one point) is not sent", () => {
    expect(isStroke([0.5, 0.5])).toBe(false);
    expect(isStroke([0.5, 0.5, 0.6, 0.5])).toBe(true);
  });
});

describe("the headset's video panel geometry", () => {
  it("puts frame corners at the picture plane's corners, y down, and the button in the caption's right part", () => {
    expect(pictureLocal(0, 0)).toEqual([-VIDEO_PANEL_W / 2, 0.5, 0]);
    expect(pictureLocal(1, 1)).toEqual([VIDEO_PANEL_W / 2, -0.5, 0]);
    const [x] = buttonLocal();
    expect(x).toBeGreaterThan(0);
    expect(x).toBeLessThan(VIDEO_PANEL_W / 2);
  });
});
