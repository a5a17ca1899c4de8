/** The desktop view draws every frame while someone acts or something moves, on change or once a second when calm, all in a headset. */
import { describe, expect, it } from "vitest";
import { FramePacer } from "../../client/scene/FramePacer.ts";

/** Drive the pacer with the animation frames of a 60 Hz display for `ms` (a whole number of frames); how many it drew. */
function frames(p: FramePacer, clock: { t: number; frame: number }, ms: number, immersive = false): number {
  let drawn = 0;
  for (const end = clock.frame + Math.round((ms * 60) / 1000); clock.frame < end; clock.frame++) {
    clock.t = (clock.frame * 1000) / 60;
    if (p.shouldDraw(immersive)) drawn++;
  }
  return drawn;
}

describe("FramePacer", () => {
  const times = { idleFrameMs: 1000, activeMs: 1500 };

  it("draws the first frame, then one a second when nobody acts and nothing changes", () => {
    const clock = { t: 0, frame: 0 };
    const p = new FramePacer(() => clock.t, times);
    expect(frames(p, clock, 1000 / 60)).toBe(1);
    const drawn = frames(p, clock, 10_000);
    expect(drawn).toBeGreaterThanOrEqual(9);
    expect(drawn).toBeLessThanOrEqual(10);
  });

  it("draws the very next frame after a change, once", () => {
    const clock = { t: 0, frame: 0 };
    const p = new FramePacer(() => clock.t, times);
    frames(p, clock, 500);
    p.invalidate();
    expect(p.shouldDraw(false)).toBe(true);
    expect(frames(p, clock, 300)).toBe(0);
  });

  it("draws every frame for 1.5 s after a wake, then calms down again", () => {
    const clock = { t: 0, frame: 0 };
    const p = new FramePacer(() => clock.t, times);
    frames(p, clock, 1000);
    p.wake();
    expect(frames(p, clock, 1400)).toBe(84);
    frames(p, clock, 200);
    expect(frames(p, clock, 2000)).toBeLessThanOrEqual(2);
  });

  it("keeps the full rate as long as wakes keep coming (a camera gliding, an avatar walking)", () => {
    const clock = { t: 0, frame: 0 };
    const p = new FramePacer(() => clock.t, times);
    let drawn = 0;
    for (let i = 0; i < 300; i++) {
      p.wake();
      drawn += frames(p, clock, 1000 / 60);
    }
    expect(drawn).toBe(300);
  });

  it("draws every frame in a headset, awake or not: the compositor needs each one", () => {
    const clock = { t: 0, frame: 0 };
    const p = new FramePacer(() => clock.t, times);
    expect(frames(p, clock, 5000, true)).toBe(300);
    expect(p.counts.skipped).toBe(0);
  });

  it("counts what it drew and skipped", () => {
    const clock = { t: 0, frame: 0 };
    const p = new FramePacer(() => clock.t, times);
    const drawn = frames(p, clock, 1000);
    expect(p.counts.drawn).toBe(drawn);
    expect(p.counts.drawn + p.counts.skipped).toBe(60);
  });
});
