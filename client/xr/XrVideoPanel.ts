/**
 * The call's cameras in a headset (docs/VIDEO.md): every incoming camera (someone else pressed "Share camera")
 * on a floating panel (XrCameraPanel.ts: the picture, the strokes on it, a caption with "Freeze" / "Back to
 * live"). The desktop's video tiles are page elements, which a headset does not show. The panels ride with the
 * view, up and to the left, so the technician's picture stays in sight without covering what the wearer looks
 * at, and they are drawn over the plant (a tank closer than the panel must not hide it).
 *
 * What the wearer does on them is what the desktop tile does, through the same actions (XrCamera): a trigger
 * pull on the caption's button freezes the camera for everyone (or goes back to live here); the trigger held on
 * the picture draws a stroke, one point per XR frame where the ray meets it, sent as the desktop's `stroke`
 * message when the trigger is released (so on a placed technician's device it lands on the asset the same way).
 *
 * Cameras come and go with the room: the list is read twice a second, not every frame. Per frame this only
 * follows the rays of strokes being drawn (none, most of the time).
 */
// The engine's video and dynamic texture uploads are side-effect imports in Babylon's ES modules.
import "@babylonjs/core/Engines/Extensions/engine.videoTexture.js";
import "@babylonjs/core/Engines/Extensions/engine.dynamicTexture.js";
import type { Ray } from "@babylonjs/core/Culling/ray.js";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import { addPoint, isStroke } from "../video/strokePoints.ts";
import { XrCameraPanel } from "./XrCameraPanel.ts";
import type { XrFeature, XrSessionStart } from "./xrFeature.ts";
import type { XrHand } from "./XrHand.ts";
import type { XrRig } from "./XrRig.ts";

/** How often the room's list of cameras is read (ms). */
const CHECK_MS = 500;
/** Gap between stacked panels (m), and where the top of the stack sits from the eyes (m): up and to the left. */
const GAP = 0.015;
const AT = { x: -0.36, y: 0.16, z: 0.9 };

export interface XrVideoDebug {
  seat: string;
  /** The panel's video: playback time (s) and frames decoded, both advancing while the camera plays. */
  time: number;
  frames: number;
  visible: boolean;
  /** The still the panel shows (after Freeze), or null on the live picture. */
  frozen: string | null;
  /** The sender's link is too thin for video (stills on demand). */
  stills: boolean;
  /** Strokes the panel has drawn on the picture (as the room relayed them). */
  strokes: number;
  /** Points of a stroke being drawn on it now (0 when none). */
  drawing: number;
}

/** A stroke being drawn with one hand's ray on one camera. */
interface Drawing {
  seat: string;
  /** The still it is drawn on ("" for the live picture), fixed when the trigger went down. */
  still: string;
  pts: number[];
}

export class XrVideoPanel implements XrFeature {
  private readonly shown = new Map<string, XrCameraPanel>();
  private readonly drawing = new Map<XrHand, Drawing>();
  private root: TransformNode | null = null;

  constructor(private readonly rig: XrRig) {}

  attach(start: XrSessionStart): void {
    if (!this.rig.hooks.cameras) return;
    const scene = this.rig.plant.scene;
    const root = new TransformNode("_xrVideo", scene);
    root.parent = start.helper.camera;
    // Ahead along the camera's forward axis; in the camera's own frame a plane's front already faces the eyes
    // (as the wrist panel's does on the hand's pointer).
    root.position.set(AT.x, AT.y, AT.z * this.rig.fwd);
    this.root = root;
    const timer = setInterval(() => this.sync(), CHECK_MS);
    start.subs.add(() => clearInterval(timer));
    this.sync();
  }

  /** Add panels for new cameras, drop those that stopped, show what the room says on each, stack them. */
  private sync(): void {
    const root = this.root;
    if (!root) return;
    const cameras = this.rig.hooks.cameras?.() ?? [];
    for (const [seat, p] of this.shown)
      if (!cameras.some((c) => c.seat === seat && c.stream === p.cam.stream)) this.drop(seat);
    for (const c of cameras) {
      const p = this.shown.get(c.seat);
      if (p) p.show(c, this.strokeOn(c.seat));
      else this.shown.set(c.seat, new XrCameraPanel(c, this.rig.plant.scene, root, this.rig.fwd));
    }
    let top = 0;
    for (const p of this.shown.values()) top = p.layout(top, GAP);
  }

