/**
 * Presence updates: poses arrive up to 30 Hz per seat and are written into the
 * seat's state; faster senders have the excess dropped (and counted), so one
 * noisy device cannot cost the others bandwidth. Poses are in the plant frame.
 */
import type { z } from "zod";
import type { ClientMessage, Pose } from "../../shared/protocol.ts";
import { PointerState, PoseState, type SeatState } from "../../shared/state.ts";

export const MAX_POSE_HZ = 30;

export class PoseGate {
  private readonly last = new Map<string, number>();
  dropped = 0;

  /** True when this seat may send a pose now. */
  admit(seat: string, now: number): boolean {
    const prev = this.last.get(seat) ?? -Infinity;
    // A little slack under the nominal interval absorbs network jitter at 30 Hz.
    if (now - prev < (1000 / MAX_POSE_HZ) * 0.8) {
      this.dropped++;
      return false;
    }
    this.last.set(seat, now);
    return true;
  }

  forget(seat: string): void {
    this.last.delete(seat);
  }
}

/**
 * A seat's pose before its device sends one: at the origin, upright. Every field is set: a schema field never
 * assigned is not sent, and another page smoothing an avatar toward a missing number kept it at NaN for good.
 */
export function restingPose(): PoseState {
  const p = new PoseState();
  setPose(p, [0, 0, 0, 0, 0, 0, 1]);
  return p;
}

/** A pointer that is off, every field set (as restingPose). */
export function restingPointer(): PointerState {
  const p = new PointerState();
  p.active = false;
  [p.ox, p.oy, p.oz, p.tx, p.ty, p.tz] = [0, 0, 0, 0, 0, 0];
  p.twin = "";
  return p;
}

function setPose(p: PoseState, v: Pose): void {
  p.x = v[0];
  p.y = v[1];
  p.z = v[2];
  p.qx = v[3];
  p.qy = v[4];
  p.qz = v[5];
  p.qw = v[6];
}

export function applyPose(seat: SeatState, msg: z.infer<(typeof ClientMessage)["pose"]>): void {
  setPose(seat.head, msg.h);
  let hands = 0;
  if (msg.l) {
    setPose(seat.left, msg.l);
    hands |= 1;
  }
  if (msg.r) {
    setPose(seat.right, msg.r);
    hands |= 2;
  }
  seat.hands = hands;
  const p = seat.pointer;
  if (msg.p) {
    p.active = true;
    [p.ox, p.oy, p.oz] = msg.p.o;
    [p.tx, p.ty, p.tz] = msg.p.t;
    p.twin = msg.p.twin ?? "";
  } else if (p.active) {
    p.active = false;
    p.twin = "";
  }
}
