/**
 * This participant's pose for the room, 20 times a second (PresenceSender): the headset's head, hands and
 * pointer while in XR, else the desktop camera, with a pointer laser in point mode from the camera to what
 * the mouse is over.
 */
import { Quaternion, Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { PlantScene } from "../scene/PlantScene.ts";
import type { PoseMessage } from "../session/PresenceSender.ts";
import type { XrController } from "../xr/index.ts";
import type { MarkingModes } from "./MarkingModes.ts";

export class PoseReader {
  /** What the desktop pointer was over at the last read (point mode), or null. */
  pointerHit: { twin: string | null; point: Vector3 } | null = null;
  private readonly camPos = new Vector3();
  private readonly camRot = new Quaternion();

  constructor(
    private readonly scene: PlantScene,
    private readonly xr: XrController,
    private readonly modes: MarkingModes,
  ) {}

  readonly read = (): PoseMessage | null => {
    const { scene, modes, camPos, camRot } = this;
    const xp = this.xr.poses();
    if (xp) return { h: xp.head, l: xp.left, r: xp.right, p: xp.pointer };
    const cam = scene.scene.activeCamera;
    if (!cam) return null;
    cam.getWorldMatrix().decompose(undefined, camRot, camPos);
    const r = (v: number) => Math.round(v * 1000) / 1000;
    const msg: PoseMessage = { h: [r(camPos.x), r(camPos.y), r(camPos.z), camRot.x, camRot.y, camRot.z, camRot.w] };
    const mouse = modes.mouse;
    this.pointerHit = modes.mode === "point" && mouse.x >= 0 ? scene.pickAt(mouse.x, mouse.y) : null;
    const hit = this.pointerHit;
    if (hit) {
      msg.p = {
        o: [r(camPos.x), r(camPos.y - 0.25), r(camPos.z)],
        t: [r(hit.point.x), r(hit.point.y), r(hit.point.z)],
        twin: hit.twin,
      };
    }
    return msg;
  };
}
