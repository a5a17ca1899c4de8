/**
 * Immersive sessions for one page: enter/exit VR and AR with Babylon's XR helper, and the features that make
 * a session, one per file, each behind the attach/detach/dispose contract (xrFeature.ts):
 *   XrViewer          where the viewer stands; the desktop camera back on leaving
 *   Locomotion        walk-in teleport and snap turn
 *   TabletopMode      walk-in 1:1 / tabletop 1:50 on a virtual table
 *   TabletopGestures  grab and two-hand scale on the tabletop and in AR
 *   ArPlantPlacer     AR passthrough and placement on an anchor
 *   CoLocation        alignment to the room's marks (VR walk-in and AR), marks by hit test kept as anchors
 *   XrClicks          what a trigger pull or pinch does (ray selection of assets, panel buttons)
 *   WristPanelPoll    the wrist panels, fed by the page's RoomView, and the drawn what-if (WhatIfGhosts)
 *   PresencePoses     head, hands and pointer in plant coordinates
 *   PushToTalk        right B held, or a held left-hand pinch, opens the microphone
 *   XrVideoPanel      the call's incoming cameras on floating panels: Freeze, and drawing with the ray
 * This class creates them, calls them in a fixed order (enter, frame, exit) and reports the debug view.
 *
 * Offline by construction: no controller models, no hand meshes, no online profile repository, no
 * near-interaction material; everything drawn is built from primitives. Observers go through two
 * `Subscriptions` (this object's lifetime, one session's lifetime). The frame loop allocates nothing.
 */
import { WebXRExperienceHelper } from "@babylonjs/core/XR/webXRExperienceHelper.js";
import { WebXRHandTracking } from "@babylonjs/core/XR/features/WebXRHandTracking.js";
import { WebXRInput } from "@babylonjs/core/XR/webXRInput.js";
import { WebXRMotionControllerManager } from "@babylonjs/core/XR/motionController/webXRMotionControllerManager.js";
import { WebXRState, type WebXRRenderTarget } from "@babylonjs/core/XR/webXRTypes.js";
import type { PlantScene } from "../scene/PlantScene.ts";
import { toast } from "../ui/dom.ts";
import { ArPlantPlacer } from "./ArPlantPlacer.ts";
import type { XrButtons, XrMode } from "./buttons.ts";
import { CoLocation } from "./CoLocation.ts";
import { FollowInHeadset } from "./FollowInHeadset.ts";
import { Locomotion } from "./Locomotion.ts";
import type { XrTab } from "./panelModels.ts";
import type { PlantFrame } from "./PlantFrame.ts";
import { PresencePoses } from "./PresencePoses.ts";
import { PushToTalk } from "./PushToTalk.ts";
import { Subscriptions } from "./Subscriptions.ts";
import { TabletopGestures } from "./TabletopGestures.ts";
import { TabletopMode } from "./TabletopMode.ts";
import { WhatIfGhosts } from "./WhatIfGhosts.ts";
import { WristPanel } from "./WristPanel.ts";
import { WristPanelPoll } from "./WristPanelPoll.ts";
import { XrClicks } from "./XrClicks.ts";
import type { XrController, XrHooks, XrPoses } from "./xrContract.ts";
import type { XrSessionStart } from "./xrFeature.ts";
import { XrHands } from "./XrHands.ts";
import { XrPanels } from "./XrPanels.ts";
import { XrRig, type ScaleMode } from "./XrRig.ts";
import { XrVideoPanel, type XrVideoDebug } from "./XrVideoPanel.ts";
import { XrViewer } from "./XrViewer.ts";

export type { ScaleMode } from "./XrRig.ts";

