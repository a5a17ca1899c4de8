/**
 * Walk-in locomotion: thumbstick forward aims a teleport ray at the floor and release jumps there; sideways
 * snaps the view 45°. Controllers only (tracked hands have no stick). Off while co-located: the real room
 * decides where one stands.
 */
import { Color3 } from "@babylonjs/core/Maths/math.color.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial.js";
import type { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import type { XrFeature, XrSessionStart } from "./xrFeature.ts";
import { RAY_WALK, type XrRig } from "./XrRig.ts";
import type { XrViewer } from "./XrViewer.ts";

const SNAP_TURN = Math.PI / 4;
const TELEPORT_RANGE = 40;

export class Locomotion implements XrFeature {
  readonly teleportMark: Mesh;
  private teleportValid = false;

  constructor(
    private readonly rig: XrRig,
    private readonly viewer: XrViewer,
  ) {
    const scene = rig.plant.scene;
    const markMat = new StandardMaterial("_xrMarkMat", scene);
    markMat.disableLighting = true;
    markMat.emissiveColor = new Color3(0.45, 0.78, 1);
    this.teleportMark = MeshBuilder.CreateTorus(
      "_xrTeleport",
      { diameter: 0.7, thickness: 0.05, tessellation: 32 },
      scene,
    );
    this.teleportMark.material = markMat;
    this.teleportMark.isPickable = false;
    this.teleportMark.setEnabled(false);
  }

  attach(_start: XrSessionStart): void {}

  detach(): void {
    this.teleportMark.setEnabled(false);
  }

  /** Once a frame in the walk-in view. */
  update(): void {
    const { rig } = this;
    let aiming = false;
    for (let i = 0; i < rig.hands.length; i++) {
      const h = rig.hands[i]!;
      if (h.isHand) continue;
      const st = h.aimState();
      if (st === "aiming") {
        aiming = true;
        const o = h.ray.origin;
        const d = h.ray.direction;
        const t = d.y < -0.05 ? -o.y / d.y : Infinity;
        this.teleportValid = t < TELEPORT_RANGE;
        if (this.teleportValid) {
          this.teleportMark.position.set(o.x + d.x * t, 0.02, o.z + d.z * t);
          h.setRayLength(t);
        }
      } else if (st === "release") {
        h.setRayLength(RAY_WALK);
        if (this.teleportValid && rig.helper) {
          const cam = rig.helper.camera;
          cam.position.x = this.teleportMark.position.x;
          cam.position.z = this.teleportMark.position.z;
        }
        this.teleportValid = false;
      }
      const turn = h.turn();
      // Stick right turns the view right: a heading change of +45° in a left-handed scene, -45° in a right-handed one.
      if (turn !== 0) this.viewer.turnBy(turn * rig.fwd * SNAP_TURN);
    }
    const show = aiming && this.teleportValid;
    if (this.teleportMark.isEnabled() !== show) this.teleportMark.setEnabled(show);
  }

  dispose(): void {
    this.teleportMark.dispose(false, true);
  }
}
