/**
 * The call's cameras in a headset (docs/VIDEO.md): every incoming camera (someone else pressed "Share camera")
 * on a floating panel, a Babylon VideoTexture on a plane with the sender's name above it. The desktop's video
 * tiles are page elements, which a headset does not show. The panels ride with the view, low and to the left,
 * so the technician's picture stays in sight without covering what the wearer looks at, and they are drawn
 * over the plant (a tank closer than the panel must not hide it).
 *
 * Cameras come and go with the room: the list is read twice a second, not every frame; the frame loop does
 * nothing here. Each panel plays its own <video> on the sender's stream (the desktop tile's may be paused
 * behind a frozen still).
 */
// The engine's video and dynamic texture uploads are side-effect imports in Babylon's ES modules.
import "@babylonjs/core/Engines/Extensions/engine.videoTexture.js";
import "@babylonjs/core/Engines/Extensions/engine.dynamicTexture.js";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial.js";
import { DynamicTexture } from "@babylonjs/core/Materials/Textures/dynamicTexture.js";
import { VideoTexture } from "@babylonjs/core/Materials/Textures/videoTexture.js";
import { Color3 } from "@babylonjs/core/Maths/math.color.js";
import type { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { XrCamera } from "./xrContract.ts";
import type { XrFeature, XrSessionStart } from "./xrFeature.ts";
import type { XrRig } from "./XrRig.ts";

/** How often the room's list of cameras is read (ms). */
const CHECK_MS = 500;
/** Panel width (m), and where the top of the stack sits from the eyes (m): up and to the left, clear of the wrist panel. */
export const VIDEO_PANEL_W = 0.4;
const CAPTION_H = 0.035;
const GAP = 0.015;
const AT = { x: -0.36, y: 0.16, z: 0.9 };
/** Drawn after the plant, on top of it. */
const OVER_PLANT = 2;

interface Shown {
  stream: MediaStream;
  video: HTMLVideoElement;
  texture: VideoTexture;
  plane: Mesh;
  caption: Mesh;
  captionTex: DynamicTexture;
  /** Height of the picture (m), from the stream's aspect ratio once known. */
  height: number;
}

export interface XrVideoDebug {
  seat: string;
  /** The panel's video: playback time (s) and frames decoded, both advancing while the camera plays. */
  time: number;
  frames: number;
  visible: boolean;
}

export class XrVideoPanel implements XrFeature {
  private readonly shown = new Map<string, Shown>();
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

  /** Add panels for new cameras, drop those that stopped, and stack them top to bottom. */
  private sync(): void {
    const root = this.root;
    if (!root) return;
    const cameras = this.rig.hooks.cameras?.() ?? [];
    for (const [seat, s] of this.shown)
      if (!cameras.some((c) => c.seat === seat && c.stream === s.stream)) this.drop(seat);
    for (const c of cameras) if (!this.shown.has(c.seat)) this.shown.set(c.seat, this.make(c, root));
    let y = 0;
    for (const s of this.shown.values()) {
      const w = s.video.videoWidth;
      const h = s.video.videoHeight;
      if (w > 0 && h > 0) s.height = (VIDEO_PANEL_W * h) / w;
      s.plane.scaling.y = s.height;
      s.caption.position.y = y - CAPTION_H / 2;
      s.plane.position.y = y - CAPTION_H - s.height / 2;
      y -= CAPTION_H + s.height + GAP;
    }
  }

  private make(c: XrCamera, root: TransformNode): Shown {
    const scene = this.rig.plant.scene;
    const video = document.createElement("video");
    video.muted = true;
    video.playsInline = true;
    video.srcObject = c.stream;
    void video.play().catch(() => undefined);
    const texture = new VideoTexture(`_xrVideo-${c.seat}`, video, scene, false, false, undefined, {
      autoPlay: true,
      muted: true,
      autoUpdateTexture: true,
    });
    const plane = MeshBuilder.CreatePlane(`_xrVideo-${c.seat}`, { width: VIDEO_PANEL_W, height: 1 }, scene);
    plane.material = unlit(`_xrVideo-${c.seat}`, texture);
    const captionTex = new DynamicTexture(`_xrVideoCaption-${c.seat}`, { width: 512, height: 56 }, scene);
    captionTex.drawText(`${c.name}'s camera`, 12, 40, "bold 30px sans-serif", "#e8eef2", "#0e1318", true);
    const caption = MeshBuilder.CreatePlane(
      `_xrVideoCaption-${c.seat}`,
      { width: VIDEO_PANEL_W, height: CAPTION_H },
      scene,
    );
    caption.material = unlit(`_xrVideoCaption-${c.seat}`, captionTex);
    for (const m of [plane, caption]) {
      m.parent = root;
      m.isPickable = false;
      m.renderingGroupId = OVER_PLANT;
    }
    return { stream: c.stream, video, texture, plane, caption, captionTex, height: (VIDEO_PANEL_W * 9) / 16 };
  }

  private drop(seat: string): void {
    const s = this.shown.get(seat);
    if (!s) return;
    this.shown.delete(seat);
    s.video.pause();
    s.video.srcObject = null;
    for (const m of [s.plane, s.caption]) {
      m.material?.dispose(true, true);
      m.dispose();
    }
  }

  /** What the headset shows of the call's cameras (the XR debug view). */
  debug(): XrVideoDebug[] {
    return [...this.shown].map(([seat, s]) => ({
      seat,
      time: s.video.currentTime,
      frames: s.video.getVideoPlaybackQuality?.().totalVideoFrames ?? 0,
      visible: s.plane.isEnabled() && s.plane.isVisible,
    }));
  }

  detach(): void {
    for (const seat of [...this.shown.keys()]) this.drop(seat);
    this.root?.dispose();
    this.root = null;
  }

  dispose(): void {
    this.detach();
  }
}

function unlit(name: string, texture: VideoTexture | DynamicTexture): StandardMaterial {
  const scene = texture.getScene()!;
  const mat = new StandardMaterial(name, scene);
  mat.diffuseColor = Color3.Black();
  mat.specularColor = Color3.Black();
  mat.emissiveTexture = texture;
  mat.disableLighting = true;
  mat.backFaceCulling = false;
  return mat;
}
