/**
 * Push-to-talk in a headset, where the desktop's mute button cannot be reached: hold the right
 * controller's B button, or hold a pinch of the left hand (the hand that carries the wrist panel), and
 * a muted microphone is open until the button or pinch lets go (VoiceCall.setPushToTalk, through the
 * page's `talk` hook).
 *
 * Why the pinch must be held: a short pinch is a click (select, press a tab). Half a second tells a
 * deliberate hold from a click, and a pinch that turned into talking is not a click when it ends.
 * While both hands pinch, that is the tabletop's two-hand scale gesture, never talking.
 * Left Y keeps pinning the wrist panel; right B is the talk button.
 */
import type { XrFeature, XrSessionStart } from "./xrFeature.ts";
import type { XrRig } from "./XrRig.ts";

/** How long a left-hand pinch is held before the microphone opens. */
export const PINCH_HOLD_MS = 500;

export class PushToTalk implements XrFeature {
  /** The microphone is held open from the headset right now. */
  talking = false;

  constructor(private readonly rig: XrRig) {}

  attach(_start: XrSessionStart): void {}

  /** Once a frame; allocates nothing. */
  update(now: number): void {
    const hands = this.rig.hands;
    let pinching = 0;
    for (let i = 0; i < hands.length; i++) if (hands[i]!.selecting) pinching++;
    let down = false;
    for (let i = 0; i < hands.length; i++) {
      const h = hands[i]!;
      if (!h.isHand && h.side === "right" && h.upperHeld) down = true;
      else if (h.isHand && h.side === "left" && h.selecting && pinching === 1 && now - h.selectSince >= PINCH_HOLD_MS) {
        // Its release is the end of talking, not a click on whatever the ray points at.
        h.gestureDuringPress = true;
        down = true;
      }
    }
    this.set(down);
  }

  detach(): void {
    this.set(false);
  }

  dispose(): void {
    this.set(false);
  }

  private set(down: boolean): void {
    if (down === this.talking) return;
    this.talking = down;
    this.rig.hooks.talk?.(down);
  }
}