export interface XrDebugView {
  mode: XrMode | null;
  scaleMode: ScaleMode;
  selected: string | null;
  panelText: string;
  pinned: boolean;
  placed: boolean;
  anchors: number;
  frames: number;
  hands: string[];
  /** Times frozen plant meshes were re-synced after the plant frame moved. */
  frameSyncs: number;
  /** Where the plant sits in local space (scale 1 = walk-in). */
  placement: { x: number; y: number; z: number; yaw: number; scale: number };
  /** AR: the hit test currently finds a surface under the reticle. */
  surface: boolean;
  /**
   * What the last trigger pull / pinch did: "asset:<id>", "mesh:<name>", "nothing", "panel:<button>", "tab:<tab>",
   * "list:<action>", "touch:<step>", "placed", "placed-in-front", "video:freeze", "video:live", "video:stroke",
   * "video:picture" (a floating camera panel).
   */
  lastClick: string;
  /** The wrist's active tab and what it shows (the asset tab's text is `panelText`). */
  tab: XrTab;
  tabText: string;
  /**
   * Co-location on this headset: the touch step, whether aligned to the room's marks, the touch error (m), how
   * many of the last two marks landed on a scanned surface, and how many the device keeps as anchors.
   */
  calibration: { step: "idle" | "p1" | "p2"; aligned: boolean; error: number; onSurface: number; anchors: number };
  /** Seat this headset follows (teleporting beside them), or null. */
  following: string | null;
  /** Push-to-talk is held (right B, or a held left-hand pinch). */
  talking: boolean;
  /** The call's cameras on floating panels. */
  cameras: XrVideoDebug[];
  /** The drawn what-if's tags in the plant, one line per predicted point ("L101 · Flow → 9.52 L/s at +10 min"). */
  whatIfGhosts: readonly string[];
}

export class XrExperience implements XrController {
  private readonly rig: XrRig;
  private rt: WebXRRenderTarget | null = null;
  private creating: Promise<WebXRExperienceHelper> | null = null;
  private busy = false;
  private readonly subs = new Subscriptions();
  private readonly sessionSubs = new Subscriptions();
  private readonly panels: XrPanels;
  private readonly viewer: XrViewer;
  private readonly hands: XrHands;
  private readonly locomotion: Locomotion;
  private readonly gestures: TabletopGestures;
  private readonly placer: ArPlantPlacer;
  private readonly tabletop: TabletopMode;
  private readonly coloc: CoLocation;
  private readonly clicks: XrClicks;
  private readonly panelPoll: WristPanelPoll;
  private readonly ghosts: WhatIfGhosts;
  private readonly presence: PresencePoses;
  private readonly talk: PushToTalk;
  private readonly videoPanel: XrVideoPanel;

  /**
   * `frame` and `buttons` come from the page's XR entry point (index.ts), which makes them before this code is
   * loaded: avatars and marks are parented to the frame from the start, and the buttons show as soon as the
   * browser says XR works.
   */
  constructor(
    plant: PlantScene,
    hooks: XrHooks,
    frame: PlantFrame,
    private readonly buttons: Pick<XrButtons, "set">,
  ) {
    // Never ask the internet for controller profiles or models (air-gapped plants).
    WebXRMotionControllerManager.UseOnlineRepository = false;
    const scene = plant.scene;
    const panel = new WristPanel(scene, hooks.model);
    const rig = new XrRig(plant, hooks, frame, panel);
    this.rig = rig;
    this.panels = new XrPanels(scene, panel, hooks, {
      selected: () => panel.selected,
      lastHitOn: (twin) => (rig.lastPick.twin === twin ? rig.lastPick.t : null),
      calibrated: (out, room) => this.coloc.calibrated(out, room),
      uncalibrate: () => this.coloc.uncalibrate(),
      beforeCalibrate: () => this.coloc.beforeCalibrate(),
      toPlant: (p) => this.coloc.toPlant(p),
      centre: () => [frame.centre.x, frame.centre.y, frame.centre.z],
    });
    panel.setVisible(false);
    this.viewer = new XrViewer(rig);
    this.placer = new ArPlantPlacer(rig, this.viewer, () => this.gestures.active);
    this.gestures = new TabletopGestures(rig, this.placer.ar);
    this.hands = new XrHands(rig, (h) => this.gestures.handRemoved(h));
    this.locomotion = new Locomotion(rig, this.viewer);
    this.tabletop = new TabletopMode(rig, this.viewer, this.hands, this.locomotion, this.gestures);
    this.coloc = new CoLocation(rig, this.panels, this.tabletop, this.locomotion, this.placer);
    this.videoPanel = new XrVideoPanel(rig);
    const exit = () => void this.exitAsync().catch(() => {});
    this.clicks = new XrClicks(
      rig,
      this.hands,
      this.panels,
      this.placer,
      this.tabletop,
      this.coloc,
      this.videoPanel,
      exit,
    );
    const follow = new FollowInHeadset(rig, this.viewer);
    this.ghosts = new WhatIfGhosts(rig);
    this.panelPoll = new WristPanelPoll(rig, this.panels, this.viewer, follow, () => this.clicks.selected, this.ghosts);
    this.presence = new PresencePoses(rig, () => this.placer.placed);
    this.talk = new PushToTalk(rig);
  }

