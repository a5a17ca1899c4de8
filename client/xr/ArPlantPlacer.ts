/**
 * AR: the real room shows behind a transparent clear (passthrough), the plant waits for placement, the next
 * select puts it down at the reticle on an anchor, and it follows the anchor as the device refines it.
 * "Re-place" picks it up again. Leaving the session gives the page its sky and clear colour back.
 *
 * Co-location (CoLocation) wins over a placement by hand: once this headset is aligned to the room's marks the
 * plant stands full size on them, the hand placement's anchor no longer moves it and the reticle is off; undoing
 * the alignment puts the miniature back where it was placed (or waits for a placement again).
 */
import { Color4 } from "@babylonjs/core/Maths/math.color.js";
import { ArPlacement } from "./ArPlacement.ts";
import { TABLETOP_SCALE } from "./placementMath.ts";
import type { XrFeature, XrSessionStart } from "./xrFeature.ts";
import type { XrRig } from "./XrRig.ts";
import type { XrViewer } from "./XrViewer.ts";

export class ArPlantPlacer implements XrFeature {
  readonly ar: ArPlacement;
  private savedClear = new Color4();
  private skyWasEnabled = true;

  constructor(
    private readonly rig: XrRig,
    private readonly viewer: XrViewer,
    /** A hand gesture is moving the plant: the anchor must not move it under the hands. */
    private readonly gestureActive: () => boolean,
  ) {
    this.ar = new ArPlacement(rig.plant.scene, () => this.onAnchorMoved());
  }

  /** Before the session is requested: AR's features are enabled, the sky hidden, the plant held back. */
  attach(start: XrSessionStart): void {
    const { rig } = this;
    const scene = rig.plant.scene;
    const sky = scene.getMeshByName("_sky");
    this.skyWasEnabled = sky?.isEnabled() ?? true;
    this.savedClear.copyFrom(scene.clearColor);
    if (start.mode === "ar") {
      // Passthrough: the real room shows behind a transparent clear; the plant waits for placement.
      this.ar.enable(start.helper.featuresManager, start.helper.sessionManager, start.subs);
      sky?.setEnabled(false);
      scene.clearColor.set(0, 0, 0, 0);
      rig.frame.node.setEnabled(false);
      rig.pl.scale = TABLETOP_SCALE;
    }
  }

  /** The AR features off (called while the session's mode is still known), the page's sky and clear colour back. */
  detach(): void {
    const { rig } = this;
    if (rig.mode === "ar" && rig.helper) this.ar.disable(rig.helper.featuresManager);
    const scene = rig.plant.scene;
    scene.getMeshByName("_sky")?.setEnabled(this.skyWasEnabled);
    scene.clearColor.copyFrom(this.savedClear);
  }

  /** Whether the plant stands somewhere (in VR it always does; in AR once placed by hand or co-located). */
  get placed(): boolean {
    return this.rig.mode === "ar" ? this.ar.placed || this.rig.coloc !== null : this.rig.mode !== null;
  }

  /** AR: show the reticle again; the next select puts the plant (and a new anchor) there. */
  replace(): void {
    if (this.rig.mode !== "ar") return;
    this.ar.replace();
  }

  /**
   * AR: the alignment to the room's marks (`rig.coloc`, full size) takes the plant from the hand placement.
   * Returns whether a placement by hand was set aside (the panel says so).
   */
  coLocate(): boolean {
    const { rig } = this;
    if (rig.mode !== "ar" || !rig.coloc) return false;
    this.ar.hold(true);
    rig.frame.set(rig.coloc);
    rig.frame.node.setEnabled(true);
    return this.ar.placed;
  }

  /** AR: the alignment was undone: back to the miniature where it was placed by hand, or wait for a placement. */
  release(): void {
    const { rig } = this;
    if (rig.mode !== "ar") return;
    this.ar.hold(false);
    if (this.ar.placed) {
      rig.frame.set(this.ar.current(rig.pl));
    } else {
      rig.pl.scale = TABLETOP_SCALE;
      rig.frame.node.setEnabled(false);
    }
  }

  /**
   * Put the plant down at the reticle. Without a detected surface (a device without plane or mesh
   * detection, or nothing in view) it goes 0.8 m ahead at about table height, still anchored.
   */
  place(): "placed" | "placed-in-front" | "no-camera" {
    const { rig } = this;
    const cam = rig.helper?.camera;
    if (!cam) return "no-camera";
    let x: number;
    let y: number;
    let z: number;
    if (this.ar.hasHit) {
      x = this.ar.hit.x;
      y = this.ar.hit.y;
      z = this.ar.hit.z;
    } else {
      const yaw = this.viewer.viewerYaw();
      x = cam.position.x + Math.sin(yaw) * 0.8;
      y = Math.max(0.4, cam.position.y - 0.7);
      z = cam.position.z + Math.cos(yaw) * 0.8;
    }
    // The plant's front (its -z side, where the desktop view starts) faces the viewer.
    this.ar.place(rig.pl, x, y, z, Math.atan2(x - cam.position.x, z - cam.position.z));
    rig.frame.set(rig.pl);
    rig.frame.node.setEnabled(true);
    return this.ar.hasHit ? "placed" : "placed-in-front";
  }

  private onAnchorMoved(): void {
    // Co-located, the room's marks place the plant; the hand placement's anchor waits for an Undo.
    if (this.gestureActive() || this.rig.coloc) return;
    this.ar.current(this.rig.pl);
    this.rig.frame.set(this.rig.pl);
  }

  dispose(): void {
    this.ar.dispose();
  }
}
