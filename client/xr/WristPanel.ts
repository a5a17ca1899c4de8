/**
 * The in-XR inspector: a Babylon GUI texture on a 30 × 21 cm plane that rides on
 * the left wrist (or stays where it is when pinned), showing the selected asset's
 * name and live points, plus three buttons. Text is rebuilt at most 5 times a
 * second and only when a shown value changed; the texture redraws only then.
 *
 * Buttons are hit by the caller's own ray (see `buttonAt`), not by GUI pointer
 * events: XR here has no pointer-selection feature, and a simulated scene pointer
 * would also reach the desktop's click-to-select handler.
 */
import { AdvancedDynamicTexture } from "@babylonjs/gui/2D/advancedDynamicTexture.js";
import { Control } from "@babylonjs/gui/2D/controls/control.js";
import { Rectangle } from "@babylonjs/gui/2D/controls/rectangle.js";
import { StackPanel } from "@babylonjs/gui/2D/controls/stackPanel.js";
import { TextBlock } from "@babylonjs/gui/2D/controls/textBlock.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { PlantModel, PointDef, TypeDef } from "../../shared/plant.ts";
import type { TwinSeen } from "../../shared/state.ts";
import type { RoomSnapshot } from "../app/RoomView.ts";
import { QUALITY_NAMES, severityOf } from "../../shared/status.ts";
import { formatValue } from "../ui/format.ts";

export const PANEL_W = 0.3;
export const PANEL_H = 0.21;
const TEX_W = 1024;
const TEX_H = Math.round((TEX_W * PANEL_H) / PANEL_W);
const ROWS = 8;
const BUTTON_H = 96;
const MARGIN = 40;
const SEVERITY_COLORS = ["#e8eef2", "#f3c30f", "#ff6b5e"];

export type PanelButton = "pin" | "scale" | "exit";

export class WristPanel {
  readonly root: TransformNode;
  readonly mesh: Mesh;
  private readonly adt: AdvancedDynamicTexture;
  private readonly title: TextBlock;
  private readonly sub: TextBlock;
  private readonly names: TextBlock[] = [];
  private readonly values: TextBlock[] = [];
  private readonly buttons = new Map<PanelButton, { rect: Rectangle; label: TextBlock }>();
  private twin: string | null = null;
  private type: TypeDef | null = null;
  /** Last shown value, timestamp and flags per row: a change check without building strings. */
  private readonly shown = new Float64Array(ROWS * 3);
  private lastUpdate = 0;
  /** The sub line without the playback marker, and the view time (s) it was last marked with (0: live). */
  private baseSub = "";
  private shownAt = 0;
  private text = "";
  pinned = false;
  /** +1 in a left-handed scene (forward is +z), -1 in a right-handed one. */
  private readonly f: number;

