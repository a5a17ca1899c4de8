/**
 * Presence in a session: head, wrists and pointer in plant coordinates, read by the presence sender instead of
 * the desktop camera. The pointer is the ray of a hand that is pressing, or the last click's ray for a moment
 * (so the others see what was picked).
 */
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { Pose7, XrPoses } from "./xrContract.ts";
import type { XrHand } from "./XrHand.ts";
import type { XrRig } from "./XrRig.ts";

/** How long a click's laser stays visible to the others (ms). */
const POINTER_HOLD = 1500;

export class PresencePoses {
  constructor(
    private readonly rig: XrRig,
    /** Whether the plant stands somewhere (AR before placement: nowhere). */
    private readonly placed: () => boolean,
  ) {}

  poses(): XrPoses | null {
    const { rig } = this;
    const { helper, frame } = rig;
    if (!rig.mode || !helper) return null;
    // Before AR placement the plant is nowhere: let the caller fall back to its desktop pose.
    if (!this.placed()) return null;
    const head = frame.poseOf(helper.camera.getWorldMatrix(), pose7());
    let left: Pose7 | null = null;
    let right: Pose7 | null = null;
    let active: XrHand | null = null;
    for (const h of rig.hands) {
      if (h.side === "left") left = frame.poseOf(h.wrist.getWorldMatrix(), pose7());
      else if (h.side === "right") right = frame.poseOf(h.wrist.getWorldMatrix(), pose7());
      if (h.selecting) active = h;
    }
    let pointer: XrPoses["pointer"] = null;
    const o = new Vector3();
    const t = new Vector3();
    if (active) {
      frame.toPlant(active.ray.origin, o);
      active.ray.origin.addToRef(active.ray.direction.scale(rig.rayLength), t);
      frame.toPlant(t, t);
      pointer = { o: [o.x, o.y, o.z], t: [t.x, t.y, t.z], twin: null };
    } else if (performance.now() - rig.lastPick.at < POINTER_HOLD) {
      frame.toPlant(rig.lastPick.o, o);
      frame.toPlant(rig.lastPick.t, t);
      pointer = { o: [o.x, o.y, o.z], t: [t.x, t.y, t.z], twin: rig.lastPick.twin };
    }
    return { head, left, right, pointer };
  }
}

function pose7(): Pose7 {
  return [0, 0, 0, 0, 0, 0, 1];
}