  /**
   * A trigger pull released on a panel: its caption button does Freeze (a still for everyone), Back to live, or
   * New still (thin link). Returns what it did ("video:freeze", "video:live", "video:still", "video:picture" for a
   * pull on a picture that drew
   * nothing), or null when the ray is not on a panel: the panel is drawn over the plant, so a pull on it never
   * selects the asset hidden behind it.
   */
  click(ray: Ray): string | null {
    for (const p of this.shown.values()) {
      if (!p.buttonAt(ray)) continue;
      if (p.cam.stills) {
        p.cam.freeze();
        return "video:still";
      }
      if (p.cam.frozen) {
        p.cam.live();
        // Shown at once, not at the next read of the room.
        p.show({ ...p.cam, frozen: null });
        return "video:live";
      }
      p.cam.freeze();
      return "video:freeze";
    }
    for (const p of this.shown.values()) if (p.frameAt(ray)) return "video:picture";
    return null;
  }

  /**
   * The trigger went down: on a camera's picture (and allowed to draw) a stroke begins there, and the press is
   * the stroke's, not a click. Returns whether it began.
   */
  beginStroke(h: XrHand): boolean {
    for (const p of this.shown.values()) {
      const at = p.frameAt(h.ray);
      if (!at) continue;
      if (!p.cam.canDraw) return false;
      this.drawing.set(h, { seat: p.cam.seat, still: p.cam.frozen?.id ?? "", pts: [at[0], at[1]] });
      return true;
    }
    return false;
  }

  /** Per XR frame, after the hands' rays are updated: each stroke being drawn takes the point under its ray. */
  update(): void {
    if (this.drawing.size === 0) return;
    for (const [h, d] of this.drawing) {
      const p = this.shown.get(d.seat);
      const at = p?.frameAt(h.ray);
      if (!p || !at) continue;
      const n = d.pts.length;
      addPoint(d.pts, at[0], at[1]);
      if (d.pts.length !== n) p.show(p.cam, d.pts);
    }
  }

  /** The trigger came up: a stroke of two points or more is sent as the desktop sends it. Returns whether one was. */
  endStroke(h: XrHand): boolean {
    const d = this.drawing.get(h);
    if (!d) return false;
    this.drawing.delete(h);
    const p = this.shown.get(d.seat);
    if (!p) return false;
    // The room echoes the stroke to everyone (this page too): the echo is what the panel keeps.
    p.show(p.cam);
    if (!isStroke(d.pts)) return false;
    p.cam.stroke(d.pts, d.still);
    return true;
  }

  private strokeOn(seat: string): number[] | null {
    for (const d of this.drawing.values()) if (d.seat === seat) return d.pts;
    return null;
  }

  private drop(seat: string): void {
    const p = this.shown.get(seat);
    if (!p) return;
    this.shown.delete(seat);
    for (const [h, d] of this.drawing) if (d.seat === seat) this.drawing.delete(h);
    p.dispose();
  }

  /** What the headset shows of the call's cameras (the XR debug view). */
  debug(): XrVideoDebug[] {
    return [...this.shown].map(([seat, p]) => ({
      seat,
      time: p.video.currentTime,
      frames: p.frames,
      visible: p.plane.isEnabled() && p.plane.isVisible,
      frozen: p.stillShown,
      stills: p.cam.stills,
      strokes: p.cam.strokes,
      drawing: (this.strokeOn(seat)?.length ?? 0) / 2,
    }));
  }

  detach(): void {
    this.drawing.clear();
    for (const seat of [...this.shown.keys()]) this.drop(seat);
    this.root?.dispose();
    this.root = null;
  }

  dispose(): void {
    this.detach();
  }
}
