/**
 * Immersive sessions for one page: enter/exit VR and AR with Babylon's XR
 * helper, the two scale modes (walk-in 1:1 with teleport and snap turn; tabletop
 * 1:50 with grab and two-hand scale), ray selection of assets, the wrist panel,
 * AR placement with an anchor, and presence poses in plant coordinates.
 *
 * Offline by construction: no controller models, no hand meshes, no online
 * profile repository, no near-interaction material; everything drawn is built
 * here from primitives. Observers go through two `Subscriptions` (this object's
 * lifetime, one session's lifetime). The frame loop allocates nothing.
 */
import {
  Color3,
  Color4,
  Matrix,
  MeshBuilder,
  Quaternion,
  StandardMaterial,
  Vector3,
  WebXRExperienceHelper,
  WebXRHandTracking,
  WebXRInput,
  WebXRMotionControllerManager,
  WebXRState,
  type AbstractMesh,
  type Camera,
  type Mesh,
  type WebXRInputSource,
  type WebXRRenderTarget,
} from "@babylonjs/core";
import type { PlantRoomState } from "../../shared/state.ts";
import type { PlantScene } from "../scene/PlantScene.ts";
import { toast } from "../ui/dom.ts";
import { ArPlacement } from "./ArPlacement.ts";
import { createXrButtons, type XrButtons, type XrMode } from "./buttons.ts";
import type { Pose7, XrController, XrHooks, XrPoses } from "./xrContract.ts";
import { PlantFrame } from "./PlantFrame.ts";
import {
  copyPlacement,
  grabUpdate,
  placement,
  TABLETOP_SCALE,
  twoHandUpdate,
  type HandPoint,
  type Placement,
} from "./placementMath.ts";
import type { CalibrationOutcome } from "./Calibration.ts";
import type { XrTab } from "./panelModels.ts";
import { XrPanels } from "./XrPanels.ts";
import { Subscriptions } from "./Subscriptions.ts";
import { WristPanel, type PanelButton } from "./WristPanel.ts";
import { createHandLooks, XrHand, type HandLooks } from "./XrHand.ts";

export type ScaleMode = "walk" | "tabletop";

const SNAP_TURN = Math.PI / 4;
const TELEPORT_RANGE = 40;
const TABLE_HEIGHT = 0.78;
const RAY_WALK = 12;
const RAY_TABLE = 2.5;
/** How long a click's laser stays visible to the others (ms). */
const POINTER_HOLD = 1500;

interface DesktopView {
  camera: Camera | null;
  alpha: number;
  beta: number;
  radius: number;
  target: Vector3;
  walkPos: Vector3;
  walkRot: Vector3;
}

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
   * "list:<action>", "touch:<step>", "placed", "placed-in-front".
   */
  lastClick: string;
  /** The wrist's active tab and what it shows (the asset tab's text is `panelText`). */
  tab: XrTab;
  tabText: string;
  /** Co-location on this headset: the touch step, whether aligned to the room's marks, and the touch error (m). */
  calibration: { step: "idle" | "p1" | "p2"; aligned: boolean; error: number };
  /** Seat this headset follows (teleporting beside them), or null. */
  following: string | null;
}

export class XrExperience implements XrController {
  private _mode: XrMode | null = null;
  scaleMode: ScaleMode = "walk";
  private helper: WebXRExperienceHelper | null = null;
  private rt: WebXRRenderTarget | null = null;
  private creating: Promise<WebXRExperienceHelper> | null = null;
  private busy = false;
  private readonly subs = new Subscriptions();
  private readonly sessionSubs = new Subscriptions();
  private readonly frame: PlantFrame;
  private readonly panel: WristPanel;
  private readonly panels: XrPanels;
  /** Co-location: the placement that aligns this device to the room's marks (walk-in), or null. */
  private coloc: Placement | null = null;
  private readonly followPos = new Vector3();
  private readonly ar: ArPlacement;
  private readonly looks: HandLooks;
  private readonly hands: XrHand[] = [];
  private readonly buttons: XrButtons;
  private readonly table: Mesh;
  private readonly floor: Mesh;
  private readonly teleportMark: Mesh;
  private readonly jointMesh: Mesh;
  private readonly desktop: DesktopView = {
    camera: null,
    alpha: 0,
    beta: 0,
    radius: 0,
    target: new Vector3(),
    walkPos: new Vector3(),
    walkRot: new Vector3(),
  };
  private savedClear = new Color4();
  private skyWasEnabled = true;
  /** Working placement, the one at a gesture's start, and hand points then. */
  private readonly pl = placement();
  private readonly start = placement();
  private gestureKind: "none" | "grab" | "two" = "none";
  private gestureA: XrHand | null = null;
  private gestureB: XrHand | null = null;
  private readonly a0: HandPoint = { x: 0, y: 0, z: 0, yaw: 0 };
  private readonly b0: HandPoint = { x: 0, y: 0, z: 0, yaw: 0 };
  private readonly walkPose = { x: 0, z: 0, yaw: 0, saved: false };
  private teleportValid = false;
  private readonly tmpV = new Vector3();
  private readonly tmpQ = new Quaternion();
  private readonly tmpM = new Matrix();
  private readonly lastPick = { o: new Vector3(), t: new Vector3(), twin: null as string | null, at: -Infinity };
  private selected: string | null = null;
  private lastSelectionPoll = 0;
  private frames = 0;
  private lastClick = "";

