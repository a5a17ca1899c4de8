/**
 * The desktop's three marking modes, one at a time: point (a laser the others see), pin (a note on an asset)
 * and ink (a stroke drawn across an asset, kept in that asset's local frame). Also where the mouse is, for
 * the pointer.
 */
import type { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { AnnotationMarks } from "../scene/AnnotationMarks.ts";
import type { PlantScene } from "../scene/PlantScene.ts";
import type { PlantSession } from "../session/PlantSession.ts";
import { byId, toast } from "../ui/dom.ts";
import { askNoteText } from "../ui/NotesPanel.ts";

export type MarkingMode = "none" | "point" | "pin" | "ink";

/** Ink strokes stop growing at this many coordinates (2000 points). */
const MAX_STROKE = 6000;

export class MarkingModes {
  mode: MarkingMode = "none";
  /** The mouse over the canvas (-1 before it moved there). */
  readonly mouse = { x: -1, y: -1 };
  private readonly buttons: Record<Exclude<MarkingMode, "none">, HTMLElement> = {
    point: byId("btn-point"),
    pin: byId("btn-pin"),
    ink: byId("btn-ink"),
  };
  private stroke: { twin: string; pts: number[] } | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly scene: PlantScene,
    private readonly marks: AnnotationMarks,
    private readonly session: PlantSession,
  ) {
    this.buttons.point.addEventListener("click", () => this.set("point"));
    this.buttons.pin.addEventListener("click", () => this.set("pin"));
    this.buttons.ink.addEventListener("click", () => this.set("ink"));
    this.listenInk();
  }

  /** Switch to a mode, or out of it when it is on already. */
  set(next: MarkingMode): void {
    const { scene } = this;
    this.mode = this.mode === next ? "none" : next;
    for (const [m, b] of Object.entries(this.buttons)) b.setAttribute("aria-pressed", String(m === this.mode));
    document.body.classList.toggle("mode-pin", this.mode === "pin");
    document.body.classList.toggle("mode-ink", this.mode === "ink");
    scene.onTapOverride = this.mode === "pin" ? this.placePin : null;
    if (this.mode === "ink") scene.orbit.detachControl();
    else if (scene.scene.activeCamera === scene.orbit) scene.orbit.attachControl(true);
  }

  private readonly placePin = (hit: { twin: string; point: Vector3 } | null): boolean => {
    if (!hit) {
      toast("Click on an asset to pin a note to it.");
      return true;
    }
    const offset = this.marks.localOffset(hit.twin, hit.point);
    if (!offset) return true;
    this.set("none");
    askNoteText("Pin a note", `On ${hit.twin}`, async (text) => {
      await this.session.ask("annotate", { kind: "pin", twin: hit.twin, offset, text });
    });
    return true;
  };

  /**
   * Ink: drag across an asset; points are kept in that asset's local frame. The stroke shows under the pointer as
   * it is drawn, and a stroke that cannot land (started off every asset, or too short) says so instead of vanishing.
   */
  private listenInk(): void {
    const { canvas, scene, marks, session } = this;
    const trail = new InkTrail(canvas);
    canvas.addEventListener("pointerdown", (e) => {
      if (this.mode !== "ink") return;
      const hit = scene.pickAssetNear(e.offsetX, e.offsetY);
      if (!hit) {
        toast("Ink sticks to an asset: start the stroke on one (it turns the pointer into a pen over it).");
        return;
      }
      this.stroke = { twin: hit.twin, pts: [] };
      const local = marks.localOffset(hit.twin, hit.point);
      if (local) this.stroke.pts.push(...local);
      trail.start(e.offsetX, e.offsetY);
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener("pointermove", (e) => {
      this.mouse.x = e.offsetX;
      this.mouse.y = e.offsetY;
      const stroke = this.stroke;
      if (this.mode !== "ink" || !stroke || stroke.pts.length >= MAX_STROKE) return;
      const hit = scene.pickAt(e.offsetX, e.offsetY);
      if (!hit) return;
      const local = marks.localOffset(stroke.twin, hit.point);
      if (local) {
        stroke.pts.push(...local);
        trail.add(e.offsetX, e.offsetY);
      }
    });
    canvas.addEventListener("pointerup", () => {
      if (this.mode !== "ink" || !this.stroke) return;
      const s = this.stroke;
      this.stroke = null;
      trail.clear();
      if (s.pts.length < 6) {
        toast(`That stroke on ${s.twin} was too short to keep: drag across the asset.`);
        return;
      }
      const offset: [number, number, number] = [s.pts[0]!, s.pts[1]!, s.pts[2]!];
      askNoteText("Ink mark", `On ${s.twin} (optional note)`, async (text) => {
        await session.ask("annotate", { kind: "ink", twin: s.twin, offset, text, points: s.pts });
      });
    });
  }
}

/** The stroke being drawn, on a flat layer over the 3D view (the saved mark appears in 3D once the room has it). */
class InkTrail {
  private readonly svg: SVGSVGElement;
  private readonly line: SVGPolylineElement;
  private points = "";

  constructor(canvas: HTMLCanvasElement) {
    const ns = "http://www.w3.org/2000/svg";
    this.svg = document.createElementNS(ns, "svg");
    this.svg.id = "ink-trail";
    this.svg.setAttribute("aria-hidden", "true");
    this.line = document.createElementNS(ns, "polyline");
    this.svg.appendChild(this.line);
    canvas.insertAdjacentElement("afterend", this.svg);
  }

  start(x: number, y: number): void {
    this.points = `${x},${y}`;
    this.line.setAttribute("points", this.points);
    this.svg.classList.add("on");
  }

  add(x: number, y: number): void {
    this.points += ` ${x},${y}`;
    this.line.setAttribute("points", this.points);
  }

  clear(): void {
    this.points = "";
    this.line.setAttribute("points", "");
    this.svg.classList.remove("on");
  }
}
