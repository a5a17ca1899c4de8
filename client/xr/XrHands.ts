/**
 * The hands and controllers of a session: one XrHand per input source, the wrist panel riding on the left one,
 * and the look they share (rays, bodies, the joint sphere Babylon instances per tracked hand joint). Nothing is
 * downloaded: no controller models, no hand meshes.
 */
import { Color3 } from "@babylonjs/core/Maths/math.color.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial.js";
import type { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import type { WebXRInputSource } from "@babylonjs/core/XR/webXRInputSource.js";
import { createHandLooks, XrHand, type HandLooks } from "./XrHand.ts";
import type { XrRig } from "./XrRig.ts";

export class XrHands {
  /** Hand joints: Babylon instances this sphere per joint (one draw call); no hand model is downloaded. */
  readonly jointMesh: Mesh;
  private readonly looks: HandLooks;

  constructor(
    private readonly rig: XrRig,
    /** A hand went away: a gesture it was part of ends. */
    private readonly onRemoved: (h: XrHand) => void,
  ) {
    const scene = rig.plant.scene;
    this.looks = createHandLooks(scene);
    this.jointMesh = MeshBuilder.CreateSphere("_xrJoint", { diameter: 1, segments: 6 }, scene);
    const jointMat = new StandardMaterial("_xrJointMat", scene);
    jointMat.diffuseColor = new Color3(0.75, 0.82, 0.9);
    jointMat.emissiveColor = new Color3(0.15, 0.25, 0.35);
    this.jointMesh.material = jointMat;
    this.jointMesh.isPickable = false;
    this.jointMesh.isVisible = false;
  }

  add(source: WebXRInputSource): void {
    const { rig } = this;
    const h = new XrHand(source, rig.plant.scene, this.looks);
    h.setRayLength(rig.rayLength);
    rig.hands.push(h);
    if (h.side === "left") rig.panel.attachTo(h.panelMount);
  }

  remove(source: WebXRInputSource): void {
    const { hands, panel } = this.rig;
    const i = hands.findIndex((h) => h.source === source);
    if (i < 0) return;
    const [h] = hands.splice(i, 1);
    if (panel.root.parent === h!.panelMount) {
      const other = hands.find((x) => x.side === "left");
      if (other) panel.attachTo(other.panelMount);
      else panel.pin(true, null);
    }
    this.onRemoved(h!);
    h!.dispose();
  }

  of(source: XRInputSource): XrHand | null {
    for (const h of this.rig.hands) if (h.source.inputSource === source) return h;
    return null;
  }

  setRayLength(len: number): void {
    for (const h of this.rig.hands) h.setRayLength(len);
  }

  /** Every hand gone (before the XR input that reports them is disposed). */
  clear(): void {
    for (const h of this.rig.hands.splice(0)) h.dispose();
  }

  /** The shared looks; after the XR helper (its hand tracking instances the joint mesh) is gone. */
  dispose(): void {
    this.clear();
    this.jointMesh.dispose(false, true);
    this.looks.rayMat.dispose();
    this.looks.bodyMat.dispose();
  }
}
