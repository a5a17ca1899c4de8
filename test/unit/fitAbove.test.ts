import { describe, expect, it } from "vitest";
import { roomAbove, type Rect } from "../../client/ui/fitAbove.ts";

const box = (left: number, top: number, width: number, height: number): Rect => ({
  left,
  top,
  right: left + width,
  bottom: top + height,
});

describe("the inspector's height beside the docked panels", () => {
  // A 1280 × 720 window: the inspector hangs from the top bar on the right.
  const inspector = box(778, 52, 490, 900);

  it("ends above the notes panel under it, with a gap", () => {
    const notes = box(928, 600, 340, 108);
    expect(roomAbove(inspector, [notes], 720, 12)).toBe(600 - 8 - 52);
  });

  it("ends above the highest of the panels in its columns (the timeline reaches under its left edge)", () => {
    const notes = box(928, 640, 340, 68);
    const timeline = box(390, 560, 500, 148);
    expect(roomAbove(inspector, [notes, timeline], 720, 12)).toBe(560 - 8 - 52);
  });

  it("ignores panels beside it (the alarms on the left) and takes the window's height when nothing is below", () => {
    const alarms = box(12, 400, 380, 308);
    expect(roomAbove(inspector, [alarms], 720, 12)).toBe(720 - 12 - 52);
  });

  it("keeps a readable height on a window too small for both", () => {
    const notes = box(928, 120, 340, 100);
    expect(roomAbove(inspector, [notes], 240, 12)).toBe(160);
  });
});
