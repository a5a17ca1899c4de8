/**
 * WebXR entry point for the page (immersive VR and AR). Contract with main.ts:
 * `installXr` wires the "Enter VR" / "Enter AR" buttons and returns a controller
 * whose `poses()` gives head, hands and pointer in the plant frame while in XR,
 * which the presence sender uses instead of the desktop camera.
 */
import type { PlantScene } from "../scene/PlantScene.ts";
import { XrExperience, type XrDebugView } from "./XrExperience.ts";
import type { XrController, XrHooks } from "./xrContract.ts";

export type { Pose7, Vector3Like, XrController, XrHooks, XrPoses, XrRequest } from "./xrContract.ts";

declare global {
  interface Window {
    /** Test and debugging hook: read-only view of the XR state. */
    __gemba_xr?: XrDebugView;
  }
}

export function installXr(scene: PlantScene, hooks: XrHooks): XrController {
  const xr = new XrExperience(scene, hooks);
  Object.defineProperty(window, "__gemba_xr", { configurable: true, get: () => xr.debug });
  const dispose = xr.dispose.bind(xr);
  xr.dispose = () => {
    delete window.__gemba_xr;
    dispose();
  };
  return xr;
}