  /**
   * Set XR up before the first session, so a click goes straight to requestSession (browsers want the click's
   * user activation to be fresh). Called by the entry point once the browser says XR works.
   */
  prepare(): void {
    this.helperAsync().catch((e: unknown) => console.warn("Gemba XR: WebXR is unavailable", e));
  }

  /** Enter the mode, or leave it if this page is in it (the top-bar button). */
  toggle(mode: XrMode): void {
    const run = this.rig.mode === mode ? this.exitAsync() : this.enterAsync(mode);
    run.catch(() => {});
  }

  get mode(): XrMode | null {
    return this.rig.mode;
  }

  get scaleMode(): ScaleMode {
    return this.rig.scaleMode;
  }

  /**
   * Whether this device's view is registered to the plant: in AR with the plant placed or co-located, so what
   * its camera sees lines up with the twin (a stroke on its video can be projected onto the asset under it).
   */
  get registered(): boolean {
    return this.rig.mode === "ar" && (this.rig.coloc !== null || this.placer.placed);
  }

  /** The node that carries everything in plant coordinates: parent plant-frame content (avatars, marks) here. */
  get plantFrame() {
    return this.rig.frame.node;
  }

  get debug(): XrDebugView {
    const { rig, panels } = this;
    return {
      mode: rig.mode,
      scaleMode: rig.scaleMode,
      selected: rig.panel.selected,
      panelText: rig.panel.content,
      pinned: rig.panel.pinned,
      placed: this.placer.placed,
      anchors: this.placer.ar.anchorCount,
      frames: rig.frames,
      hands: rig.hands.map((h) => `${h.side}:${h.isHand ? "hand" : "controller"}`),
      frameSyncs: rig.frame.syncCount,
      placement: { ...rig.frame.current },
      surface: this.placer.ar.hasHit,
      lastClick: rig.lastClick,
      tab: panels.tab,
      tabText: panels.content,
      calibration: {
        step: panels.flow.step,
        aligned: rig.coloc !== null,
        error: panels.alignError,
        onSurface: this.coloc.marks.onSurfaceCount,
        anchors: this.coloc.marks.anchorCount,
      },
      following: panels.following,
      talking: this.talk.talking,
      cameras: this.videoPanel.debug(),
      whatIfGhosts: this.ghosts.texts,
    };
  }

  // ---------------------------------------------------------------- sessions

  private async helperAsync(): Promise<WebXRExperienceHelper> {
    this.creating ??= (async () => {
      const scene = this.rig.plant.scene;
      const helper = await WebXRExperienceHelper.CreateAsync(scene);
      // We place the viewer ourselves (spawn point, tabletop); Babylon must not copy the desktop camera in or out.
      helper.camera.compensateOnFirstFrame = false;
      helper.camera.minZ = 0.03;
      const input = new WebXRInput(helper.sessionManager, helper.camera, {
        doNotLoadControllerMeshes: true,
        disableOnlineControllerRepository: true,
        controllerOptions: { doNotLoadControllerMesh: true },
      });
      helper.featuresManager.enableFeature(
        WebXRHandTracking.Name,
        "latest",
        {
          xrInput: input,
          jointMeshes: { sourceMesh: this.hands.jointMesh, scaleFactor: 1 },
          handMeshes: { disableDefaultMeshes: true },
        },
        undefined,
        false,
      );
      this.rt = helper.sessionManager.getWebXRRenderTarget();
      this.subs.observe(input.onControllerAddedObservable, (s) => this.hands.add(s));
      this.subs.observe(input.onControllerRemovedObservable, (s) => this.hands.remove(s));
      this.subs.observe(helper.onStateChangedObservable, (st) => {
        if (st === WebXRState.NOT_IN_XR) this.afterExit();
      });
      this.subs.observe(helper.onInitialXRPoseSetObservable, () => this.viewer.onFirstPose());
      this.subs.observe(helper.sessionManager.onXRFrameObservable, () => this.tick());
      this.subs.add(() => {
        input.dispose();
        helper.dispose();
      });
      this.rig.helper = helper;
      return helper;
    })();
    return this.creating;
  }

