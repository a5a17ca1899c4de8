/**
 * The two scales of VR: walk-in (1:1) and tabletop (1:50 on a virtual table in front of the viewer, with a
 * floor disc under them). Switching back to walk-in returns the viewer where they stood, or to the room's
 * alignment when co-located. In AR the plant is always on the tabletop scale (placed by ArPlantPlacer).
 */
import { Color3 } from "@babylonjs/core/Maths/math.color.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial.js";
import type { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import type { Locomotion } from "./Locomotion.ts";
import { TABLETOP_SCALE } from "./placementMath.ts";
import type { TabletopGestures } from "./TabletopGestures.ts";
import type { XrFeature, XrSessionStart } from "./xrFeature.ts";
import type { XrHands } from "./XrHands.ts";
import type { ScaleMode, XrRig } from "./XrRig.ts";
import type { XrViewer } from "./XrViewer.ts";

const TABLE_HEIGHT = 0.78;

export class TabletopMode implements XrFeature {
  private readonly table: Mesh;
  private readonly floor: Mesh;
  /** Where the viewer stood in the walk-in view before the tabletop. */
  private readonly walkPose = { x: 0, z: 0, yaw: 0, saved: false };

  constructor(
    private readonly rig: XrRig,
    private readonly viewer: XrViewer,
    private readonly hands: XrHands,
    private readonly locomotion: Locomotion,
    private readonly gestures: TabletopGestures,
  ) {
    const scene = rig.plant.scene;
    const tableMat = new StandardMaterial("_xrTableMat", scene);
    tableMat.diffuseColor = new Color3(0.3, 0.33, 0.37);
    tableMat.emissiveColor = new Color3(0.1, 0.11, 0.13);
    tableMat.specularColor = new Color3(0.05, 0.05, 0.05);
    this.table = MeshBuilder.CreateBox("_xrTable", { size: 1 }, scene);
    this.table.material = tableMat;
    this.table.isPickable = false;
    this.table.setEnabled(false);
    const floorMat = new StandardMaterial("_xrFloorMat", scene);
    floorMat.diffuseColor = new Color3(0.2, 0.22, 0.25);
    floorMat.specularColor = Color3.Black();
    this.floor = MeshBuilder.CreateDisc("_xrFloor", { radius: 30, tessellation: 64 }, scene);
    this.floor.rotation.x = Math.PI / 2;
    this.floor.material = floorMat;
    this.floor.isPickable = false;
    this.floor.setEnabled(false);
  }

  /** A new session starts in walk-in VR (or AR's tabletop) with no remembered walk-in pose. */
  attach(start: XrSessionStart): void {
    this.rig.scaleMode = start.mode === "ar" ? "tabletop" : "walk";
    this.walkPose.saved = false;
  }

  detach(): void {
    this.rig.scaleMode = "walk";
    this.table.setEnabled(false);
    this.floor.setEnabled(false);
  }

  /** VR only: switch walk-in / tabletop. */
  setScaleMode(mode: ScaleMode): void {
    const { rig } = this;
    if (rig.mode !== "vr" || mode === rig.scaleMode || !rig.helper) return;
    const cam = rig.helper.camera;
    if (mode === "tabletop") {
      this.walkPose.x = cam.position.x;
      this.walkPose.z = cam.position.z;
      this.walkPose.yaw = this.viewer.viewerYaw();
      this.walkPose.saved = true;
      const yaw = this.walkPose.yaw;
      const fx = Math.sin(yaw);
      const fz = Math.cos(yaw);
      const s = TABLETOP_SCALE;
      const w = rig.frame.size.x * s + 0.16;
      const d = rig.frame.size.z * s + 0.16;
      // The table stands 0.35 m + half its depth in front of the viewer; the plant's front faces them.
      const dist = 0.35 + d / 2;
      const tx = cam.position.x + fx * dist;
      const tz = cam.position.z + fz * dist;
      this.table.position.set(tx, TABLE_HEIGHT / 2, tz);
      this.table.scaling.set(w, TABLE_HEIGHT, d);
      this.table.rotation.y = yaw;
      this.floor.position.set(cam.position.x, 0.002, cam.position.z);
      rig.pl.x = tx;
      rig.pl.y = TABLE_HEIGHT + 0.002;
      rig.pl.z = tz;
      rig.pl.yaw = yaw;
      rig.pl.scale = s;
      rig.frame.set(rig.pl);
    } else if (rig.coloc) {
      // Co-located: back to the alignment with the real room (the viewer never moved in it).
      rig.frame.set(rig.coloc);
    } else {
      rig.frame.reset();
      if (this.walkPose.saved) this.viewer.placeViewer(this.walkPose.x, this.walkPose.z, this.walkPose.yaw);
    }
    rig.scaleMode = mode;
    this.gestures.detach();
    this.applyLooks();
  }

  /** Table and floor in tabletop VR, ray lengths for the scale, the wrist button's label. */
  applyLooks(): void {
    const { rig } = this;
    const vrTable = rig.mode === "vr" && rig.scaleMode === "tabletop";
    this.table.setEnabled(vrTable);
    this.floor.setEnabled(vrTable);
    this.locomotion.teleportMark.setEnabled(false);
    this.hands.setRayLength(rig.rayLength);
    rig.panel.setButton("scale", rig.mode === "ar" ? "Re-place" : rig.scaleMode === "walk" ? "Tabletop" : "Walk in");
  }

  dispose(): void {
    this.table.dispose(false, true);
    this.floor.dispose(false, true);
  }
}
