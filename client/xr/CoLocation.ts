/**
 * Co-location on this headset: once the wrist's touch flow has aligned the device to the room's marks (or set
 * them for the room), the walk-in plant sits on the real room. Needs the walk-in view (1:1); AR placement has
 * its own anchor and is not co-located yet. A new session may start from another reference space, so the
 * alignment ends with the session. The marks land where the controller's ray meets a scanned surface and are
 * kept as anchors (MarkSurface); when the headset moves an anchor, the alignment is recomputed from it.
 */
import type { CalibrationOutcome, V3 } from "./Calibration.ts";
import type { Locomotion } from "./Locomotion.ts";
import { MarkSurface } from "./MarkSurface.ts";
import { alignFromTwoPoints, copyPlacement, placement, type Placement } from "./placementMath.ts";
import type { TabletopMode } from "./TabletopMode.ts";
import type { XrFeature, XrSessionStart } from "./xrFeature.ts";
import type { XrPanels } from "./XrPanels.ts";
import type { XrRig } from "./XrRig.ts";

export class CoLocation implements XrFeature {
  readonly marks: MarkSurface;
  /** The room's reference points (plant frame) the current alignment put on the marks. */
  private roomMarks: [V3, V3] | null = null;

  constructor(
    private readonly rig: XrRig,
    private readonly panels: XrPanels,
    private readonly tabletop: TabletopMode,
    private readonly locomotion: Locomotion,
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

  /** Calibration needs the walk-in view (1:1); AR placement has its own anchor and is not co-located yet. */
  beforeCalibrate(): boolean {
    if (this.rig.mode !== "vr") {
      this.panels.report("Co-location works in VR for now.");
      return false;
    }
    if (this.rig.scaleMode !== "walk") this.tabletop.setScaleMode("walk");
    return true;
  }

  calibrated(out: CalibrationOutcome, room: [V3, V3] | null): void {
    if (out.kind === "mismatch") this.marks.dropAnchors();
    if (out.kind === "aligned" && room) {
      this.roomMarks = room;
      this.applyAlignment(out.alignment, out.alignment.error);
      this.marks.keep();
    } else if (out.kind === "define") {
      const { hooks } = this.rig;
      if (!hooks.ask) return;
      hooks.ask("calibrate", { a: out.a, b: out.b }).then(
        () => {
          this.roomMarks = [out.a, out.b];
          this.applyAlignment(out.alignment, out.alignment.error);
          this.marks.keep();
          this.panels.report("Marks set for the room.");
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
    if (rig.scaleMode === "walk") rig.frame.reset();
  }

  /** The headset refined where the anchored marks are: put the room's points on them again. */
  private marksMoved(a: V3, b: V3): void {
    if (!this.roomMarks || !this.rig.coloc) return;
    const c = this.rig.frame.centre;
    const alignment = alignFromTwoPoints(this.roomMarks[0], this.roomMarks[1], a, b, [c.x, c.y, c.z], 1);
    this.applyAlignment(alignment, alignment.error);
  }

  private applyAlignment(pl: Placement, error: number): void {
    const { rig } = this;
    if (rig.mode !== "vr") return;
    rig.coloc = copyPlacement(pl, placement());
    rig.coloc.scale = 1;
    this.panels.aligned = true;
    this.panels.alignError = error;
    if (rig.scaleMode !== "walk") this.tabletop.setScaleMode("walk");
    else rig.frame.set(rig.coloc);
    this.locomotion.teleportMark.setEnabled(false);
  }
}
