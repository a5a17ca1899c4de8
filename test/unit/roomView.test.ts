/**
 * RoomView decides, in one place for desktop and XR, which time the panels show: the room's shared playback
 * time while it plays back (unless this participant stepped out to live), and live values otherwise.
 */
import { describe, expect, it } from "vitest";
import { RoomView } from "../../client/app/RoomView.ts";
import type { PlantRoomState } from "../../shared/state.ts";

function room(viewTime: number): PlantRoomState {
  const live = new Map([["T101", { status: 0, points: new Map([["level", { v: 80 }]]) }]]);
  const past = new Map([["T101", { status: 3, points: new Map([["level", { v: 20 }]]) }]]);
  return {
    viewTime,
    twins: live,
    playback: past,
    alarms: new Map([["live-alarm", {}]]),
    pastAlarms: new Map([["past-alarm", {}]]),
  } as unknown as PlantRoomState;
}

const level = (v: ReturnType<RoomView["current"]>) =>
  (v!.twins.get("T101")!.points as unknown as Map<string, { v: number }>).get("level")!.v;

describe("RoomView: one answer to 'which time is shown' for every panel", () => {
  it("shows nothing before the first patch", () => {
    expect(new RoomView(() => false).current()).toBeNull();
  });

  it("live: the room's twins and alarms, at the clock's now", () => {
    const v = new RoomView(
      () => false,
      () => 1234,
    );
    v.setState(room(0));
    const s = v.current()!;
    expect([s.past, s.at, level(s), [...s.alarms.keys()]]).toEqual([false, 1234, 80, ["live-alarm"]]);
  });

  it("shared playback: the past twins and alarms, at the room's view time", () => {
    const v = new RoomView(
      () => false,
      () => 9999,
    );
    v.setState(room(5000));
    const s = v.current()!;
    expect([s.past, s.at, level(s), [...s.alarms.keys()]]).toEqual([true, 5000, 20, ["past-alarm"]]);
  });

  it("a participant who stepped out of playback sees live values while the room plays back", () => {
    let selfLive = false;
    const v = new RoomView(
      () => selfLive,
      () => 9999,
    );
    v.setState(room(5000));
    expect(level(v.current())).toBe(20);
    selfLive = true;
    const s = v.current()!;
    expect([s.past, s.at, level(s)]).toEqual([false, 9999, 80]);
  });
});
