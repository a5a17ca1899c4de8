/**
 * One tracked input (controller or hand) as the XR code sees it: press state from
 * the session's select/squeeze events, thumbstick and face buttons from its
 * gamepad, its heading for grab gestures, and a procedural look (a laser ray and
 * a small controller body; hand joints come from Babylon's hand tracking with our
 * own sphere). Nothing here downloads a model, and nothing allocates per frame.
 */
import { Color3 } from "@babylonjs/core/Maths/math.color.js";
import { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import { Ray } from "@babylonjs/core/Culling/ray.js";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial.js";
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { WebXRInputSource } from "@babylonjs/core/XR/webXRInputSource.js";
import type { HandPoint } from "./placementMath.ts";

export interface HandLooks {
  rayMat: StandardMaterial;
  bodyMat: StandardMaterial;
}

export function createHandLooks(scene: Scene): HandLooks {
  const rayMat = new StandardMaterial("_xrRayMat", scene);
  rayMat.disableLighting = true;
  rayMat.emissiveColor = new Color3(0.45, 0.78, 1);
  rayMat.alpha = 0.55;
  const bodyMat = new StandardMaterial("_xrBodyMat", scene);
  bodyMat.diffuseColor = new Color3(0.16, 0.18, 0.21);
  bodyMat.emissiveColor = new Color3(0.1, 0.22, 0.34);
  bodyMat.specularColor = new Color3(0.2, 0.2, 0.2);
  return { rayMat, bodyMat };
}

/** Thumbstick thresholds: a deliberate push, and a release with hysteresis. */
const PUSH = 0.7;
const RELEASE = 0.3;

export class XrHand {
  readonly side: XRHandedness;
  readonly isHand: boolean;
  readonly ray = new Ray(Vector3.Zero(), new Vector3(0, 0, 1), 1000);
  readonly point: HandPoint = { x: 0, y: 0, z: 0, yaw: 0 };
  private readonly rayMesh: Mesh;
  private readonly body: Mesh | null;
  selecting = false;
  /** When the current select (trigger or pinch) began, performance.now() time. */
  selectSince = 0;
  squeezing = false;
  /** A two-hand gesture happened during this press: its release is not a click. */
  gestureDuringPress = false;
  /** Thumbstick: "forward" held (teleport aim), and turn re-armed after a flick. */
  aiming = false;
  private turnArmed = true;
  private prevA = false;
  private prevB = false;

  constructor(
    readonly source: WebXRInputSource,
    scene: Scene,
    looks: HandLooks,
  ) {
    this.side = source.inputSource.handedness;
    this.isHand = !!source.inputSource.hand;
    // A unit-length beam along the pointer's forward (+z left-handed, -z right-handed), scaled to the ray length.
    const f = scene.useRightHandedSystem ? -1 : 1;
    const ray = MeshBuilder.CreateCylinder(
      `_xrRay.${source.uniqueId}`,
      { height: 1, diameterTop: 0.004, diameterBottom: 0.008, tessellation: 6 },
      scene,
    );
    ray.rotation.x = (f * Math.PI) / 2;
    ray.position.z = 0.5 * f;
    ray.bakeCurrentTransformIntoVertices();
    ray.material = looks.rayMat;
    ray.isPickable = false;
    ray.parent = source.pointer;
    this.rayMesh = ray;
    if (!this.isHand) {
      const box = MeshBuilder.CreateBox(
        `_xrBody.${source.uniqueId}`,
        { width: 0.045, height: 0.035, depth: 0.12 },
        scene,
      );
      const ring = MeshBuilder.CreateTorus(
        `_xrRing.${source.uniqueId}`,
        { diameter: 0.07, thickness: 0.012, tessellation: 20 },
        scene,
      );
      ring.position.set(0, 0.01, 0.07 * f);
      ring.rotation.x = (f * Math.PI) / 2.6;
      const merged = Mesh.MergeMeshes([box, ring], true, true) ?? box;
      merged.name = `_xrBody.${source.uniqueId}`;
      merged.material = looks.bodyMat;
      merged.isPickable = false;
      merged.parent = source.grip ?? source.pointer;
      this.body = merged;
    } else {
      this.body = null;
    }
  }

  /** Where the hand is (grip space when the device has one): presence poses and grab gestures. */
  get wrist(): TransformNode {
    return this.source.grip ?? this.source.pointer;
  }

  /**
   * What the wrist panel rides on: the pointer (target ray) space, whose axes mean the same for
   * controllers and hands (forward along the ray, +y up), unlike grip spaces which are tilted per device.
   */
  get panelMount(): TransformNode {
    return this.source.pointer;
  }

  setRayLength(m: number): void {
    this.rayMesh.scaling.z = m;
  }

  setRayVisible(on: boolean): void {
    this.rayMesh.isVisible = on;
  }

  /** Per frame: pointer ray and a position + heading for grab gestures. */
  update(): void {
    // Babylon writes this frame's pose into the nodes but computes their world matrices only at
    // render, after this XR-frame callback: without this the ray and the grab point lag one frame,
    // and a squeeze made while the hand moves starts its gesture from where the hand was before.
    this.source.pointer.computeWorldMatrix(true);
    this.source.grip?.computeWorldMatrix(true);
    this.source.getWorldPointerRayToRef(this.ray);
    const w = this.wrist.getWorldMatrix().m;
    this.point.x = w[12]!;
    this.point.y = w[13]!;
    this.point.z = w[14]!;
    // Heading from the pointer's forward axis (row 2 of the world matrix), flattened.
    const d = this.ray.direction;
    if (Math.abs(d.x) + Math.abs(d.z) > 1e-3) this.point.yaw = Math.atan2(d.x, d.z);
  }

  private get pad(): Gamepad | null | undefined {
    return this.source.inputSource.gamepad;
  }

  /** Thumbstick y (forward is negative), 0 without a thumbstick. */
  get stickY(): number {
    return this.pad?.axes[3] ?? 0;
  }

  get stickX(): number {
    return this.pad?.axes[2] ?? 0;
  }

  /** Teleport aim: stick pushed forward; ends (returns "release") when the stick comes back. */
  aimState(): "idle" | "aiming" | "release" {
    const y = this.stickY;
    if (!this.aiming && y < -PUSH && Math.abs(this.stickX) < 0.5) this.aiming = true;
    else if (this.aiming && y > -RELEASE) {
      this.aiming = false;
      return "release";
    }
    return this.aiming ? "aiming" : "idle";
  }

  /** Snap turn: -1 / +1 once per flick of the stick sideways, else 0. */
  turn(): -1 | 0 | 1 {
    const x = this.stickX;
    if (this.aiming) return 0;
    if (this.turnArmed && Math.abs(x) > PUSH) {
      this.turnArmed = false;
      return x > 0 ? 1 : -1;
    }
    if (Math.abs(x) < RELEASE) this.turnArmed = true;
    return 0;
  }

  /** The upper face button (B on the right controller, Y on the left) is held down. */
  get upperHeld(): boolean {
    return !!this.pad?.buttons[5]?.pressed;
  }

  /** Rising edges of the lower (A/X) and upper (B/Y) face buttons. */
  faceButtons(): number {
    const b = this.pad?.buttons;
    const a = !!b?.[4]?.pressed;
    const bb = !!b?.[5]?.pressed;
    const out = (a && !this.prevA ? 1 : 0) | (bb && !this.prevB ? 2 : 0);
    this.prevA = a;
    this.prevB = bb;
    return out;
  }

  dispose(): void {
    this.rayMesh.dispose(false, false);
    this.body?.dispose(false, false);
  }
}
