/**
 * WebXR entry point for the page (immersive VR and AR). Contract with main.ts:
 * `installXr` wires the "Enter VR" / "Enter AR" buttons and returns a controller
 * whose `poses()` gives head, hands and pointer in the plant frame while in XR,
 * which the presence sender uses instead of the desktop camera.
 *
 * XR's code (XrExperience and its features, Babylon's WebXR and GUI: about a fifth of the client) is not part
 * of the first view: a laptop never needs it, and a headset needs it only after the plant shows. It is
 * imported on the first "Enter VR/AR", or, on a device that supports XR, once the page has shown the room's
 * first state (`prefetchAfter`, then afterPaint), so the click that enters finds it ready. What the page needs from the start stays here:
 * the buttons and the plant frame that avatars and marks are parented to.
 */
import type { PlantScene } from "../scene/PlantScene.ts";
import { afterPaint } from "../ui/afterPaint.ts";
import { toast } from "../ui/dom.ts";
import { createXrButtons, type XrButtons, type XrMode } from "./buttons.ts";
import { PlantFrame } from "./PlantFrame.ts";
import { Subscriptions } from "./Subscriptions.ts";
import type { XrController, XrHooks, XrPoses } from "./xrContract.ts";
import type { XrDebugView, XrExperience } from "./XrExperience.ts";

export type { Pose7, Vector3Like, XrCamera, XrController, XrHooks, XrPoses, XrRequest } from "./xrContract.ts";

declare global {
  interface Window {
    /** Test and debugging hook: read-only view of the XR state (undefined until XR's code is loaded). */
    __gemba_xr?: XrDebugView;
  }
}

const LABEL: Record<XrMode, string> = { vr: "VR", ar: "AR" };

class LazyXr implements XrController {
  private readonly subs = new Subscriptions();
  private readonly frame: PlantFrame;
  private readonly buttons: XrButtons;
  private experience: XrExperience | null = null;
  private loading: Promise<XrExperience> | null = null;
  private disposed = false;

  constructor(
    private readonly scene: PlantScene,
    private readonly hooks: XrHooks,
    prefetchAfter: Promise<unknown>,
  ) {
    this.frame = new PlantFrame(scene.scene, scene);
    this.buttons = createXrButtons(
      this.subs,
      (mode) => this.onClick(mode),
      () => {
        // A failed prefetch is only logged: the click loads again and says why if it fails too.
        prefetchAfter
          .then(() => new Promise<void>((resolve) => afterPaint(resolve)))
          .then(() => this.loadAsync())
          .then(
            (x) => x.prepare(),
            (e: unknown) => console.warn("Gemba XR: could not load XR ahead of the click", e),
          );
      },
    );
    this.subs.add(() => this.buttons.remove());
    Object.defineProperty(window, "__gemba_xr", { configurable: true, get: () => this.experience?.debug });
  }

  get mode(): XrMode | null {
    return this.experience?.mode ?? null;
  }

  get scaleMode(): "walk" | "tabletop" {
    return this.experience?.scaleMode ?? "walk";
  }

  get plantFrame() {
    return this.frame.node;
  }

  /** Whether this device's view lines up with the plant (AR placement or co-location): a camera stroke can land. */
  get registered(): boolean {
    return this.experience?.registered ?? false;
  }

  poses(): XrPoses | null {
    return this.experience?.poses() ?? null;
  }

  async enterAsync(mode: XrMode): Promise<void> {
    await (await this.loadAsync()).enterAsync(mode);
  }

  async exitAsync(): Promise<void> {
    await this.experience?.exitAsync();
  }

  private onClick(mode: XrMode): void {
    if (this.experience) return this.experience.toggle(mode);
    this.buttons.loading(mode, true);
    this.loadAsync().then(
      (x) => {
        this.buttons.loading(mode, false);
        x.toggle(mode);
      },
      (e: unknown) => {
        this.buttons.loading(mode, false);
        console.warn(`Gemba XR: could not load ${LABEL[mode]}`, e);
        toast(
          `Could not load ${LABEL[mode]}: ${(e as Error)?.message ?? String(e)}. Check the connection and try again.`,
        );
      },
    );
  }

  /** XR's code, imported once; a failed import may be retried by the next click. */
  private loadAsync(): Promise<XrExperience> {
    this.loading ??= import("./XrExperience.ts").then(
      ({ XrExperience }) => {
        if (this.disposed) throw new Error("the page closed XR");
        this.experience = new XrExperience(this.scene, this.hooks, this.frame, this.buttons);
        return this.experience;
      },
      (e: unknown) => {
        this.loading = null;
        throw e;
      },
    );
    return this.loading;
  }

  dispose(): void {
    this.disposed = true;
    delete window.__gemba_xr;
    this.experience?.dispose();
    this.subs.clear();
    this.frame.dispose();
  }
}

export function installXr(scene: PlantScene, hooks: XrHooks, prefetchAfter: Promise<unknown>): XrController {
  return new LazyXr(scene, hooks, prefetchAfter);
}