  async enterAsync(mode: XrMode): Promise<void> {
    const { rig } = this;
    if (rig.mode || this.busy) return;
    this.busy = true;
    try {
      const helper = await this.helperAsync();
      const start: XrSessionStart = { mode, helper, subs: this.sessionSubs };
      this.viewer.attach(start);
      rig.mode = mode;
      this.tabletop.attach(start);
      rig.frame.reset();
      // AR's features must be enabled before the session is requested.
      this.placer.attach(start);
      await helper.enterXRAsync(mode === "ar" ? "immersive-ar" : "immersive-vr", "local-floor", this.rt ?? undefined, {
        // Co-location marks land on scanned surfaces (hit test) and are kept as anchors, where the device can; in
        // AR, plant placement's Babylon features have already asked for both.
        optionalFeatures: mode === "vr" ? ["hand-tracking", "hit-test", "anchors"] : ["hand-tracking"],
      });
      this.clicks.attach(start);
      this.coloc.attach(start);
      this.panelPoll.attach(start);
      this.talk.attach(start);
      this.videoPanel.attach(start);
      this.tabletop.applyLooks();
      this.buttons.set(mode);
    } catch (e) {
      const what = mode === "ar" ? "AR" : "VR";
      console.warn(`Gemba XR: could not enter ${what}`, e);
      toast(`Could not start ${what}: ${(e as Error)?.message ?? String(e)}`);
      this.afterExit();
      throw e;
    } finally {
      this.busy = false;
    }
  }

  async exitAsync(): Promise<void> {
    if (!this.rig.mode || !this.rig.helper) return;
    await this.rig.helper.exitXRAsync();
  }

  /** Everything back as it was on the desktop: plant frame, sky, clear colour, camera. */
  private afterExit(): void {
    const { rig } = this;
    if (!rig.mode) return;
    this.placer.detach();
    this.sessionSubs.clear();
    this.clicks.detach();
    this.talk.detach();
    this.videoPanel.detach();
    rig.mode = null;
    this.tabletop.detach();
    this.gestures.detach();
    this.coloc.detach();
    rig.frame.node.setEnabled(true);
    rig.frame.reset();
    rig.frame.sync();
    this.locomotion.detach();
    this.panelPoll.detach();
    this.viewer.detach();
    this.buttons.set(null);
  }

  // ---------------------------------------------------------------- frame loop

  private tick(): void {
    const { rig } = this;
    if (!rig.mode) return;
    rig.frames++;
    const hands = rig.hands;
    for (let i = 0; i < hands.length; i++) hands[i]!.update();
    // Co-located, the real room is the reference: teleport, snap turn and AR's table gestures would break it.
    if (rig.mode === "vr" && rig.scaleMode === "walk") {
      if (!rig.coloc) this.locomotion.update();
    } else if (rig.mode === "vr" || (this.placer.ar.placed && !rig.coloc)) this.gestures.update();
    this.clicks.faceButtons();
    this.videoPanel.update();
    this.talk.update(performance.now());
    this.panelPoll.update();
    rig.frame.sync();
  }

  // ---------------------------------------------------------------- scale and placement

  /** AR: show the reticle again; the next select puts the plant (and a new anchor) there. */
  replace(): void {
    this.placer.replace();
  }

  setScaleMode(mode: ScaleMode): void {
    this.tabletop.setScaleMode(mode);
  }

  // ---------------------------------------------------------------- presence

  poses(): XrPoses | null {
    return this.presence.poses();
  }

  dispose(): void {
    const { rig } = this;
    if (rig.mode) rig.helper?.exitXRAsync().catch(() => {});
    this.afterExit();
    this.sessionSubs.clear();
    this.hands.clear();
    this.subs.clear();
    this.panelPoll.dispose();
    this.placer.dispose();
    this.tabletop.dispose();
    this.locomotion.dispose();
    this.hands.dispose();
    this.coloc.dispose();
    this.clicks.dispose();
    this.talk.dispose();
    this.videoPanel.dispose();
    this.gestures.dispose();
    this.viewer.dispose();
    // The frame belongs to the entry point (index.ts), which disposes it.
  }
}
