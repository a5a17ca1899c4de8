/**
 * What the XR features share: the plant and its frame, the page's hooks, the wrist panels, the hands, the
 * session's mode and scale, the working placement and the last thing a ray picked. One per page; each feature
 * reads and writes only the parts it owns or consults.
 */
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { WebXRExperienceHelper } from "@babylonjs/core/XR/webXRExperienceHelper.js";
import type { PlantScene } from "../scene/PlantScene.ts";
import type { XrMode } from "./buttons.ts";
import type { PlantFrame } from "./PlantFrame.ts";
import { placement, type Placement } from "./placementMath.ts";
import type { WristPanel } from "./WristPanel.ts";
import type { XrHand } from "./XrHand.ts";
import type { XrHooks } from "./xrContract.ts";

export type ScaleMode = "walk" | "tabletop";

/** Ray length (m) in the walk-in view and on the tabletop. */
export const RAY_WALK = 12;
export const RAY_TABLE = 2.5;

export class XrRig {
  mode: XrMode | null = null;
  scaleMode: ScaleMode = "walk";
  helper: WebXRExperienceHelper | null = null;
  readonly hands: XrHand[] = [];
  /** Working placement: every feature that moves the plant writes here, then hands it to the frame. */
  readonly pl = placement();
  /** Co-location: the placement that aligns this device to the room's marks (walk-in), or null. */
  coloc: Placement | null = null;
  /** The last ray pick (a click): shown to the others for a moment, and where a pin note goes. */
  readonly lastPick = { o: new Vector3(), t: new Vector3(), twin: null as string | null, at: -Infinity };
  /** What the last trigger pull / pinch did (see XrDebugView.lastClick). */
  lastClick = "";
  frames = 0;

  constructor(
    readonly plant: PlantScene,
    readonly hooks: XrHooks,
    readonly frame: PlantFrame,
    readonly panel: WristPanel,
  ) {}

  get rayLength(): number {
    return this.scaleMode === "walk" ? RAY_WALK : RAY_TABLE;
  }

  /** +1 when cameras look along +z (left-handed scene), -1 when along -z (right-handed). */
  get fwd(): number {
    return this.plant.scene.useRightHandedSystem ? -1 : 1;
  }
}
