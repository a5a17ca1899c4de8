/**
 * Co-location on this headset: once the wrist's touch flow has aligned the device to the room's marks (or set
 * them for the room), the plant sits full size on the real room: in VR the walk-in view (1:1), in AR over the
 * passthrough. In AR the alignment wins over a placement by hand (ArPlantPlacer keeps that placement for an
 * Undo, and the panel says the plant moved). A new session may start from another reference space, so the
 * alignment ends with the session. The marks land where the controller's ray meets a scanned surface and are
 * kept as anchors (MarkSurface); when the headset moves an anchor, the alignment is recomputed from it.
 */
import type { ArPlantPlacer } from "./ArPlantPlacer.ts";
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { CalibrationOutcome, V3 } from "./Calibration.ts";
import type { Locomotion } from "./Locomotion.ts";
import { MarkSurface } from "./MarkSurface.ts";
import { alignFromTwoPoints, copyPlacement, placement, type Placement } from "./placementMath.ts";
import type { TabletopMode } from "./TabletopMode.ts";
import type { XrFeature, XrSessionStart } from "./xrFeature.ts";
import type { XrPanels } from "./XrPanels.ts";
import type { XrRig } from "./XrRig.ts";

/** Said on the Align tab when an AR alignment moved a plant placed by hand (the tab's lines hold 44 characters). */
export const HAND_PLACEMENT_GAVE_WAY = "On the room's marks now, not your placement";

export class CoLocation implements XrFeature {
  readonly marks: MarkSurface;
  /** The room's reference points (plant frame) the current alignment put on the marks. */
  private roomMarks: [V3, V3] | null = null;

  constructor(
    private readonly rig: XrRig,
    private readonly panels: XrPanels,
    private readonly tabletop: TabletopMode,
    private readonly locomotion: Locomotion,
    private readonly placer: ArPlantPlacer,
  ) {
    this.marks = new MarkSurface(
      rig,
      () => panels.calibrating,
      (a, b) => this.marksMoved(a, b),
    );
  }

  /** Once the session runs (the hit test needs it). */
  attach(start: XrSessionStart): void {
    this.marks.attach(start);
  }

  detach(): void {
    this.rig.coloc = null;
    this.roomMarks = null;
    this.panels.aligned = false;
    this.panels.flow.cancel();
    this.marks.detach();
  }

  dispose(): void {
    this.marks.dispose();
  }

  /**
   * VR: calibration needs the walk-in view (1:1). AR: the marks are on the real room the user sees; the
   * miniature stays where it is until the alignment replaces it.
   */
  beforeCalibrate(): boolean {
    if (this.rig.mode === "vr" && this.rig.scaleMode !== "walk") this.tabletop.setScaleMode("walk");
    return this.rig.mode !== null;
  }

  /**
   * A touched spot (local space) in plant coordinates for setting new marks. In AR before any alignment the frame
   * holds the hand-placed miniature, which the alignment replaces: the marks are taken against the full-size plant
   * at this device's origin, as VR's walk-in view has it before anyone aligned.
   */
  toPlant(p: V3): V3 {
    const { rig } = this;
    if (rig.mode === "ar" && !rig.coloc) return [p[0], p[1], p[2]];
    const v = rig.frame.toPlant(new Vector3(p[0], p[1], p[2]), new Vector3());
    return [v.x, v.y, v.z];
  }

  calibrated(out: CalibrationOutcome, room: [V3, V3] | null): void {
    if (out.kind === "mismatch") this.marks.dropAnchors();
    if (out.kind === "aligned" && room) {
      this.roomMarks = room;
      if (this.applyAlignment(out.alignment, out.alignment.error)) this.panels.report(HAND_PLACEMENT_GAVE_WAY);
      this.marks.keep();
    } else if (out.kind === "define") {
      const { hooks } = this.rig;
      if (!hooks.ask) return;
      hooks.ask("calibrate", { a: out.a, b: out.b }).then(
        () => {
          this.roomMarks = [out.a, out.b];
          const gaveWay = this.applyAlignment(out.alignment, out.alignment.error);
          this.marks.keep();
          this.panels.report(gaveWay ? HAND_PLACEMENT_GAVE_WAY : "Marks set for the room.");
        },
        (e: unknown) => this.panels.report(e instanceof Error ? e.message : String(e)),
      );
    }
  }

  uncalibrate(): void {
    const { rig } = this;
    rig.coloc = null;
    this.roomMarks = null;
    this.marks.dropAnchors();
    this.panels.aligned = false;
    this.panels.alignError = 0;
    if (rig.mode === "ar") {
      rig.scaleMode = "tabletop";
      this.placer.release();
      this.tabletop.applyLooks();
    } else if (rig.scaleMode === "walk") rig.frame.reset();
  }

  /** The headset refined where the anchored marks are: put the room's points on them again. */
  private marksMoved(a: V3, b: V3): void {
    if (!this.roomMarks || !this.rig.coloc) return;
    const c = this.rig.frame.centre;
    const alignment = alignFromTwoPoints(this.roomMarks[0], this.roomMarks[1], a, b, [c.x, c.y, c.z], 1);
    this.applyAlignment(alignment, alignment.error);
  }

  /** Put the plant on the marks; true when, in AR, that set a placement by hand aside. */
  private applyAlignment(pl: Placement, error: number): boolean {
    const { rig } = this;
    if (!rig.mode) return false;
    rig.coloc = copyPlacement(pl, placement());
    rig.coloc.scale = 1;
    this.panels.aligned = true;
    this.panels.alignError = error;
    this.locomotion.teleportMark.setEnabled(false);
    if (rig.mode === "ar") {
      // Full size on the room: walk-in ray lengths, no table gestures (XrExperience.tick).
      rig.scaleMode = "walk";
      const gaveWay = this.placer.coLocate();
      this.tabletop.applyLooks();
      return gaveWay;
    }
    if (rig.scaleMode !== "walk") this.tabletop.setScaleMode("walk");
    else rig.frame.set(rig.coloc);
    return false;
  }
}