  constructor(
    private readonly plant: PlantScene,
    private readonly hooks: XrHooks,
  ) {
    // Never ask the internet for controller profiles or models (air-gapped plants).
    WebXRMotionControllerManager.UseOnlineRepository = false;
    const scene = plant.scene;
    this.frame = new PlantFrame(scene, plant);
    this.panel = new WristPanel(scene, hooks.model);
    this.panels = new XrPanels(scene, this.panel, hooks, {
      selected: () => this.panel.selected,
      lastHitOn: (twin) => (this.lastPick.twin === twin ? this.lastPick.t : null),
      calibrated: (out) => this.calibrated(out),
      uncalibrate: () => this.uncalibrate(),
      beforeCalibrate: () => this.beforeCalibrate(),
      toPlant: (p) => {
        const v = this.frame.toPlant(new Vector3(p[0], p[1], p[2]), new Vector3());
        return [v.x, v.y, v.z];
      },
      centre: () => [this.frame.centre.x, this.frame.centre.y, this.frame.centre.z],
    });
    this.panel.setVisible(false);
    this.ar = new ArPlacement(scene, () => this.onAnchorMoved());
    this.looks = createHandLooks(scene);

    const tableMat = new StandardMaterial("_xrTableMat", scene);
    tableMat.diffuseColor = new Color3(0.3, 0.33, 0.37);
    tableMat.emissiveColor = new Color3(0.1, 0.11, 0.13);
    tableMat.specularColor = new Color3(0.05, 0.05, 0.05);
    this.table = MeshBuilder.CreateBox("_xrTable", { size: 1 }, scene);
    this.table.material = tableMat;
    this.table.isPickable = false;
    this.table.setEnabled(false);
    const floorMat = new StandardMaterial("_xrFloorMat", scene);
    floorMat.diffuseColor = new Color3(0.2, 0.22, 0.25);
    floorMat.specularColor = Color3.Black();
    this.floor = MeshBuilder.CreateDisc("_xrFloor", { radius: 30, tessellation: 64 }, scene);
    this.floor.rotation.x = Math.PI / 2;
    this.floor.material = floorMat;
    this.floor.isPickable = false;
    this.floor.setEnabled(false);
    const markMat = new StandardMaterial("_xrMarkMat", scene);
    markMat.disableLighting = true;
    markMat.emissiveColor = new Color3(0.45, 0.78, 1);
    this.teleportMark = MeshBuilder.CreateTorus(
      "_xrTeleport",
      { diameter: 0.7, thickness: 0.05, tessellation: 32 },
      scene,
    );
    this.teleportMark.material = markMat;
    this.teleportMark.isPickable = false;
    this.teleportMark.setEnabled(false);
    // Hand joints: Babylon instances this sphere per joint (one draw call); no hand model is downloaded.
    this.jointMesh = MeshBuilder.CreateSphere("_xrJoint", { diameter: 1, segments: 6 }, scene);
    const jointMat = new StandardMaterial("_xrJointMat", scene);
    jointMat.diffuseColor = new Color3(0.75, 0.82, 0.9);
    jointMat.emissiveColor = new Color3(0.15, 0.25, 0.35);
    this.jointMesh.material = jointMat;
    this.jointMesh.isPickable = false;
    this.jointMesh.isVisible = false;

    this.buttons = createXrButtons(
      this.subs,
      (mode) => {
        const run = this._mode === mode ? this.exitAsync() : this.enterAsync(mode);
        run.catch(() => {});
      },
      // Set XR up as soon as it is known to work, so a click goes straight to requestSession
      // (browsers want the click's user activation to be fresh).
      () => {
        this.helperAsync().catch((e: unknown) => console.warn("Gemba XR: WebXR is unavailable", e));
      },
    );
    this.subs.add(() => this.buttons.remove());
  }

