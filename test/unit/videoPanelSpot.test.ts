/** Where the video panel goes (client/video/clearSpot.ts): clear of the other panels, never over the alarms. */
import { describe, expect, it } from "vitest";
import { clearSpot, type Box } from "../../client/video/clearSpot.ts";

// The desktop's panels at 1000×640 as the browser lays them out (client/style.css).
const topbar: Box = { left: 0, top: 0, width: 1000, height: 40 };
const participants: Box = { left: 12, top: 52, width: 220, height: 250 };
const alarms: Box = { left: 12, top: 540, width: 380, height: 88 };
const notes: Box = { left: 648, top: 555, width: 340, height: 73 };
const timeline: Box = { left: 290, top: 570, width: 420, height: 58 };
const desk = [topbar, participants, alarms, notes, timeline];
const video = (w: number) => Math.round((w * 9) / 16) + 40;

const hits = (a: Box, b: Box) =>
  a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;

describe("video panel spot", () => {
  it("at 1000×640 goes beside the participants, under the top bar, covering no panel", () => {
    const s = clearSpot({ width: 1000, height: 640 }, [420, 360, 300, 240], video, desk);
    expect(s.covered).toBe(0);
    expect(s).toMatchObject({ left: 244, top: 52, width: 420 });
    for (const p of desk) expect(hits(s, p), JSON.stringify(p)).toBe(false);
  });

  it("moves right when the plant status panel takes the spot beside the participants", () => {
    const status: Box = { left: 256, top: 52, width: 380, height: 90 };
    const s = clearSpot({ width: 1600, height: 900 }, [420, 360], video, [...desk, status]);
    expect(s.covered).toBe(0);
    expect(hits(s, status)).toBe(false);
    expect(s.left).toBeGreaterThanOrEqual(648);
  });

  it("shrinks before it covers anything: with the inspector open at 1000×640 a narrower panel fits", () => {
    const inspector: Box = { left: 498, top: 52, width: 490, height: 480 };
    const s = clearSpot({ width: 1000, height: 640 }, [420, 360, 300, 240], video, [...desk, inspector]);
    expect(s.covered).toBe(0);
    expect(s.width).toBeLessThan(420);
    for (const p of [...desk, inspector]) expect(hits(s, p), JSON.stringify(p)).toBe(false);
  });

  it("where nothing is free it covers the least, and says how much", () => {
    const wall: Box = { left: 0, top: 0, width: 600, height: 400 };
    const s = clearSpot({ width: 640, height: 400 }, [420], video, [wall]);
    expect(s.covered).toBeGreaterThan(0);
    expect(s.covered).toBeLessThan(420 * video(420));
    expect(s.left + s.width).toBeLessThanOrEqual(640);
  });
});
