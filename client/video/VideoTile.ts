/**
 * One camera in the desktop video panel: the live picture (or the frozen still), the strokes drawn on it, and
 * drawing with the pointer. Coordinates are 0..1 of the frame: the stage keeps the frame's aspect ratio and the
 * picture fills it exactly, so a point means the same spot on every screen and on the sender's camera.
 */
import { addPoint, isStroke, type Ink } from "./strokePoints.ts";

const SVG = "http://www.w3.org/2000/svg";
/** Strokes kept on a tile (older ones fade out of the list). */
const MAX_STROKES = 40;

export interface TileActions {
  freeze(): void;
  live(): void;
  /** A finished stroke: x, y pairs in 0..1, on the still shown ("" for the live picture). */
  stroke(points: number[], still: string): void;
}

/** A still shown frozen: its id in the room and the base64 JPEG. */
export interface FrozenStill {
  id: string;
  jpeg: string;
  width: number;
  height: number;
}

export class VideoTile {
  readonly el = document.createElement("figure");
  readonly video = document.createElement("video");
  private readonly img = document.createElement("img");
  private readonly stage = document.createElement("div");
  private readonly svg = document.createElementNS(SVG, "svg");
  private readonly caption = document.createElement("figcaption");
  private readonly title = document.createElement("span");
  private readonly freezeBtn = document.createElement("button");
  private readonly liveBtn = document.createElement("button");
  /** The still shown frozen, if any, and its picture (the headset's panel shows the same). */
  frozen: string | null = null;
  still: FrozenStill | null = null;
  /** Strokes shown so far (only grows), and the newest ones with their colours (the headset's panel draws them). */
  strokes = 0;
  readonly inks: Ink[] = [];
  /** The points of the newest stroke shown (as the room relayed them). */
  lastStroke: readonly number[] = [];
  private drawing: { pts: number[]; line: SVGPolylineElement } | null = null;

  constructor(
    readonly seat: string,
    private readonly actions: TileActions,
    private readonly canDraw: boolean,
  ) {
    this.el.className = "video-tile";
    this.el.dataset["seat"] = seat;
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.autoplay = true;
    this.img.alt = "Frozen still";
    this.img.hidden = true;
    this.stage.className = "video-stage";
    this.svg.setAttribute("viewBox", "0 0 1 1");
    this.svg.setAttribute("preserveAspectRatio", "none");
    this.svg.classList.add("video-ink");
    this.stage.append(this.video, this.img, this.svg);
    this.freezeBtn.type = "button";
    this.freezeBtn.textContent = "Freeze";
    this.freezeBtn.title = "Show a sharp still of this camera to everyone";
    this.freezeBtn.addEventListener("click", () => this.actions.freeze());
    this.liveBtn.type = "button";
    this.liveBtn.textContent = "Back to live";
    this.liveBtn.hidden = true;
    this.liveBtn.addEventListener("click", () => this.actions.live());
    this.caption.append(this.title, this.freezeBtn, this.liveBtn);
    this.el.append(this.caption, this.stage);
    this.video.addEventListener("resize", () => this.fitAspect(this.video.videoWidth, this.video.videoHeight));
    if (canDraw) this.listenDrawing();
    else this.stage.title = "Drawing on the video needs the operator role.";
  }

  setTitle(text: string, mode: string): void {
    this.title.textContent = text;
    this.el.dataset["mode"] = mode;
    // Stills mode: no video to go back to; the button asks for a fresh still.
    this.freezeBtn.textContent = mode === "stills" ? "New still" : "Freeze";
    if (mode === "stills") this.liveBtn.hidden = true;
  }

  setStream(stream: MediaStream | null): void {
    if (this.video.srcObject !== stream) {
      this.video.srcObject = stream;
      if (stream) void this.video.play().catch(() => undefined);
    }
  }

  /** Show a still frozen (base64 JPEG), or go back to the live picture with null. */
  showStill(id: string | null, jpeg = "", width = 0, height = 0, canGoLive = true): void {
    this.frozen = id;
    this.still = id === null ? null : { id, jpeg, width, height };
    this.img.hidden = id === null;
    this.video.hidden = id !== null;
    this.liveBtn.hidden = id === null || !canGoLive;
    if (id !== null) {
      this.img.src = `data:image/jpeg;base64,${jpeg}`;
      this.fitAspect(width, height);
    } else this.fitAspect(this.video.videoWidth, this.video.videoHeight);
  }

  addStroke(points: readonly number[], color: string): void {
    const line = document.createElementNS(SVG, "polyline");
    line.setAttribute("points", pairs(points));
    line.setAttribute("stroke", color);
    this.svg.appendChild(line);
    while (this.svg.childElementCount > MAX_STROKES) this.svg.firstElementChild?.remove();
    this.inks.push({ points, color });
    if (this.inks.length > MAX_STROKES) this.inks.shift();
    this.strokes++;
    this.lastStroke = points;
  }

  clearStrokes(): void {
    this.svg.replaceChildren();
    this.inks.length = 0;
  }

  private fitAspect(w: number, h: number): void {
    if (w > 0 && h > 0) this.stage.style.aspectRatio = `${w} / ${h}`;
  }

  private listenDrawing(): void {
    const at = (e: PointerEvent): [number, number] => {
      const r = this.stage.getBoundingClientRect();
      const clamp = (v: number) => Math.min(1, Math.max(0, v));
      return [clamp((e.clientX - r.left) / r.width), clamp((e.clientY - r.top) / r.height)];
    };
    // Dragging over a frozen still started the browser's own drag of the <img>: it cancelled the pointer after
    // the first move, and a four-segment stroke arrived as one segment. The still is not draggable.
    this.img.draggable = false;
    this.stage.addEventListener("dragstart", (e) => e.preventDefault());
    this.stage.addEventListener("pointerdown", (e) => {
      const line = document.createElementNS(SVG, "polyline");
      line.classList.add("drawing");
      this.svg.appendChild(line);
      this.drawing = { pts: [...at(e)], line };
      this.stage.setPointerCapture(e.pointerId);
    });
    this.stage.addEventListener("pointermove", (e) => {
      const d = this.drawing;
      if (!d) return;
      // A busy page (a 3D plant and a video call) gets pointermove at most once a frame, with the moves in
      // between folded into it: getCoalescedEvents() has each of them.
      const moves = typeof e.getCoalescedEvents === "function" ? e.getCoalescedEvents() : [];
      for (const m of moves.length ? moves : [e]) addPoint(d.pts, ...at(m));
      d.line.setAttribute("points", pairs(d.pts));
    });
    const end = (e: PointerEvent) => {
      const d = this.drawing;
      this.drawing = null;
      if (!d) return;
      d.line.remove();
      // The browser took the pointer away mid-stroke: what was drawn is not what the person meant to send.
      if (e.type === "pointercancel") return;
      addPoint(d.pts, ...at(e));
      // The room echoes the stroke to everyone (this page too): the echo is what stays.
      if (isStroke(d.pts)) this.actions.stroke(d.pts, this.frozen ?? "");
    };
    this.stage.addEventListener("pointerup", end);
    this.stage.addEventListener("pointercancel", end);
  }
}

function pairs(p: readonly number[]): string {
  let s = "";
  for (let i = 0; i + 1 < p.length; i += 2) s += `${p[i]!.toFixed(4)},${p[i + 1]!.toFixed(4)} `;
  return s.trim();
}