  constructor(
    scene: Scene,
    private readonly model: PlantModel | undefined,
  ) {
    this.f = scene.useRightHandedSystem ? -1 : 1;
    this.root = new TransformNode("_xrPanelRoot", scene);
    this.mesh = MeshBuilder.CreatePlane("_xrPanel", { width: PANEL_W, height: PANEL_H }, scene);
    this.mesh.parent = this.root;
    this.mesh.isPickable = false;
    this.adt = AdvancedDynamicTexture.CreateForMesh(this.mesh, TEX_W, TEX_H, false);
    // Opaque: a see-through panel shows the controller behind it through the text.
    this.adt.background = "#0d1419";

    // Explicit pixel widths: in a vertical StackPanel percentage widths resolve against more than the
    // texture, and right-aligned values ran off the panel's edge.
    const inner = TEX_W - 2 * MARGIN;
    const stack = new StackPanel("_xrPanelStack");
    stack.width = `${inner}px`;
    stack.verticalAlignment = Control.VERTICAL_ALIGNMENT_TOP;
    stack.top = "22px";
    this.adt.addControl(stack);
    this.title = text("_xrTitle", 52, "#ffffff", true);
    this.title.width = `${inner}px`;
    this.title.height = "70px";
    this.sub = text("_xrSub", 32, "#9fb3c1");
    this.sub.width = `${inner}px`;
    this.sub.height = "48px";
    stack.addControl(this.title);
    stack.addControl(this.sub);
    for (let i = 0; i < ROWS; i++) {
      const row = new Rectangle(`_xrRow${i}`);
      row.thickness = 0;
      row.width = `${inner}px`;
      row.height = "56px";
      const name = text(`_xrName${i}`, 36, "#b8c7d1");
      const value = text(`_xrValue${i}`, 40, SEVERITY_COLORS[0]!, true);
      value.textHorizontalAlignment = Control.HORIZONTAL_ALIGNMENT_RIGHT;
      row.addControl(name);
      row.addControl(value);
      stack.addControl(row);
      this.names.push(name);
      this.values.push(value);
    }

    const bar = new StackPanel("_xrButtons");
    bar.isVertical = false;
    bar.height = `${BUTTON_H}px`;
    bar.verticalAlignment = Control.VERTICAL_ALIGNMENT_BOTTOM;
    bar.paddingBottom = "16px";
    this.adt.addControl(bar);
    for (const id of ["pin", "scale", "exit"] as const) {
      const rect = new Rectangle(`_xrBtn.${id}`);
      rect.width = `${TEX_W / 3 - 24}px`;
      rect.height = `${BUTTON_H - 16}px`;
      rect.paddingLeft = "12px";
      rect.paddingRight = "12px";
      rect.cornerRadius = 14;
      rect.thickness = 3;
      rect.color = "#4aa3ff";
      rect.background = "#16324a";
      const label = text(`_xrBtnLabel.${id}`, 36, "#ffffff", true);
      label.textHorizontalAlignment = Control.HORIZONTAL_ALIGNMENT_CENTER;
      rect.addControl(label);
      bar.addControl(rect);
      this.buttons.set(id, { rect, label });
    }
    this.setButton("pin", "Pin");
    this.setButton("exit", "Exit");
    this.show(null);
  }

  /** Everything the panel shows, as plain text (test hook and accessibility). */
  get content(): string {
    return this.text;
  }

  get selected(): string | null {
    return this.twin;
  }

  setButton(id: PanelButton, label: string): void {
    const b = this.buttons.get(id);
    if (b && b.label.text !== label) b.label.text = label;
  }

  show(twinId: string | null): void {
    if (twinId === this.twin && twinId !== null) return;
    this.twin = twinId;
    const tw = twinId ? this.model?.twins.find((t) => t.id === twinId) : undefined;
    this.type = tw ? (this.model?.types.find((t) => t.id === tw.type) ?? null) : null;
    if (!twinId) {
      this.title.text = "Nothing selected";
      this.sub.text = "Point at an asset, pull the trigger or pinch";
    } else {
      this.title.text = tw ? `${tw.id} · ${tw.name}` : twinId;
      const area = tw ? (this.model?.areas.find((a) => a.id === tw.area)?.name ?? tw.area) : "";
      this.baseSub = tw ? `${this.type?.displayName ?? tw.type}${area ? ` in ${area}` : ""}` : "";
      this.sub.text = this.baseSub;
    }
    this.shownAt = 0;
    const defs = this.type?.points ?? [];
    for (let i = 0; i < ROWS; i++) {
      const def = defs[i];
      this.names[i]!.text = def ? def.displayName : "";
      this.values[i]!.text = def ? "—" : "";
      this.values[i]!.color = SEVERITY_COLORS[0]!;
    }
    this.shown.fill(NaN);
    this.lastUpdate = 0;
    this.compose();
  }

  /** Refresh live values: at most every 200 ms, and only rows whose value, quality or staleness changed. */
  update(view: RoomSnapshot | null, now: number): void {
    if (!this.twin || !this.type || !view || now - this.lastUpdate < 200) return;
    this.lastUpdate = now;
    // During shared playback the rows show the room's view time, as the desktop does, and say so.
    const at = view.past ? Math.floor(view.at / 1000) : 0;
    let changed = false;
    if (at !== this.shownAt) {
      this.shownAt = at;
      this.sub.text = at ? `${this.baseSub} · PLAYBACK ${new Date(view.at).toLocaleTimeString()}` : this.baseSub;
      changed = true;
    }
    // `points` is absent until the selected twin is in this client's interest (a patch after selecting).
    const ts: TwinSeen | undefined = view.twins.get(this.twin);
    if (!ts) {
      if (changed) this.compose();
      return;
    }
    const defs = this.type.points;
    for (let i = 0; i < ROWS && i < defs.length; i++) {
      const def = defs[i]!;
      const p = ts.points?.get(def.name);
      if (!p) continue;
      const flags = (p.stale ? 1 : 0) + p.q * 2;
      const o = i * 3;
      if (this.shown[o] === p.v && this.shown[o + 1] === (p.ts > 0 ? 1 : 0) && this.shown[o + 2] === flags) continue;
      this.shown[o] = p.v;
      this.shown[o + 1] = p.ts > 0 ? 1 : 0;
      this.shown[o + 2] = flags;
      this.setRow(i, def, p.v, p.ts > 0, p.q, p.stale);
      changed = true;
    }
    if (changed) this.compose();
  }

