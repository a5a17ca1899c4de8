/** Push-to-talk in the headset (client/xr/PushToTalk.ts): which button or pinch opens the microphone, and for how long. */
import { describe, expect, it } from "vitest";
import { PINCH_HOLD_MS, PushToTalk } from "../../client/xr/PushToTalk.ts";
import type { XrRig } from "../../client/xr/XrRig.ts";

interface FakeHand {
  side: "left" | "right";
  isHand: boolean;
  selecting: boolean;
  selectSince: number;
  upperHeld: boolean;
  gestureDuringPress: boolean;
}

const hand = (side: "left" | "right", isHand: boolean): FakeHand => ({
  side,
  isHand,
  selecting: false,
  selectSince: 0,
  upperHeld: false,
  gestureDuringPress: false,
});

function setup(isHand: boolean) {
  const calls: boolean[] = [];
  const left = hand("left", isHand);
  const right = hand("right", isHand);
  const rig = { hands: [left, right], hooks: { talk: (d: boolean) => calls.push(d) } } as unknown as XrRig;
  return { ptt: new PushToTalk(rig), calls, left, right };
}

describe("push-to-talk in a headset", () => {
  it("opens while the right controller's B is held and closes on release", () => {
    const { ptt, calls, right } = setup(false);
    right.upperHeld = true;
    ptt.update(0);
    ptt.update(16);
    right.upperHeld = false;
    ptt.update(32);
    expect(calls).toEqual([true, false]);
  });

  it("leaves the left controller's Y to pinning the panel", () => {
    const { ptt, calls, left } = setup(false);
    left.upperHeld = true;
    ptt.update(0);
    expect(calls).toEqual([]);
  });

  it("a short left-hand pinch is a click, not talk; a held one talks and its release is no click", () => {
    const { ptt, calls, left } = setup(true);
    left.selecting = true;
    left.selectSince = 1000;
    ptt.update(1000 + PINCH_HOLD_MS - 1);
    expect(calls).toEqual([]);
    expect(left.gestureDuringPress).toBe(false);
    ptt.update(1000 + PINCH_HOLD_MS);
    expect(calls).toEqual([true]);
    expect(left.gestureDuringPress).toBe(true);
    left.selecting = false;
    ptt.update(2000);
    expect(calls).toEqual([true, false]);
  });

  it("two hands pinching is the tabletop's scale gesture, never talk", () => {
    const { ptt, calls, left, right } = setup(true);
    left.selecting = right.selecting = true;
    ptt.update(5000);
    expect(calls).toEqual([]);
  });

  it("leaving the session closes a microphone held open", () => {
    const { ptt, calls, right } = setup(false);
    right.upperHeld = true;
    ptt.update(0);
    ptt.detach();
    expect(calls).toEqual([true, false]);
  });
});