  get mode(): XrMode | null {
    return this._mode;
  }

  /** The node that carries everything in plant coordinates: parent plant-frame content (avatars, marks) here. */
  get plantFrame() {
    return this.frame.node;
  }

  get debug(): XrDebugView {
    return {
      mode: this._mode,
      scaleMode: this.scaleMode,
      selected: this.panel.selected,
      panelText: this.panel.content,
      pinned: this.panel.pinned,
      placed: this._mode === "ar" ? this.ar.placed : this._mode !== null,
      anchors: this.ar.anchorCount,
      frames: this.frames,
      hands: this.hands.map((h) => `${h.side}:${h.isHand ? "hand" : "controller"}`),
      frameSyncs: this.frame.syncCount,
      placement: { ...this.frame.current },
      surface: this.ar.hasHit,
      lastClick: this.lastClick,
      tab: this.panels.tab,
      tabText: this.panels.content,
      calibration: { step: this.panels.flow.step, aligned: this.coloc !== null, error: this.panels.alignError },
      following: this.panels.following,
    };
  }

  // ---------------------------------------------------------------- sessions

  private async helperAsync(): Promise<WebXRExperienceHelper> {
    this.creating ??= (async () => {
      const scene = this.plant.scene;
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
          jointMeshes: { sourceMesh: this.jointMesh, scaleFactor: 1 },
          handMeshes: { disableDefaultMeshes: true },
        },
        undefined,
        false,
      );
      this.rt = helper.sessionManager.getWebXRRenderTarget();
      this.subs.observe(input.onControllerAddedObservable, (s) => this.addHand(s));
      this.subs.observe(input.onControllerRemovedObservable, (s) => this.removeHand(s));
      this.subs.observe(helper.onStateChangedObservable, (st) => {
        if (st === WebXRState.NOT_IN_XR) this.afterExit();
      });
      this.subs.observe(helper.onInitialXRPoseSetObservable, () => this.onFirstPose());
      this.subs.observe(helper.sessionManager.onXRFrameObservable, () => this.tick());
      this.subs.add(() => {
        input.dispose();
        helper.dispose();
      });
      this.helper = helper;
      return helper;
    })();
    return this.creating;
  }

  async enterAsync(mode: XrMode): Promise<void> {
    if (this._mode || this.busy) return;
    this.busy = true;
    try {
      const helper = await this.helperAsync();
      this.saveDesktop();
      this._mode = mode;
      this.scaleMode = mode === "ar" ? "tabletop" : "walk";
      this.frame.reset();
      this.walkPose.saved = false;
      const scene = this.plant.scene;
      const sky = scene.getMeshByName("_sky");
      this.skyWasEnabled = sky?.isEnabled() ?? true;
      this.savedClear.copyFrom(scene.clearColor);
      if (mode === "ar") {
        // Passthrough: the real room shows behind a transparent clear; the plant waits for placement.
        this.ar.enable(helper.featuresManager, helper.sessionManager, this.sessionSubs);
        sky?.setEnabled(false);
        scene.clearColor.set(0, 0, 0, 0);
        this.frame.node.setEnabled(false);
        this.pl.scale = TABLETOP_SCALE;
      }
      await helper.enterXRAsync(mode === "ar" ? "immersive-ar" : "immersive-vr", "local-floor", this.rt ?? undefined, {
        optionalFeatures: ["hand-tracking"],
      });
      const session = helper.sessionManager.session;
      this.sessionSubs.listen<XRInputSourceEvent>(session, "selectstart", (e) => this.press(e, "select", true));
      this.sessionSubs.listen<XRInputSourceEvent>(session, "selectend", (e) => this.press(e, "select", false));
      this.sessionSubs.listen<XRInputSourceEvent>(session, "squeezestart", (e) => this.press(e, "squeeze", true));
      this.sessionSubs.listen<XRInputSourceEvent>(session, "squeezeend", (e) => this.press(e, "squeeze", false));
      this.panel.setVisible(true);
      this.panel.show(this.hooks.selection?.() ?? this.selected);
      this.applyScaleLooks();
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
    if (!this._mode || !this.helper) return;
    await this.helper.exitXRAsync();
  }

  /** Everything back as it was on the desktop: plant frame, sky, clear colour, camera. */
  private afterExit(): void {
    if (!this._mode) return;
    const helper = this.helper;
    if (this._mode === "ar" && helper) this.ar.disable(helper.featuresManager);
    this.sessionSubs.clear();
    this._mode = null;
    this.scaleMode = "walk";
    this.gestureKind = "none";
    // A new session may start from another reference space: an old alignment would be wrong.
    this.coloc = null;
    this.panels.aligned = false;
    this.panels.flow.cancel();
    const scene = this.plant.scene;
    scene.getMeshByName("_sky")?.setEnabled(this.skyWasEnabled);
    scene.clearColor.copyFrom(this.savedClear);
    this.frame.node.setEnabled(true);
    this.frame.reset();
    this.frame.sync();
    this.table.setEnabled(false);
    this.floor.setEnabled(false);
    this.teleportMark.setEnabled(false);
    this.panel.setVisible(false);
    if (this.panel.pinned) this.panel.pin(false, null);
    this.restoreDesktop();
    this.buttons.set(null);
  }

  private saveDesktop(): void {
    const d = this.desktop;
    const { orbit, walk, scene } = this.plant;
    d.camera = scene.activeCamera;
    d.alpha = orbit.alpha;
    d.beta = orbit.beta;
    d.radius = orbit.radius;
    d.target.copyFrom(orbit.target);
    d.walkPos.copyFrom(walk.position);
    d.walkRot.copyFrom(walk.rotation);
  }

  private restoreDesktop(): void {
    const d = this.desktop;
    const { orbit, walk, scene } = this.plant;
    orbit.target.copyFrom(d.target);
    orbit.alpha = d.alpha;
    orbit.beta = d.beta;
    orbit.radius = d.radius;
    walk.position.copyFrom(d.walkPos);
    walk.rotation.copyFrom(d.walkRot);
    if (d.camera) scene.activeCamera = d.camera;
  }

  /** First tracked pose: stand where the desktop camera was looking (walk-in VR only). */
  private onFirstPose(): void {
    if (this._mode !== "vr") return;
    const d = this.desktop;
    if (d.camera === this.plant.walk) {
      const dir = this.tmpV;
      this.plant.walk.getDirectionToRef(Vector3.Forward(this.plant.scene.useRightHandedSystem), dir);
      this.placeViewer(d.walkPos.x, d.walkPos.z, Math.atan2(dir.x, dir.z));
      return;
    }
    // Orbit: stand 8 m in front of the orbit target, on the floor, facing it.
    const cam = this.plant.orbit.position;
    let dx = d.target.x - cam.x;
    let dz = d.target.z - cam.z;
    const len = Math.hypot(dx, dz) || 1;
    dx /= len;
    dz /= len;
    const back = Math.min(8, len);
    this.placeViewer(d.target.x - dx * back, d.target.z - dz * back, Math.atan2(dx, dz));
  }

  /** Move the XR viewer (keep the real head height) and turn so the view heading is `yaw`. */
  private placeViewer(x: number, z: number, yaw: number): void {
    const cam = this.helper?.camera;
    if (!cam) return;
    cam.position.x = x;
    cam.position.z = z;
    this.turnBy(yaw - this.viewerYaw());
  }

  /** Heading of the XR view: the yaw that turns +z onto the horizontal view direction. */
  private viewerYaw(): number {
    const cam = this.helper?.camera;
    if (!cam) return 0;
    cam.rotationQuaternion.toRotationMatrix(this.tmpM);
    // Row 2 is the camera's local +z; it looks along +z (left-handed) or -z (right-handed).
    return Math.atan2(this.fwd * this.tmpM.m[8]!, this.fwd * this.tmpM.m[10]!);
  }

  /** +1 when cameras look along +z (left-handed scene), -1 when along -z (right-handed). */
  private get fwd(): number {
    return this.plant.scene.useRightHandedSystem ? -1 : 1;
  }

  private turnBy(angle: number): void {
    const cam = this.helper?.camera;
    if (!cam || angle === 0) return;
    // Yaw in world space (pre-multiply), as Babylon's own snap turn does.
    Quaternion.RotationYawPitchRollToRef(angle, 0, 0, this.tmpQ);
    this.tmpQ.multiplyToRef(cam.rotationQuaternion, cam.rotationQuaternion);
  }

  // ---------------------------------------------------------------- inputs

  private addHand(source: WebXRInputSource): void {
    const h = new XrHand(source, this.plant.scene, this.looks);
    h.setRayLength(this.scaleMode === "walk" ? RAY_WALK : RAY_TABLE);
    this.hands.push(h);
    if (h.side === "left") this.panel.attachTo(h.panelMount);
  }

  private removeHand(source: WebXRInputSource): void {
    const i = this.hands.findIndex((h) => h.source === source);
    if (i < 0) return;
    const [h] = this.hands.splice(i, 1);
    if (this.panel.root.parent === h!.panelMount) {
      const other = this.hands.find((x) => x.side === "left");
      if (other) this.panel.attachTo(other.panelMount);
      else this.panel.pin(true, null);
    }
    if (this.gestureA === h || this.gestureB === h) this.gestureKind = "none";
    h!.dispose();
  }

  private handFor(source: XRInputSource): XrHand | null {
    for (const h of this.hands) if (h.source.inputSource === source) return h;
    return null;
  }

  /**
   * Press state from selectstart/selectend and squeezestart/squeezeend. A click is acted on at
   * selectend, not at "select": the spec fires "select" just before "selectend", but iwer 2.5 fires
   * it at the press, before "selectstart", and the release is also when we know whether the press
   * became part of a two-hand gesture.
   */
  private press(e: XRInputSourceEvent, what: "select" | "squeeze", down: boolean): void {
    const h = this.handFor(e.inputSource);
    if (!h) return;
    if (what === "squeeze") {
      h.squeezing = down;
      return;
    }
    const wasDown = h.selecting;
    h.selecting = down;
    if (down) h.gestureDuringPress = false;
    else if (wasDown && !h.gestureDuringPress) this.click(h);
  }

  /** A full trigger pull or pinch: place (AR), press a panel button, or select what the ray hits. */
  private click(h: XrHand): void {
    h.update();
    if (this._mode === "ar" && !this.ar.placed) {
      this.lastClick = this.placeAr();
      return;
    }
    const onTabs = this.panels.click(h.ray);
    if (onTabs) {
      this.lastClick = onTabs;
      return;
    }
    if (this.panel.root.isEnabled()) {
      const hit = h.ray.intersectsMesh(this.panel.mesh);
      if (hit.hit) {
        const uv = hit.getTextureCoordinates();
        const b = uv ? this.panel.buttonAt(uv.x, uv.y) : null;
        this.lastClick = `panel:${b ?? "-"}`;
        if (b) this.pressButton(b);
        return;
      }
    }
    if (this.panels.calibrating && h.side === "right") {
      // The controller's tip is on a mark on the floor: its position, not what the ray points at.
      const o = h.ray.origin;
      this.lastClick = `touch:${this.panels.flow.step}`;
      this.panels.touch([o.x, o.y, o.z]);
      return;
    }
    const pick = this.plant.scene.pickWithRay(h.ray, this.isPlantMesh);
    const mesh = pick?.hit ? pick.pickedMesh : null;
    const twin = mesh ? this.plant.twinOf(mesh) : null;
    this.lastPick.o.copyFrom(h.ray.origin);
    if (pick?.pickedPoint) this.lastPick.t.copyFrom(pick.pickedPoint);
    else
      h.ray.origin.addToRef(
        h.ray.direction.scaleToRef(this.scaleMode === "walk" ? RAY_WALK : RAY_TABLE, this.tmpV),
        this.lastPick.t,
      );
    this.lastPick.twin = twin;
    this.lastPick.at = performance.now();
    this.lastClick = twin ? `asset:${twin}` : mesh ? `mesh:${mesh.name}` : "nothing";
    this.select(twin);
  }

  private readonly isPlantMesh = (m: AbstractMesh): boolean =>
    m.isPickable && m.isVisible && m.isEnabled() && m.isDescendantOf(this.frame.node);

  private select(twin: string | null): void {
    this.selected = twin;
    this.panel.show(twin);
    this.hooks.select(twin);
  }

  private pressButton(b: PanelButton): void {
    if (b === "pin") this.togglePin();
    else if (b === "scale") this.scaleButton();
    else this.exitAsync().catch(() => {});
  }

  private togglePin(): void {
    const left = this.hands.find((h) => h.side === "left");
    this.panel.pin(!this.panel.pinned, left?.panelMount ?? null);
  }

  /** VR: switch walk-in / tabletop. AR: pick the plant up for re-placing. */
  private scaleButton(): void {
    if (this._mode === "ar") this.replace();
    else if (this._mode === "vr") this.setScaleMode(this.scaleMode === "walk" ? "tabletop" : "walk");
  }

  /** AR: show the reticle again; the next select puts the plant (and a new anchor) there. */
  replace(): void {
    if (this._mode !== "ar") return;
    this.ar.replace();
  }

  setScaleMode(mode: ScaleMode): void {
    if (this._mode !== "vr" || mode === this.scaleMode || !this.helper) return;
    const cam = this.helper.camera;
    if (mode === "tabletop") {
      this.walkPose.x = cam.position.x;
      this.walkPose.z = cam.position.z;
      this.walkPose.yaw = this.viewerYaw();
      this.walkPose.saved = true;
      const yaw = this.walkPose.yaw;
      const fx = Math.sin(yaw);
      const fz = Math.cos(yaw);
      const s = TABLETOP_SCALE;
      const w = this.frame.size.x * s + 0.16;
      const d = this.frame.size.z * s + 0.16;
      // The table stands 0.35 m + half its depth in front of the viewer; the plant's front faces them.
      const dist = 0.35 + d / 2;
      const tx = cam.position.x + fx * dist;
      const tz = cam.position.z + fz * dist;
      this.table.position.set(tx, TABLE_HEIGHT / 2, tz);
      this.table.scaling.set(w, TABLE_HEIGHT, d);
      this.table.rotation.y = yaw;
      this.floor.position.set(cam.position.x, 0.002, cam.position.z);
      this.pl.x = tx;
      this.pl.y = TABLE_HEIGHT + 0.002;
      this.pl.z = tz;
      this.pl.yaw = yaw;
      this.pl.scale = s;
      this.frame.set(this.pl);
    } else if (this.coloc) {
      // Co-located: back to the alignment with the real room (the viewer never moved in it).
      this.frame.set(this.coloc);
    } else {
      this.frame.reset();
      if (this.walkPose.saved) this.placeViewer(this.walkPose.x, this.walkPose.z, this.walkPose.yaw);
    }
    this.scaleMode = mode;
    this.gestureKind = "none";
    this.applyScaleLooks();
  }

  private applyScaleLooks(): void {
    const vrTable = this._mode === "vr" && this.scaleMode === "tabletop";
    this.table.setEnabled(vrTable);
    this.floor.setEnabled(vrTable);
    this.teleportMark.setEnabled(false);
    const len = this.scaleMode === "walk" ? RAY_WALK : RAY_TABLE;
    for (const h of this.hands) h.setRayLength(len);
    this.panel.setButton(
      "scale",
      this._mode === "ar" ? "Re-place" : this.scaleMode === "walk" ? "Tabletop" : "Walk in",
    );
  }

  /**
   * Put the plant down at the reticle. Without a detected surface (a device without plane or mesh
   * detection, or nothing in view) it goes 0.8 m ahead at about table height, still anchored.
   */
  private placeAr(): "placed" | "placed-in-front" | "no-camera" {
    const cam = this.helper?.camera;
    if (!cam) return "no-camera";
    let x: number;
    let y: number;
    let z: number;
    if (this.ar.hasHit) {
      x = this.ar.hit.x;
      y = this.ar.hit.y;
      z = this.ar.hit.z;
    } else {
      const yaw = this.viewerYaw();
      x = cam.position.x + Math.sin(yaw) * 0.8;
      y = Math.max(0.4, cam.position.y - 0.7);
      z = cam.position.z + Math.cos(yaw) * 0.8;
    }
    // The plant's front (its -z side, where the desktop view starts) faces the viewer.
    this.ar.place(this.pl, x, y, z, Math.atan2(x - cam.position.x, z - cam.position.z));
    this.frame.set(this.pl);
    this.frame.node.setEnabled(true);
    return this.ar.hasHit ? "placed" : "placed-in-front";
  }

  private onAnchorMoved(): void {
    if (this.gestureKind !== "none") return;
    this.ar.current(this.pl);
    this.frame.set(this.pl);
  }

  // ---------------------------------------------------------------- co-location and follow

  /** Calibration needs the walk-in view (1:1); AR placement has its own anchor and is not co-located yet. */
  private beforeCalibrate(): boolean {
    if (this._mode !== "vr") {
      this.panels.report("Co-location works in VR for now.");
      return false;
    }
    if (this.scaleMode !== "walk") this.setScaleMode("walk");
    return true;
  }

  private calibrated(out: CalibrationOutcome): void {
    if (out.kind === "aligned") this.applyAlignment(out.alignment, out.alignment.error);
    else if (out.kind === "define") {
      if (!this.hooks.ask) return;
      this.hooks.ask("calibrate", { a: out.a, b: out.b }).then(
        () => {
          this.applyAlignment(out.alignment, out.alignment.error);
          this.panels.report("Marks set for the room.");
        },
        (e: unknown) => this.panels.report(e instanceof Error ? e.message : String(e)),
      );
    }
  }

  private applyAlignment(pl: Placement, error: number): void {
    if (this._mode !== "vr") return;
    this.coloc = copyPlacement(pl, placement());
    this.coloc.scale = 1;
    this.panels.aligned = true;
    this.panels.alignError = error;
    if (this.scaleMode !== "walk") this.setScaleMode("walk");
    else this.frame.set(this.coloc);
    this.teleportMark.setEnabled(false);
  }

  private uncalibrate(): void {
    this.coloc = null;
    this.panels.aligned = false;
    this.panels.alignError = 0;
    if (this.scaleMode === "walk") this.frame.reset();
  }

  /**
   * Follow in a headset: a smooth camera glued to someone else's head makes people sick, so the viewer
   * teleports to stand 1.2 m behind them, facing their way, whenever they are more than 2 m from that spot.
   * Runs on the 5 Hz poll; off while co-located (the real room decides where one stands).
   */
  private followStep(state: PlantRoomState, seatId: string): void {
    const seat = state.seats.get(seatId);
    const cam = this.helper?.camera;
    if (!seat || !cam || this.coloc || this._mode !== "vr" || this.scaleMode !== "walk") return;
    const h = seat.head;
    this.followPos.set(h.x, h.y, h.z);
    this.frame.toLocal(this.followPos, this.followPos);
    const yaw =
      Math.atan2(2 * (h.qx * h.qz + h.qw * h.qy), 1 - 2 * (h.qx * h.qx + h.qy * h.qy)) + this.frame.current.yaw;
    const x = this.followPos.x - Math.sin(yaw) * 1.2;
    const z = this.followPos.z - Math.cos(yaw) * 1.2;
    if (Math.hypot(cam.position.x - x, cam.position.z - z) > 2) this.placeViewer(x, z, yaw);
  }

  // ---------------------------------------------------------------- frame loop

  private tick(): void {
    if (!this._mode) return;
    this.frames++;
    const hands = this.hands;
    for (let i = 0; i < hands.length; i++) hands[i]!.update();
    // Co-located, the real room is the reference: teleport and snap turn would break the alignment.
    if (this._mode === "vr" && this.scaleMode === "walk") {
      if (!this.coloc) this.locomotion();
    } else if (this._mode === "vr" || this.ar.placed) this.gestures();
    for (let i = 0; i < hands.length; i++) {
      const edges = hands[i]!.faceButtons();
      if (edges & 1) this.scaleButton();
      if (edges & 2) this.togglePin();
    }
    const now = performance.now();
    if (now - this.lastSelectionPoll > 200) {
      this.lastSelectionPoll = now;
      // No left hand to carry the panel (yet): let it stand in front of the viewer.
      if (!this.panel.pinned && !this.panel.root.parent && this.helper && this.frames > 10) {
        this.panel.float(this.helper.camera.position, this.viewerYaw());
      }
      const outside = this.hooks.selection?.();
      if (outside !== undefined && outside !== this.panel.selected) this.panel.show(outside);
      const view = this.hooks.view?.() ?? null;
      // The asset rows are covered by the list panel on the other tabs: refresh only what is seen.
      if (this.panels.tab === "asset") this.panel.update(view, now);
      this.panels.refresh(view, now);
      if (view && this.panels.following) this.followStep(view.room, this.panels.following);
    }
    this.frame.sync();
  }

  /** Walk-in: thumbstick forward aims a teleport ray at the floor, release jumps; sideways snaps 45°. */
  private locomotion(): void {
    let aiming = false;
    for (let i = 0; i < this.hands.length; i++) {
      const h = this.hands[i]!;
      if (h.isHand) continue;
      const st = h.aimState();
      if (st === "aiming") {
        aiming = true;
        const o = h.ray.origin;
        const d = h.ray.direction;
        const t = d.y < -0.05 ? -o.y / d.y : Infinity;
        this.teleportValid = t < TELEPORT_RANGE;
        if (this.teleportValid) {
          this.teleportMark.position.set(o.x + d.x * t, 0.02, o.z + d.z * t);
          h.setRayLength(t);
        }
      } else if (st === "release") {
        h.setRayLength(RAY_WALK);
        if (this.teleportValid && this.helper) {
          const cam = this.helper.camera;
          cam.position.x = this.teleportMark.position.x;
          cam.position.z = this.teleportMark.position.z;
        }
        this.teleportValid = false;
      }
      const turn = h.turn();
      // Stick right turns the view right: a heading change of +45° in a left-handed scene, -45° in a right-handed one.
      if (turn !== 0) this.turnBy(turn * this.fwd * SNAP_TURN);
    }
    const show = aiming && this.teleportValid;
    if (this.teleportMark.isEnabled() !== show) this.teleportMark.setEnabled(show);
  }

  /** Tabletop / AR: one squeeze drags the plant, two hands (squeeze, or both pinching) scale and turn it. */
  private gestures(): void {
    let selecting = 0;
    for (let i = 0; i < this.hands.length; i++) if (this.hands[i]!.selecting) selecting++;
    let a: XrHand | null = null;
    let b: XrHand | null = null;
    for (let i = 0; i < this.hands.length; i++) {
      const h = this.hands[i]!;
      if (!(h.squeezing || (selecting >= 2 && h.selecting))) continue;
      if (!a) a = h;
      else if (!b) b = h;
    }
    const kind = b ? "two" : a ? "grab" : "none";
    if (kind !== this.gestureKind || a !== this.gestureA || b !== this.gestureB) {
      const ended = this.gestureKind !== "none";
      this.gestureKind = kind;
      this.gestureA = a;
      this.gestureB = b;
      copyPlacement(this.frame.current, this.start);
      if (a) copyPoint(a.point, this.a0);
      if (b) copyPoint(b.point, this.b0);
      if (a && b) a.gestureDuringPress = b.gestureDuringPress = true;
      if (kind === "none" && ended && this._mode === "ar") this.ar.rebase(this.frame.current);
      return;
    }
    if (kind === "grab" && a) this.frame.set(grabUpdate(this.start, this.a0, a.point, this.pl));
    else if (kind === "two" && a && b)
      this.frame.set(twoHandUpdate(this.start, this.a0, this.b0, a.point, b.point, this.pl));
  }

  // ---------------------------------------------------------------- presence

  poses(): XrPoses | null {
    const helper = this.helper;
    if (!this._mode || !helper) return null;
    // Before AR placement the plant is nowhere: let the caller fall back to its desktop pose.
    if (this._mode === "ar" && !this.ar.placed) return null;
    const head = this.frame.poseOf(helper.camera.getWorldMatrix(), pose7());
    let left: Pose7 | null = null;
    let right: Pose7 | null = null;
    let active: XrHand | null = null;
    for (const h of this.hands) {
      if (h.side === "left") left = this.frame.poseOf(h.wrist.getWorldMatrix(), pose7());
      else if (h.side === "right") right = this.frame.poseOf(h.wrist.getWorldMatrix(), pose7());
      if (h.selecting) active = h;
    }
    let pointer: XrPoses["pointer"] = null;
    const o = new Vector3();
    const t = new Vector3();
    if (active) {
      this.frame.toPlant(active.ray.origin, o);
      active.ray.origin.addToRef(active.ray.direction.scale(this.scaleMode === "walk" ? RAY_WALK : RAY_TABLE), t);
      this.frame.toPlant(t, t);
      pointer = { o: [o.x, o.y, o.z], t: [t.x, t.y, t.z], twin: null };
    } else if (performance.now() - this.lastPick.at < POINTER_HOLD) {
      this.frame.toPlant(this.lastPick.o, o);
      this.frame.toPlant(this.lastPick.t, t);
      pointer = { o: [o.x, o.y, o.z], t: [t.x, t.y, t.z], twin: this.lastPick.twin };
    }
    return { head, left, right, pointer };
  }

  dispose(): void {
    if (this._mode) this.helper?.exitXRAsync().catch(() => {});
    this.afterExit();
    this.sessionSubs.clear();
    for (const h of this.hands.splice(0)) h.dispose();
    this.subs.clear();
    this.panels.dispose();
    this.panel.dispose();
    this.ar.dispose();
    this.table.dispose(false, true);
    this.floor.dispose(false, true);
    this.teleportMark.dispose(false, true);
    this.jointMesh.dispose(false, true);
    this.looks.rayMat.dispose();
    this.looks.bodyMat.dispose();
    this.frame.dispose();
  }
}

function pose7(): Pose7 {
  return [0, 0, 0, 0, 0, 0, 1];
}

function copyPoint(from: HandPoint, to: HandPoint): void {
  to.x = from.x;
  to.y = from.y;
  to.z = from.z;
  to.yaw = from.yaw;
}
