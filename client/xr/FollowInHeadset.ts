/**
 * Follow in a headset: a smooth camera glued to someone else's head makes people sick, so the viewer
 * teleports to stand 1.2 m behind them, facing their way, whenever they are more than 2 m from that spot.
 * Runs on the wrist panels' 5 Hz poll; off while co-located (the real room decides where one stands).
 */
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { PlantRoomState } from "../../shared/state.ts";
import type { XrRig } from "./XrRig.ts";
import type { XrViewer } from "./XrViewer.ts";

export class FollowInHeadset {
  private readonly followPos = new Vector3();

  constructor(
    private readonly rig: XrRig,
    private readonly viewer: XrViewer,
  ) {}

  step(state: PlantRoomState, seatId: string): void {
    const { rig } = this;
    const seat = state.seats.get(seatId);
    const cam = rig.helper?.camera;
    if (!seat || !cam || rig.coloc || rig.mode !== "vr" || rig.scaleMode !== "walk") return;
    const h = seat.head;
    this.followPos.set(h.x, h.y, h.z);
    rig.frame.toLocal(this.followPos, this.followPos);
    const yaw =
      Math.atan2(2 * (h.qx * h.qz + h.qw * h.qy), 1 - 2 * (h.qx * h.qx + h.qy * h.qy)) + rig.frame.current.yaw;
    const x = this.followPos.x - Math.sin(yaw) * 1.2;
    const z = this.followPos.z - Math.cos(yaw) * 1.2;
    if (Math.hypot(cam.position.x - x, cam.position.z - z) > 2) this.viewer.placeViewer(x, z, yaw);
  }
}
