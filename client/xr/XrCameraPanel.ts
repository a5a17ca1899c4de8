/**
 * One incoming camera on the headset's floating video panel (XrVideoPanel.ts stacks them): the picture (a
 * VideoTexture on the live stream, or the still everyone was shown after Freeze), the strokes drawn on it on a
 * transparent layer just in front, and a caption with the sender's name and one button: "Freeze" on the live
 * picture, "Back to live" on a still, "New still" when the sender's link is too thin for video, as the desktop
 * tile's.
 *
 * Frame coordinates are the desktop tile's: x, y in 0..1 of the frame, y down. The picture's texture, the ink
 * layer and the caption are all uploaded the same way up (video and dynamic textures both flip on upload), so
 * texture coordinate u is x and 1 - v is y on all three, and a point under the controller's ray is the point the
 * wearer sees the ray touch.
 */
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial.js";
import { DynamicTexture } from "@babylonjs/core/Materials/Textures/dynamicTexture.js";
import { VideoTexture } from "@babylonjs/core/Materials/Textures/videoTexture.js";
import { Color3 } from "@babylonjs/core/Maths/math.color.js";
import type { Ray } from "@babylonjs/core/Culling/ray.js";
import type { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { Scene } from "@babylonjs/core/scene.js";
import { BUTTON_FROM, CAPTION_H, VIDEO_PANEL_W } from "./videoPanelLayout.ts";
import type { XrCamera } from "./xrContract.ts";

/** Drawn after the plant, on top of it. */
const OVER_PLANT = 2;
/** Texture sizes (px): the caption matches the plane's 8:1; the still and the ink layer are 16:9 like the camera. */
const CAPTION_PX = { width: 512, height: 64 };
const STILL_PX = { width: 640, height: 360 };
const INK_PX = { width: 512, height: 288 };
/** The ink layer sits this far (m) in front of the picture, toward the eyes. */
const INK_LIFT = 0.002;
/** `shownStill` while a thin link's panel waits for its first still. */
const WAITING = "";
/** A stroke being drawn, before the room relays it back in the drawer's colour. */
const DRAWING_COLOR = "#e8eef2";

export class XrCameraPanel {
  readonly video = document.createElement("video");
  readonly plane: Mesh;
  private readonly texture: VideoTexture;
  private readonly pictureMat: StandardMaterial;
  private readonly caption: Mesh;
  private readonly captionTex: DynamicTexture;
  private readonly stillTex: DynamicTexture;
  private readonly ink: Mesh;
  private readonly inkTex: DynamicTexture;
  /** Height of the picture (m), from the stream's aspect ratio once known. */
  height = (VIDEO_PANEL_W * 9) / 16;
  /** What is drawn now: the still shown (null: live), strokes counted, the caption's state. */
  private shownStill: string | null = null;
  private shownStrokes = -1;
  private captionKey = "";

  constructor(
    public cam: XrCamera,
    scene: Scene,
    root: TransformNode,
    /** +1 when cameras look along +z (left-handed scene), -1 along -z. */
    fwd: number,
  ) {
    const seat = cam.seat;
    const video = this.video;
    video.muted = true;
    video.playsInline = true;
    video.srcObject = cam.stream;
    void video.play().catch(() => undefined);
    this.texture = new VideoTexture(`_xrVideo-${seat}`, video, scene, false, false, undefined, {
      autoPlay: true,
      muted: true,
      autoUpdateTexture: true,
    });
    this.plane = MeshBuilder.CreatePlane(`_xrVideo-${seat}`, { width: VIDEO_PANEL_W, height: 1 }, scene);
    this.pictureMat = unlit(`_xrVideo-${seat}`, scene, this.texture);
    this.plane.material = this.pictureMat;
    this.stillTex = new DynamicTexture(`_xrVideoStill-${seat}`, STILL_PX, scene, false);
    this.captionTex = new DynamicTexture(`_xrVideoCaption-${seat}`, CAPTION_PX, scene, false);
    this.caption = MeshBuilder.CreatePlane(
      `_xrVideoCaption-${seat}`,
      { width: VIDEO_PANEL_W, height: CAPTION_H },
      scene,
    );
    this.caption.material = unlit(`_xrVideoCaption-${seat}`, scene, this.captionTex);
    this.inkTex = new DynamicTexture(`_xrVideoInk-${seat}`, INK_PX, scene, false);
    this.inkTex.hasAlpha = true;
    this.ink = MeshBuilder.CreatePlane(`_xrVideoInk-${seat}`, { width: VIDEO_PANEL_W, height: 1 }, scene);
    const inkMat = unlit(`_xrVideoInk-${seat}`, scene, this.inkTex);
    inkMat.opacityTexture = this.inkTex;
    this.ink.material = inkMat;
    // A child of the picture: it takes the picture's height (scaling.y) and position with it.
    this.ink.parent = this.plane;
    this.ink.position.z = -INK_LIFT * fwd;
    for (const m of [this.plane, this.caption]) m.parent = root;
    for (const m of [this.plane, this.caption, this.ink]) {
      // Hit by the controller's ray directly (frameAt, buttonAt), never by the plant's picking.
      m.isPickable = false;
      m.renderingGroupId = OVER_PLANT;
    }
    this.show(cam);
  }

  /** The room's latest word on this camera: the still shown or the live picture, new strokes, the caption. */
  show(cam: XrCamera, drawing: readonly number[] | null = null): void {
    this.cam = cam;
    const stillId = cam.frozen?.id ?? null;
    // On a thin link no video flows: until a still arrives the picture says how to get one.
    const picture = stillId ?? (cam.stills ? WAITING : null);
    if (picture !== this.shownStill) {
      this.shownStill = picture;
      if (cam.frozen) this.loadStill(cam.frozen.id, cam.frozen.jpeg);
      else if (cam.stills) this.showWaiting();
      else this.pictureMat.emissiveTexture = this.texture;
    }
    if (cam.strokes !== this.shownStrokes || drawing) this.drawInk(drawing);
    const key = `${cam.name}|${stillId !== null}|${cam.stills}|${cam.canDraw}`;
    if (key !== this.captionKey) {
      this.captionKey = key;
      this.drawCaption(cam.stills ? "New still" : stillId !== null ? "Back to live" : "Freeze");
    }
  }

  /** Stack: the caption's top at `top` (m, in the stack's frame); returns where the next panel's top goes. */
  layout(top: number, gap: number): number {
    const w = this.video.videoWidth;
    const h = this.video.videoHeight;
    if (w > 0 && h > 0) this.height = (VIDEO_PANEL_W * h) / w;
    this.plane.scaling.y = this.height;
    this.caption.position.y = top - CAPTION_H / 2;
    this.plane.position.y = top - CAPTION_H - this.height / 2;
    return top - (CAPTION_H + this.height + gap);
  }

  /** Where `ray` meets the picture, as frame coordinates (x, y in 0..1, y down), or null when it misses. */
  frameAt(ray: Ray): [number, number] | null {
    const hit = ray.intersectsMesh(this.plane);
    const uv = hit.hit ? hit.getTextureCoordinates() : null;
    return uv ? [clamp01(uv.x), clamp01(1 - uv.y)] : null;
  }

  /** Whether `ray` points at the caption's button. */
  buttonAt(ray: Ray): boolean {
    const hit = ray.intersectsMesh(this.caption);
    const uv = hit.hit ? hit.getTextureCoordinates() : null;
    return uv !== null && uv.x >= BUTTON_FROM;
  }

  /** The strokes the room relayed, and the one being drawn here (not sent yet). */
  private drawInk(drawing: readonly number[] | null): void {
    this.shownStrokes = this.cam.strokes;
    const g = this.inkTex.getContext();
    const { width, height } = INK_PX;
    g.clearRect(0, 0, width, height);
    // About 6 mm on the 40 cm panel: readable at arm's length in a headset.
    g.lineWidth = 8;
    g.lineJoin = "round";
    const line = (pts: readonly number[], color: string) => {
      if (pts.length < 4) return;
      g.strokeStyle = color;
      g.beginPath();
      g.moveTo(pts[0]! * width, pts[1]! * height);
      for (let i = 2; i + 1 < pts.length; i += 2) g.lineTo(pts[i]! * width, pts[i + 1]! * height);
      g.stroke();
    };
    for (const ink of this.cam.inks) line(ink.points, ink.color);
    if (drawing) line(drawing, DRAWING_COLOR);
    this.inkTex.update();
  }

  private drawCaption(label: string): void {
    const g = this.captionTex.getContext();
    const { width, height } = CAPTION_PX;
    const bx = Math.round(width * BUTTON_FROM);
    g.fillStyle = "#0e1318";
    g.fillRect(0, 0, width, height);
    g.fillStyle = "#e8eef2";
    g.font = "bold 24px sans-serif";
    g.fillText(fit(g, `${this.cam.name}'s camera`, bx - 20), 10, 27);
    g.font = "16px sans-serif";
    g.fillStyle = "#9fb0bd";
    // Drawing is not a button: the reason it does nothing is said where the wearer looks.
    const hint = this.cam.canDraw ? "Hold the trigger on the picture to draw" : "Drawing needs the operator role";
    // On a thin link why the picture stands still matters more than how to draw.
    g.fillText(fit(g, this.cam.stills ? "Link too thin for video: stills only" : hint, bx - 20), 10, 52);
    g.fillStyle = "#2d6cdf";
    g.fillRect(bx, 6, width - bx - 6, height - 12);
    g.fillStyle = "#ffffff";
    g.font = "bold 22px sans-serif";
    g.fillText(label, bx + (width - bx - 6 - g.measureText(label).width) / 2, 40);
    this.captionTex.update();
  }

  /** The picture while a thin link sends no video and no still has come yet. */
  private showWaiting(): void {
    const g = this.stillTex.getContext();
    const { width, height } = STILL_PX;
    g.fillStyle = "#0e1318";
    g.fillRect(0, 0, width, height);
    g.fillStyle = "#e8eef2";
    g.font = "bold 30px sans-serif";
    g.fillText("Link too thin for video", 40, height / 2 - 20);
    g.font = "24px sans-serif";
    g.fillStyle = "#9fb0bd";
    g.fillText("Pull the trigger on New still for a sharp picture", 40, height / 2 + 24);
    this.stillTex.update();
    this.pictureMat.emissiveTexture = this.stillTex;
  }

  /** Decode the still (a data: URL, no network) and show it in place of the video. */
  private loadStill(id: string, jpeg: string): void {
    const img = new Image();
    img.src = `data:image/jpeg;base64,${jpeg}`;
    img.decode().then(
      () => {
        if (this.shownStill !== id) return;
        this.stillTex.getContext().drawImage(img, 0, 0, STILL_PX.width, STILL_PX.height);
        this.stillTex.update();
        this.pictureMat.emissiveTexture = this.stillTex;
      },
      () => undefined,
    );
  }

  /** Panel's video: playback time (s) and frames decoded, both advancing while the camera plays. */
  get frames(): number {
    return this.video.getVideoPlaybackQuality?.().totalVideoFrames ?? 0;
  }

  get stillShown(): string | null {
    return this.pictureMat.emissiveTexture === this.stillTex && this.shownStill !== WAITING ? this.shownStill : null;
  }

  dispose(): void {
    this.video.pause();
    this.video.srcObject = null;
    // Each texture once: the picture's material holds one of two, the ink's holds one twice.
    for (const m of [this.ink, this.plane, this.caption]) {
      m.material?.dispose(true, false);
      m.dispose();
    }
    for (const t of [this.texture, this.stillTex, this.captionTex, this.inkTex]) t.dispose();
  }
}

function unlit(name: string, scene: Scene, texture: VideoTexture | DynamicTexture): StandardMaterial {
  const mat = new StandardMaterial(name, scene);
  mat.diffuseColor = Color3.Black();
  mat.specularColor = Color3.Black();
  mat.emissiveTexture = texture;
  mat.disableLighting = true;
  mat.backFaceCulling = false;
  return mat;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** The text, shortened with an ellipsis to fit `max` px in the context's font. */
function fit(g: { measureText(t: string): { width: number } }, text: string, max: number): string {
  if (g.measureText(text).width <= max) return text;
  let t = text;
  while (t.length > 1 && g.measureText(`${t}…`).width > max) t = t.slice(0, -1);
  return `${t}…`;
}
