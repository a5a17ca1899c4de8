/**
 * Co-location marks on the real room's surfaces. While the Align flow waits for a mark, a WebXR hit test along
 * the right controller's ray finds where it meets a surface the headset has scanned (floor, table), and a ring
 * shows that spot; the trigger takes the spot, not the controller's tip, so the mark lands on the floor even
 * when the tip hovers above it or the user points from where they stand. Once a calibration holds, each mark
 * gets a WebXR anchor: when the headset refines its tracking the anchors move, and `onMarksMoved` hands the new
 * spots back so the alignment follows them.
 *
 * Without a hit (nothing scanned, no hit test on this device, the ray points at nothing near) the controller's
 * tip counts, as it did before. Raw WebXR rather than Babylon's WebXRHitTest: that one tests from the viewer,
 * and a controller's target-ray space is what the user aims with.
 */
import { Color3 } from "@babylonjs/core/Maths/math.color.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial.js";
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import type { WebXRSessionManager } from "@babylonjs/core/XR/webXRSessionManager.js";
import type { V3 } from "./Calibration.ts";
import type { XrFeature, XrSessionStart } from "./xrFeature.ts";
import type { XrHand } from "./XrHand.ts";
import type { XrRig } from "./XrRig.ts";

/** A surface farther than this along the ray is not the mark the user means (a wall across the room). */
export const MAX_MARK_REACH = 4;
/** An anchor that moved more than this (m) since the alignment used it re-aligns the plant. */
const ANCHOR_MOVE = 0.005;
/** Anchors are read every this many frames: tracking refinements are slow, and each read allocates a pose. */
const ANCHOR_EVERY = 30;

interface Mark {
  at: V3;
  onSurface: boolean;
}

export class MarkSurface implements XrFeature {
  readonly ring: Mesh;
  private session: WebXRSessionManager | null = null;
  private source: XRHitTestSource | null = null;
  private sourceFor: XRInputSource | null = null;
  private requesting = false;
  /** This session cannot hit-test (no scanned room, no support): the tip is used. */
  private unavailable = false;
  private hasHit = false;
  private readonly hit = new Vector3();
  /** The marks taken in the current calibration, in touch order (local space, Babylon's axes). */
  private readonly taken: Mark[] = [];
  private anchors: XRAnchor[] = [];
  /** Where each anchor was when the alignment last used it. */
  private readonly anchored: V3[] = [];
  private anchorWanted = false;
  private frameCount = 0;

  constructor(
    private readonly rig: XrRig,
    /** The Align flow waits for a mark. */
    private readonly waiting: () => boolean,
    private readonly onMarksMoved: (a: V3, b: V3) => void,
  ) {
    const ring = MeshBuilder.CreateTorus(
      "_xrMarkRing",
      { diameter: 0.12, thickness: 0.01, tessellation: 32 },
      rig.plant.scene,
    );
    const mat = new StandardMaterial("_xrMarkRingMat", rig.plant.scene);
    mat.disableLighting = true;
    mat.emissiveColor = new Color3(1, 0.75, 0.1);
    ring.material = mat;
    ring.isPickable = false;
    ring.setEnabled(false);
    this.ring = ring;
  }

  /**
   * VR and AR alike. In AR plant placement runs its own hit test from the head (Babylon's WebXRHitTest: where
   * the user looks); this one is from the controller's ray (where the user aims), so the two are not one.
   */
  attach(start: XrSessionStart): void {
    this.session = start.helper.sessionManager;
    this.unavailable = false;
    start.subs.observe(start.helper.sessionManager.onXRFrameObservable, (frame) => this.onFrame(frame));
  }

  detach(): void {
    this.stopSource();
    // The session's end drops its anchors; only forget them here.
    this.anchors = [];
    this.anchored.length = 0;
    this.taken.length = 0;
    this.anchorWanted = false;
    this.session = null;
    this.ring.setEnabled(false);
  }

  dispose(): void {
    this.ring.material?.dispose();
    this.ring.dispose();
  }

  /** Marks of the last calibration that the device keeps as anchors. */
  get anchorCount(): number {
    return this.anchors.length;
  }

  /** How many of the last calibration's marks landed on a scanned surface (the rest are controller tips). */
  get onSurfaceCount(): number {
    return this.taken.filter((m) => m.onSurface).length;
  }

  /** The trigger was pulled during the Align flow: the spot the ring shows, or else the controller's tip. */
  take(h: XrHand, step: "p1" | "p2"): V3 {
    if (step === "p1") {
      this.dropAnchors();
      this.taken.length = 0;
    }
    const o = h.ray.origin;
    const mark: Mark = this.hasHit
      ? { at: [this.hit.x, this.hit.y, this.hit.z], onSurface: true }
      : { at: [o.x, o.y, o.z], onSurface: false };
    this.taken.push(mark);
    return mark.at;
  }

