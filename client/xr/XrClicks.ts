/**
 * What a trigger pull or pinch does, in this order: press a floating video panel's button, press a tab or a list
 * button, take a floor mark (co-location), place the plant (AR, not yet placed), press a wrist-panel button, or
 * select the asset the ray hits, exactly as a desktop click does. The tabs come first so that in AR the Align tab
 * works before the plant is placed (co-location puts it down itself). A press that starts on a camera's picture
 * draws on it instead (XrVideoPanel). Also the controllers' face buttons (scale, pin).
 */
import type { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh.js";
import type { ArPlantPlacer } from "./ArPlantPlacer.ts";
import type { TabletopMode } from "./TabletopMode.ts";
import type { CoLocation } from "./CoLocation.ts";
import type { PanelButton } from "./WristPanel.ts";
import type { XrFeature, XrSessionStart } from "./xrFeature.ts";
import type { XrHand } from "./XrHand.ts";
import type { XrHands } from "./XrHands.ts";
import type { XrPanels } from "./XrPanels.ts";
import type { XrRig } from "./XrRig.ts";
import type { XrVideoPanel } from "./XrVideoPanel.ts";

export class XrClicks implements XrFeature {
  /** The asset last selected in XR. */
  selected: string | null = null;

  constructor(
    private readonly rig: XrRig,
    private readonly hands: XrHands,
    private readonly panels: XrPanels,
    private readonly placer: ArPlantPlacer,
    private readonly tabletop: TabletopMode,
    private readonly coloc: CoLocation,
    private readonly video: XrVideoPanel,
    /** The panel's "Exit" button. */
    private readonly exit: () => void,
  ) {}

  /** Once the session runs: its select and squeeze events. */
  attach(start: XrSessionStart): void {
    const session = start.helper.sessionManager.session;
    start.subs.listen<XRInputSourceEvent>(session, "selectstart", (e) => this.press(e, "select", true));
    start.subs.listen<XRInputSourceEvent>(session, "selectend", (e) => this.press(e, "select", false));
    start.subs.listen<XRInputSourceEvent>(session, "squeezestart", (e) => this.press(e, "squeeze", true));
    start.subs.listen<XRInputSourceEvent>(session, "squeezeend", (e) => this.press(e, "squeeze", false));
  }

  detach(): void {}

  dispose(): void {}

  /** Face buttons, once a frame: A/X switches scale (or re-places in AR), Y pins the panel (B is push-to-talk). */
  faceButtons(): void {
    const hands = this.rig.hands;
    for (let i = 0; i < hands.length; i++) {
      const h = hands[i]!;
      const edges = h.faceButtons();
      if (edges & 1) this.scaleButton();
      if (edges & 2 && h.side !== "right") this.togglePin();
    }
  }

  /**
   * Press state from selectstart/selectend and squeezestart/squeezeend. A click is acted on at
   * selectend, not at "select": the spec fires "select" just before "selectend", but iwer 2.5 fires
   * it at the press, before "selectstart", and the release is also when we know whether the press
   * became part of a two-hand gesture.
   */
  private press(e: XRInputSourceEvent, what: "select" | "squeeze", down: boolean): void {
    const h = this.hands.of(e.inputSource);
    if (!h) return;
    if (what === "squeeze") {
      h.squeezing = down;
      return;
    }
    const wasDown = h.selecting;
    h.selecting = down;
    if (down) {
      h.gestureDuringPress = false;
      h.selectSince = performance.now();
      // Trigger held on a camera's picture is a stroke: its release is not a click on what lies behind.
      if (this.placer.placed) h.gestureDuringPress = this.video.beginStroke(h);
      return;
    }
    if (this.video.endStroke(h)) {
      this.rig.lastClick = "video:stroke";
      return;
    }
    if (wasDown && !h.gestureDuringPress) this.click(h);
  }

  /** A full trigger pull or pinch: place (AR), press a panel button, or select what the ray hits. */
  private click(h: XrHand): void {
    const { rig, panels } = this;
    const { panel } = rig;
    h.update();
    const onVideo = this.video.click(h.ray);
    if (onVideo) {
      rig.lastClick = onVideo;
      return;
    }
    const onTabs = panels.click(h.ray);
    if (onTabs) {
      rig.lastClick = onTabs;
      return;
    }
    if (panels.calibrating && h.side === "right") {
      // Where the ray meets the floor (the ring), or the controller's tip held on the mark.
      const step = panels.flow.step as "p1" | "p2";
      rig.lastClick = `touch:${step}`;
      panels.touch(this.coloc.marks.take(h, step));
      return;
    }
    if (rig.mode === "ar" && !this.placer.placed) {
      rig.lastClick = this.placer.place();
      return;
    }
    if (panel.root.isEnabled()) {
      const hit = h.ray.intersectsMesh(panel.mesh);
      if (hit.hit) {
        const uv = hit.getTextureCoordinates();
        const b = uv ? panel.buttonAt(uv.x, uv.y) : null;
        rig.lastClick = `panel:${b ?? "-"}`;
        if (b) this.pressButton(b);
        return;
      }
    }
    const pick = rig.plant.scene.pickWithRay(h.ray, this.isPlantMesh);
    const mesh = pick?.hit ? pick.pickedMesh : null;
    const twin = mesh ? rig.plant.twinOf(mesh) : null;
    const last = rig.lastPick;
    last.o.copyFrom(h.ray.origin);
    if (pick?.pickedPoint) last.t.copyFrom(pick.pickedPoint);
    else h.ray.origin.addToRef(h.ray.direction.scaleToRef(rig.rayLength, last.t), last.t);
    last.twin = twin;
    last.at = performance.now();
    rig.lastClick = twin ? `asset:${twin}` : mesh ? `mesh:${mesh.name}` : "nothing";
    this.select(twin);
  }

  private readonly isPlantMesh = (m: AbstractMesh): boolean =>
    m.isPickable && m.isVisible && m.isEnabled() && m.isDescendantOf(this.rig.frame.node);

  private select(twin: string | null): void {
    this.selected = twin;
    this.rig.panel.show(twin);
    this.rig.hooks.select(twin);
  }

  private pressButton(b: PanelButton): void {
    if (b === "pin") this.togglePin();
    else if (b === "scale") this.scaleButton();
    else this.exit();
  }

  private togglePin(): void {
    const { hands, panel } = this.rig;
    const left = hands.find((h) => h.side === "left");
    panel.pin(!panel.pinned, left?.panelMount ?? null);
  }

  /** VR: switch walk-in / tabletop. AR: pick the plant up for re-placing (placing by hand ends co-location). */
  private scaleButton(): void {
    const { rig } = this;
    if (rig.mode === "ar") {
      if (rig.coloc) this.coloc.uncalibrate();
      this.placer.replace();
    } else if (rig.mode === "vr") this.tabletop.setScaleMode(rig.scaleMode === "walk" ? "tabletop" : "walk");
  }
}
