/**
 * Co-location, one headset's side: touch the room's two marks with the right
 * controller, then compute the placement that puts the room's reference points
 * (plant coordinates) on the spots touched (this device's local space). Two
 * headsets that touched the same physical marks then agree on where every plant
 * point is in the real room, so pointers, avatars and notes line up.
 *
 * Setting new marks (operator+): the touched spots' current plant coordinates
 * become the room's reference points; the headset that set them stays where it is.
 * Pure: no Babylon, no I/O; the caller converts points and applies the result.
 */
import { alignFromTwoPoints, type Alignment } from "./placementMath.ts";

export type V3 = [number, number, number];
export type CalibrationStep = "idle" | "p1" | "p2";

/** A touch mismatch above this (the two spots' distance vs the marks') means the wrong marks were touched. */
export const MAX_TOUCH_ERROR = 0.15;

export type CalibrationOutcome =
  | { kind: "next" }
  | { kind: "aligned"; alignment: Alignment }
  | { kind: "define"; a: V3; b: V3; alignment: Alignment }
  | { kind: "mismatch"; message: string };

export class CalibrationFlow {
  step: CalibrationStep = "idle";
  /** Setting new marks rather than aligning to the room's. */
  define = false;
  private readonly touched: [V3, V3] = [
    [0, 0, 0],
    [0, 0, 0],
  ];

  start(define: boolean): void {
    this.define = define;
    this.step = "p1";
  }

  cancel(): void {
    this.step = "idle";
  }

  /**
   * A trigger pull with the controller tip at `local`. `room` is the room's reference points (plant frame),
   * `toPlant` gives a local point's current plant coordinates (only used when defining), `centre` is the
   * plant frame's placement centre (PlantFrame.centre).
   */
  touch(local: V3, room: [V3, V3] | null, toPlant: (p: V3) => V3, centre: V3): CalibrationOutcome {
    if (this.step === "p1") {
      copy(local, this.touched[0]);
      this.step = "p2";
      return { kind: "next" };
    }
    if (this.step !== "p2") return { kind: "mismatch", message: "Start with Align or Set marks." };
    copy(local, this.touched[1]);
    this.step = "idle";
    const [la, lb] = this.touched;
    if (Math.hypot(lb[0] - la[0], lb[2] - la[2]) < 0.3) {
      return { kind: "mismatch", message: "The two marks must be at least 30 cm apart." };
    }
    if (this.define || !room) {
      const a = toPlant(la);
      const b = toPlant(lb);
      return { kind: "define", a, b, alignment: alignFromTwoPoints(a, b, la, lb, centre, 1) };
    }
    const alignment = alignFromTwoPoints(room[0], room[1], la, lb, centre, 1);
    if (alignment.error > MAX_TOUCH_ERROR) {
      const touchedM = Math.hypot(lb[0] - la[0], lb[2] - la[2]);
      const marksM = Math.hypot(room[1][0] - room[0][0], room[1][2] - room[0][2]);
      return {
        kind: "mismatch",
        message: `Touched ${touchedM.toFixed(2)} m apart, marks are ${marksM.toFixed(2)} m: same marks, same order?`,
      };
    }
    return { kind: "aligned", alignment };
  }
}

function copy(from: V3, to: V3): void {
  to[0] = from[0];
  to[1] = from[1];
  to[2] = from[2];
}