  /** The calibration holds: keep its surface marks as anchors (created in the next frame, where WebXR allows it). */
  keep(): void {
    this.dropAnchors();
    this.anchorWanted = this.taken.length === 2 && this.taken.every((m) => m.onSurface);
  }

  /** The calibration was refused or undone: its marks are no longer worth tracking. */
  dropAnchors(): void {
    for (const a of this.anchors) a.delete();
    this.anchors = [];
    this.anchored.length = 0;
    this.anchorWanted = false;
  }

  private onFrame(frame: XRFrame): void {
    const space = this.session?.referenceSpace;
    if (!space) return;
    if (this.anchorWanted) this.createAnchors(frame, space);
    if (this.anchors.length === 2 && ++this.frameCount % ANCHOR_EVERY === 0) this.readAnchors(frame, space);
    if (!this.waiting()) {
      this.stopSource();
      this.hasHit = false;
      if (this.ring.isEnabled()) this.ring.setEnabled(false);
      return;
    }
    const right = this.rig.hands.find((x) => x.side === "right" && !x.isHand) ?? null;
    const input = right?.source.inputSource ?? null;
    if (input !== this.sourceFor) this.stopSource();
    if (input && !this.source && !this.requesting && !this.unavailable) this.requestSource(input);
    this.hasHit = false;
    const first = this.source ? frame.getHitTestResults(this.source)[0] : undefined;
    const pose = first?.getPose(space);
    if (pose && right) {
      const p = pose.transform.position;
      this.hit.set(p.x, p.y, this.rightHanded ? p.z : -p.z);
      this.hasHit = Vector3.Distance(this.hit, right.ray.origin) <= MAX_MARK_REACH;
    }
    if (this.ring.isEnabled() !== this.hasHit) this.ring.setEnabled(this.hasHit);
    if (this.hasHit) this.ring.position.copyFrom(this.hit);
  }

  private get rightHanded(): boolean {
    return this.rig.plant.scene.useRightHandedSystem;
  }

  private requestSource(input: XRInputSource): void {
    const session = this.session?.session;
    // A session without the hit-test feature has no requestHitTestSource at all.
    if (!session?.requestHitTestSource) {
      this.unavailable = true;
      return;
    }
    this.requesting = true;
    session.requestHitTestSource({ space: input.targetRaySpace }).then(
      (source) => {
        this.requesting = false;
        if (this.session?.session !== session) {
          source.cancel();
          return;
        }
        this.source = source;
        this.sourceFor = input;
      },
      () => {
        // No scanned room or no hit test here: marks are taken at the controller's tip instead.
        this.requesting = false;
        this.unavailable = true;
      },
    );
  }

  private stopSource(): void {
    this.source?.cancel();
    this.source = null;
    this.sourceFor = null;
  }

  private createAnchors(frame: XRFrame, space: XRReferenceSpace): void {
    this.anchorWanted = false;
    const marks = this.taken.map((m) => m.at);
    if (!frame.createAnchor) return;
    const session = this.session?.session;
    const flip = this.rightHanded ? 1 : -1;
    const made = marks.map((p) =>
      frame.createAnchor!(new XRRigidTransform({ x: p[0], y: p[1], z: p[2] * flip }), space),
    );
    Promise.all(made).then(
      (anchors) => {
        if (this.session?.session !== session) return;
        this.anchors = anchors.filter((a): a is XRAnchor => !!a);
        this.anchored.length = 0;
        marks.forEach((p) => this.anchored.push([p[0], p[1], p[2]]));
      },
      () => {
        // The device refused: the alignment stands without tracking refinements.
      },
    );
  }

  private readAnchors(frame: XRFrame, space: XRReferenceSpace): void {
    const now: V3[] = [];
    for (const a of this.anchors) {
      if (!frame.trackedAnchors?.has(a)) return;
      const pose = frame.getPose(a.anchorSpace, space);
      if (!pose) return;
      const p = pose.transform.position;
      now.push([p.x, p.y, this.rightHanded ? p.z : -p.z]);
    }
    const moved = now.some((p, i) => {
      const was = this.anchored[i]!;
      return Math.hypot(p[0] - was[0], p[1] - was[1], p[2] - was[2]) > ANCHOR_MOVE;
    });
    if (!moved) return;
    now.forEach((p, i) => (this.anchored[i] = p));
    this.onMarksMoved(now[0]!, now[1]!);
  }
}
