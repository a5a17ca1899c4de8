/**
 * AR placement: a hit test from where the user looks against the real surfaces
 * the device detected (planes, meshes), a reticle on the surface, and a WebXR
 * anchor where the plant is put down, so the device keeps the miniature plant
 * fixed to the table as its tracking refines. Re-placing drops the old anchor.
 *
 * The placement is kept relative to the anchor: when the anchor's pose updates,
 * the plant follows; after a grab, the offset to the anchor is re-measured.
 */
import { Color3 } from "@babylonjs/core/Maths/math.color.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import { Quaternion, Vector3, type Matrix } from "@babylonjs/core/Maths/math.vector.js";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial.js";
import { WebXRAnchorSystem, type IWebXRAnchor } from "@babylonjs/core/XR/features/WebXRAnchorSystem.js";
import { WebXRHitTest, type IWebXRHitResult } from "@babylonjs/core/XR/features/WebXRHitTest.js";
import type { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { WebXRFeaturesManager } from "@babylonjs/core/XR/webXRFeaturesManager.js";
import type { WebXRSessionManager } from "@babylonjs/core/XR/webXRSessionManager.js";
import { copyPlacement, placement, rotateY, wrapAngle, type Placement } from "./placementMath.ts";
import type { Subscriptions } from "./Subscriptions.ts";

export class ArPlacement {
  readonly reticle: Mesh;
  private hitTest: WebXRHitTest | null = null;
  private session: WebXRSessionManager | null = null;
  private rightHanded = false;
  private anchors: WebXRAnchorSystem | null = null;
  private anchor: IWebXRAnchor | null = null;
  /** Last surface hit: valid while `hasHit`. */
  readonly hit = new Vector3();
  hasHit = false;
  /** Placement relative to the anchor (position in the anchor's frame, yaw added). */
  private readonly rel: Placement = placement();
  private readonly anchorPos = new Vector3();
  private anchorYaw = 0;
  private readonly tmpQ = new Quaternion();
  private readonly tmpS = new Vector3();
  private readonly r2: [number, number] = [0, 0];
  anchorCount = 0;
  placed = false;
  /** Co-location holds the plant: no reticle, no hit test from the head (the marks have their own ring). */
  private held = false;

  constructor(
    scene: Scene,
    private readonly onAnchorMoved: () => void,
  ) {
    const ring = MeshBuilder.CreateTorus("_xrReticle", { diameter: 0.16, thickness: 0.012, tessellation: 32 }, scene);
    const mat = new StandardMaterial("_xrReticleMat", scene);
    mat.disableLighting = true;
    mat.emissiveColor = new Color3(1, 1, 1);
    ring.material = mat;
    ring.isPickable = false;
    ring.setEnabled(false);
    this.reticle = ring;
  }

  /** Turn on hit test and anchors for the next session (must happen before it starts). */
  enable(features: WebXRFeaturesManager, session: WebXRSessionManager, subs: Subscriptions): void {
    this.session = session;
    this.rightHanded = session.scene.useRightHandedSystem;
    this.hitTest = features.enableFeature(WebXRHitTest, "latest", {
      entityTypes: ["plane", "mesh"],
    });
    this.anchors = features.enableFeature(WebXRAnchorSystem, "latest", {
      doNotRemoveAnchorsOnSessionEnded: false,
    });
    subs.observe(this.hitTest.onHitTestResultObservable, (results) => this.onHits(results));
    subs.observe(this.anchors.onAnchorUpdatedObservable, (a) => {
      if (a === this.anchor) this.readAnchor(a);
    });
    subs.observe(this.anchors.onAnchorRemovedObservable, () => {
      this.anchorCount = this.anchors?.anchors.length ?? 0;
    });
  }

  disable(features: WebXRFeaturesManager): void {
    this.anchor = null;
    this.anchorCount = 0;
    this.placed = false;
    this.held = false;
    this.hasHit = false;
    this.reticle.setEnabled(false);
    if (this.hitTest) features.disableFeature(WebXRHitTest.Name);
    if (this.anchors) features.disableFeature(WebXRAnchorSystem.Name);
    this.hitTest = null;
    this.anchors = null;
    this.session = null;
  }

  /**
   * WebXR sorts hit results nearest first: the first is the surface the user sees. Babylon hands all
   * results the same scratch Vector3 (the last result's position), so read the first one's own pose.
   */
  private onHits(results: IWebXRHitResult[]): void {
    const first = results[0];
    const space = this.session?.referenceSpace;
    const pose = first && space ? first.xrHitResult.getPose(space) : undefined;
    this.hasHit = !!pose;
    if (pose) {
      const p = pose.transform.position;
      this.hit.set(p.x, p.y, this.rightHanded ? p.z : -p.z);
    }
    const show = this.hasHit && !this.placed && !this.held;
    if (this.reticle.isEnabled() !== show) this.reticle.setEnabled(show);
    if (show) this.reticle.position.copyFrom(this.hit);
  }

  /** Start over: show the reticle again; the next place() moves the plant and its anchor. */
  replace(): void {
    this.placed = false;
    this.hasHit = false;
    this.held = false;
    if (this.hitTest) this.hitTest.paused = false;
  }

  /** Co-location takes the plant (true) or gives it back (false); the placement and its anchor are kept. */
  hold(on: boolean): void {
    this.held = on;
    if (on) this.reticle.setEnabled(false);
    if (this.hitTest) this.hitTest.paused = on || this.placed;
  }

  /** Put the plant at (x, y, z) facing `yaw` (usually the reticle), and anchor it there. */
  place(pl: Placement, x: number, y: number, z: number, yaw: number): void {
    pl.x = x;
    pl.y = y;
    pl.z = z;
    pl.yaw = yaw;
    this.placed = true;
    this.reticle.setEnabled(false);
    // No hit testing while the plant stands: it costs a pose per frame and nothing uses it.
    if (this.hitTest) this.hitTest.paused = true;
    this.setAnchorFrom(pl);
  }

  /** After the plant was grabbed and moved: re-measure its offset to the anchor. */
  rebase(pl: Placement): void {
    if (!this.anchor) return;
    rotateY(-this.anchorYaw, pl.x - this.anchorPos.x, pl.z - this.anchorPos.z, this.r2);
    this.rel.x = this.r2[0];
    this.rel.y = pl.y - this.anchorPos.y;
    this.rel.z = this.r2[1];
    this.rel.yaw = wrapAngle(pl.yaw - this.anchorYaw);
    this.rel.scale = pl.scale;
  }

  /** The anchored placement now (after an anchor update). */
  current(out: Placement): Placement {
    rotateY(this.anchorYaw, this.rel.x, this.rel.z, this.r2);
    out.x = this.anchorPos.x + this.r2[0];
    out.y = this.anchorPos.y + this.rel.y;
    out.z = this.anchorPos.z + this.r2[1];
    out.yaw = this.anchorYaw + this.rel.yaw;
    out.scale = this.rel.scale;
    return out;
  }

  private setAnchorFrom(pl: Placement): void {
    const system = this.anchors;
    // Until the anchor exists, the plant sits where it was put; the relative offset is then zero.
    this.anchorPos.set(pl.x, pl.y, pl.z);
    this.anchorYaw = pl.yaw;
    copyPlacement(pl, this.rel);
    this.rel.x = this.rel.y = this.rel.z = this.rel.yaw = 0;
    if (!system) return;
    const previous = this.anchor;
    this.anchor = null;
    previous?.remove();
    const q = Quaternion.RotationYawPitchRoll(pl.yaw, 0, 0);
    system.addAnchorAtPositionAndRotationAsync(new Vector3(pl.x, pl.y, pl.z), q).then(
      (a) => {
        this.anchor = a;
        this.anchorCount = system.anchors.length;
        this.readAnchor(a);
      },
      (e: unknown) => console.warn("Gemba XR: the device refused an anchor; the plant stays put without one.", e),
    );
  }

  private readAnchor(a: IWebXRAnchor): void {
    const m: Matrix = a.transformationMatrix;
    m.decompose(this.tmpS, this.tmpQ, this.anchorPos);
    // Heading of the anchor's forward (+z) axis.
    this.anchorYaw = Math.atan2(m.m[8]!, m.m[10]!);
    this.anchorCount = this.anchors?.anchors.length ?? this.anchorCount;
    this.onAnchorMoved();
  }

  get hasAnchor(): boolean {
    return this.anchor !== null;
  }

  dispose(): void {
    this.reticle.material?.dispose();
    this.reticle.dispose();
  }
}
