/**
 * The contract every XR feature keeps, after Babylon's own XR features: `attach` when an immersive session
 * starts, `detach` when it ends (everything back as it was on the desktop), `dispose` with the page. What a
 * feature registers for one session goes through `start.subs`, which the experience clears at the session's end.
 */
import type { WebXRExperienceHelper } from "@babylonjs/core/XR/webXRExperienceHelper.js";
import type { XrMode } from "./buttons.ts";
import type { Subscriptions } from "./Subscriptions.ts";

export interface XrSessionStart {
  mode: XrMode;
  helper: WebXRExperienceHelper;
  /** One session's subscriptions: cleared when it ends. */
  subs: Subscriptions;
}

export interface XrFeature {
  attach(start: XrSessionStart): void;
  detach(): void;
  dispose(): void;
}
