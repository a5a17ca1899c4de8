/**
 * Co-location on this headset: once the wrist's touch flow has aligned the device to the room's marks (or set
 * them for the room), the walk-in plant sits on the real room. Needs the walk-in view (1:1); AR placement has
 * its own anchor and is not co-located yet. A new session may start from another reference space, so the
 * alignment ends with the session.
 */
import type { CalibrationOutcome } from "./Calibration.ts";
import type { Locomotion } from "./Locomotion.ts";
import { copyPlacement, placement, type Placement } from "./placementMath.ts";
import type { TabletopMode } from "./TabletopMode.ts";
import type { XrFeature, XrSessionStart } from "./xrFeature.ts";
import type { XrPanels } from "./XrPanels.ts";
import type { XrRig } from "./XrRig.ts";

export class CoLocation implements XrFeature {
  constructor(
    private readonly rig: XrRig,
    private readonly panels: XrPanels,
    private readonly tabletop: TabletopMode,
    private readonly locomotion: Locomotion,
  ) {}

  attach(_start: XrSessionStart): void {}

  detach(): void {
    this.rig.coloc = null;
    this.panels.aligned = false;
    this.panels.flow.cancel();
  }

  dispose(): void {}

  /** Calibration needs the walk-in view (1:1); AR placement has its own anchor and is not co-located yet. */
  beforeCalibrate(): boolean {
    if (this.rig.mode !== "vr") {
      this.panels.report("Co-location works in VR for now.");
      return false;
    }
    if (this.rig.scaleMode !== "walk") this.tabletop.setScaleMode("walk");
    return true;
  }

  calibrated(out: CalibrationOutcome): void {
    if (out.kind === "aligned") this.applyAlignment(out.alignment, out.alignment.error);
    else if (out.kind === "define") {
      const { hooks } = this.rig;
      if (!hooks.ask) return;
      hooks.ask("calibrate", { a: out.a, b: out.b }).then(
        () => {
          this.applyAlignment(out.alignment, out.alignment.error);
          this.panels.report("Marks set for the room.");
        },
        (e: unknown) => this.panels.report(e instanceof Error ? e.message : String(e)),
      );
    }
  }

  uncalibrate(): void {
    const { rig } = this;
    rig.coloc = null;
    this.panels.aligned = false;
    this.panels.alignError = 0;
    if (rig.scaleMode === "walk") rig.frame.reset();
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
