/** The wrist's Time tab as data: who gets which controls, where a scrub lands, and what the scrubber maps to. */
import { describe, expect, it } from "vitest";
import { sliderAt, sliderUv } from "../../client/xr/panelLayout.ts";
import { tabText } from "../../client/xr/panelModels.ts";
import { bookmarkName, scrubTarget, sliderTime, timeTab, type TimeInput } from "../../client/xr/timeTab.ts";

const NOW = Date.UTC(2026, 11, 6, 9, 30, 0);
const base: TimeInput = {
  viewTime: 0,
  playbackSpeed: 0,
  by: "",
  selfLive: false,
  horizon: NOW - 30 * 60_000,
  now: NOW,
  bookmarks: [
    { ts: NOW - 20 * 60_000, name: "Pump start", actor: "Ada" },
    { ts: NOW - 10 * 60_000, name: "Leak seen", actor: "Bo" },
    { ts: NOW - 5 * 60_000, name: "Valve shut", actor: "Ada" },
  ],
};
const me = (role: string) => ({ seat: "s1", name: "Eli", role });

describe("the Time tab on the wrist", () => {
  it("gives an expert the scrub buttons, the scrubber and Go on bookmarks; nothing forward or Live while live", () => {
    const m = timeTab(base, me("expert"));
    expect(m.header).toBe("LIVE");
    expect(m.actions.map((a) => a?.label ?? null)).toEqual(["−1 min", "−10 s", null]);
    expect(m.slider?.at).toBe(1);
    expect(m.rows[1]!.buttons.map((b) => b?.label ?? null)).toEqual(["Bookmark", null]);
    // The newest two bookmarks, newest first; the third is counted as more.
    expect(m.rows.slice(2).map((r) => `${r.text}|${r.buttons[1]?.label}`)).toEqual(["Valve shut|Go", "Leak seen|Go"]);
    expect(m.more).toBe(1);
  });

  it("in playback offers +10 s and Live, and places the scrubber at the room's time", () => {
    const m = timeTab({ ...base, viewTime: NOW - 15 * 60_000, playbackSpeed: 4, by: "Eve" }, me("expert"));
    expect(m.header).toMatch(/^PLAYBACK \S+ ▶ 4× · Eve$/);
    expect(m.actions.map((a) => a?.label ?? null)).toEqual(["−1 min", "−10 s", "+10 s"]);
    expect(m.slider?.at).toBeCloseTo(0.5, 6);
    expect(m.rows[1]!.buttons.map((b) => b?.label ?? null)).toEqual(["Bookmark", "Live"]);
  });

  it("an operator may bookmark but not move the room's time; a viewer only reads where the room is", () => {
    const past = { ...base, viewTime: NOW - 60_000 };
    const op = timeTab(past, me("operator"));
    expect(op.actions).toEqual([null, null, null]);
    expect(op.slider).toBeUndefined();
    expect(op.rows[1]!.buttons.map((b) => b?.label ?? null)).toEqual(["Bookmark", null]);
    expect(op.rows.slice(2).every((r) => r.buttons.every((b) => b === null))).toBe(true);
    const viewer = timeTab(past, me("viewer"));
    expect(viewer.actions).toEqual([null, null, null]);
    expect(viewer.rows.flatMap((r) => r.buttons).every((b) => b === null)).toBe(true);
    expect(tabText(viewer)).toContain("An expert moves the room's time");
  });

  it("says when this participant watches live while the room plays back", () => {
    expect(timeTab({ ...base, viewTime: NOW - 60_000, selfLive: true }, me("viewer")).header).toMatch(/you see live$/);
  });
});

describe("scrubbing", () => {
  const H = NOW - 30 * 60_000;
  it("steps from the room's time, or from now when live", () => {
    expect(scrubTarget(0, NOW, H, -60_000)).toBe(NOW - 60_000);
    expect(scrubTarget(NOW - 120_000, NOW, H, 10_000)).toBe(NOW - 110_000);
  });
  it("never goes before working memory, and forward past now lands on now (live)", () => {
    expect(scrubTarget(H + 5_000, NOW, H, -60_000)).toBe(H);
    expect(scrubTarget(NOW - 5_000, NOW, H, 10_000)).toBe(NOW);
  });
  it("maps the scrubber's ends to the horizon and now, and the hit test inverts the aim point", () => {
    expect(sliderTime(H, NOW, 0)).toBe(H);
    expect(sliderTime(H, NOW, 1)).toBe(NOW);
    expect(sliderTime(H, NOW, 2)).toBe(NOW);
    for (const at of [0, 0.25, 0.5, 1]) expect(sliderAt(...sliderUv(at))).toBeCloseTo(at, 6);
    expect(sliderAt(0.5, 0.98), "the header is not the scrubber").toBeNull();
  });
  it("names a headset bookmark after the instant it marks", () => {
    expect(bookmarkName(NOW)).toMatch(/^Bookmark \d{2}:\d{2}:\d{2}$/);
  });
});