  private setRow(i: number, def: PointDef, v: number, has: boolean, q: number, stale: boolean): void {
    const cell = this.values[i]!;
    const quality = !has ? "" : stale ? " (stale)" : q !== 0 ? ` (${QUALITY_NAMES[q] ?? "?"})` : "";
    cell.text = formatValue(def, v, has) + quality;
    cell.color = has ? (SEVERITY_COLORS[severityOf(v, def.limits)] ?? SEVERITY_COLORS[0]!) : SEVERITY_COLORS[0]!;
  }

  private compose(): void {
    const lines = [this.title.text, this.sub.text];
    for (let i = 0; i < ROWS; i++)
      if (this.names[i]!.text) lines.push(`${this.names[i]!.text}: ${this.values[i]!.text}`);
    this.text = lines.join("\n");
  }

  /**
   * Which button is at texture coordinates (u, v) of the panel plane, if any.
   * The GUI bar sits at the bottom: v runs 0 (bottom) to 1 (top).
   */
  buttonAt(u: number, v: number): PanelButton | null {
    const y = (1 - v) * TEX_H;
    if (y < TEX_H - BUTTON_H || u < 0 || u > 1) return null;
    const i = Math.min(2, Math.floor(u * 3));
    return (["pin", "scale", "exit"] as const)[i] ?? null;
  }

  /**
   * Ride on the left hand's pointer space: 11 cm above the controller (or pinch point), 3 cm back
   * towards the user, face tilted up ~34° so that with the hand held forward at chest height the
   * panel faces the eyes from about 40 cm.
   */
  attachTo(node: TransformNode | null): void {
    if (this.pinned) return;
    this.root.parent = node;
    if (node) {
      this.root.position.set(0, 0.11, -0.03 * this.f);
      this.root.rotation.set(0.6 * this.f, 0, 0);
      this.root.scaling.setAll(1);
    }
  }

  /** Free-standing: pinned in the world where it is now (or where it is put). */
  pin(on: boolean, wrist: TransformNode | null): void {
    this.pinned = on;
    if (on) this.root.setParent(null);
    else this.attachTo(wrist);
    this.setButton("pin", on ? "Unpin" : "Pin");
  }

  /**
   * No left hand to ride on: stand 45 cm ahead and 20 cm below the eyes, facing them. Not pinned, so
   * the panel moves onto the wrist as soon as a left hand shows up.
   */
  float(eye: Vector3, heading: number): void {
    this.root.parent = null;
    this.root.position.set(eye.x + Math.sin(heading) * 0.45, eye.y - 0.2, eye.z + Math.cos(heading) * 0.45);
    // The readable face looks back along -heading; in a right-handed scene the plane's front is its +z side.
    this.root.rotation.set(0.45 * this.f, heading + (this.f < 0 ? Math.PI : 0), 0);
  }

  setVisible(on: boolean): void {
    this.root.setEnabled(on);
  }

  dispose(): void {
    this.adt.dispose();
    this.mesh.dispose(false, true);
    this.root.dispose();
  }
}

function text(name: string, size: number, color: string, bold = false): TextBlock {
  const t = new TextBlock(name, "");
  t.fontSize = size;
  t.color = color;
  t.fontWeight = bold ? "bold" : "normal";
  t.fontFamily = "system-ui, sans-serif";
  t.textHorizontalAlignment = Control.HORIZONTAL_ALIGNMENT_LEFT;
  t.textWrapping = false;
  return t;
}
