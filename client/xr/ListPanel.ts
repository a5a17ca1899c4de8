/**
 * The in-XR list panel (alarms, people, notes, co-location): a Babylon GUI
 * texture on a plane that covers the wrist panel's content area (its pin /
 * scale / exit bar stays visible below) and rides with it. All controls are
 * made once; `render` only sets texts, colours and visibility that changed, so
 * the texture redraws only on a change and nothing is created afterwards.
 */
import { AdvancedDynamicTexture } from "@babylonjs/gui/2D/advancedDynamicTexture.js";
import { Control } from "@babylonjs/gui/2D/controls/control.js";
import { Rectangle } from "@babylonjs/gui/2D/controls/rectangle.js";
import { TextBlock, type TextWrapping } from "@babylonjs/gui/2D/controls/textBlock.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import type { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import {
  ACTIONS_H,
  ACTIONS_TOP,
  actionLeft,
  actionWidth,
  HEADER_H,
  LIST_H,
  LIST_TEX_H,
  LIST_W,
  MARGIN,
  ROW_H,
  ROWS_TOP,
  SLIDER_H,
  SLIDER_LEFT,
  SLIDER_TOP,
  SLIDER_W,
  SLOT_W,
  slotLeft,
  TEX_W,
} from "./panelLayout.ts";
import { VISIBLE_ROWS, type PanelButtonModel, type TabModel } from "./panelModels.ts";

/**
 * TextWrapping.Ellipsis and .WordWrap (a const enum, not importable as a value here): a line too long for its
 * place ends in "…" measured in the real font rather than being cut mid-letter at the panel's edge.
 */
const ELLIPSIS = 2 as TextWrapping;
const WORD_WRAP = 1 as TextWrapping;
/** A row's text alone (56 px), or over the sub line's space too (a wrapping sentence: two lines of 42 px). */
const TEXT_H = 56;
const WRAPPED_H = 104;

interface ButtonView {
  rect: Rectangle;
  label: TextBlock;
}

interface RowView {
  text: TextBlock;
  sub: TextBlock;
  swatch: Rectangle;
  buttons: [ButtonView, ButtonView];
}

export class ListPanel {
  readonly mesh: Mesh;
  private readonly adt: AdvancedDynamicTexture;
  private readonly header: TextBlock;
  private readonly more: TextBlock;
  private readonly actions: ButtonView[] = [];
  private readonly rows: RowView[] = [];
  /** The Time tab's scrubber over row 0: track, filled part, thumb and end labels. */
  private readonly slider: { track: Rectangle; fill: Rectangle; thumb: Rectangle; from: TextBlock; to: TextBlock };

  constructor(scene: Scene, parent: TransformNode, wristPanelH: number, towardViewer: number) {
    this.mesh = MeshBuilder.CreatePlane("_xrList", { width: LIST_W, height: LIST_H }, scene);
    this.mesh.parent = parent;
    // Top-aligned with the wrist panel, a few millimetres in front of it so it is drawn (and hit) first.
    this.mesh.position.set(0, wristPanelH / 2 - LIST_H / 2, 0.003 * towardViewer);
    this.mesh.isPickable = false;
    this.adt = AdvancedDynamicTexture.CreateForMesh(this.mesh, TEX_W, LIST_TEX_H, false);
    this.adt.background = "#0d1419";

    this.header = text("_xrListHeader", 40, "#ffffff", true);
    this.header.textWrapping = ELLIPSIS;
    place(this.header, MARGIN, 8, TEX_W - 2 * MARGIN - 160, HEADER_H - 8);
    this.adt.addControl(this.header);
    this.more = text("_xrListMore", 32, "#9fb3c1");
    this.more.textHorizontalAlignment = Control.HORIZONTAL_ALIGNMENT_RIGHT;
    place(this.more, TEX_W - MARGIN - 160, 8, 160, HEADER_H - 8);
    this.adt.addControl(this.more);
    for (let i = 0; i < 3; i++) {
      const b = button(`_xrListAction${i}`);
      place(b.rect, actionLeft(i), ACTIONS_TOP, actionWidth(), ACTIONS_H);
      this.adt.addControl(b.rect);
      this.actions.push(b);
    }
    for (let r = 0; r < VISIBLE_ROWS; r++) {
      const top = ROWS_TOP + r * ROW_H;
      const swatch = new Rectangle(`_xrRowSwatch${r}`);
      swatch.thickness = 0;
      place(swatch, MARGIN - 24, top + 14, 10, ROW_H - 28);
      const t = text(`_xrRowText${r}`, 42, "#ffffff", true);
      place(t, MARGIN, top + 4, slotLeft(0) - MARGIN - 8, TEXT_H);
      const sub = text(`_xrRowSub${r}`, 32, "#9fb3c1");
      t.textWrapping = ELLIPSIS;
      sub.textWrapping = ELLIPSIS;
      place(sub, MARGIN, top + 60, slotLeft(0) - MARGIN - 8, 44);
      const b0 = button(`_xrRowBtn${r}.0`);
      const b1 = button(`_xrRowBtn${r}.1`);
      place(b0.rect, slotLeft(0), top + 12, SLOT_W, ROW_H - 24);
      place(b1.rect, slotLeft(1), top + 12, SLOT_W, ROW_H - 24);
      for (const c of [swatch, t, sub, b0.rect, b1.rect]) this.adt.addControl(c);
      this.rows.push({ text: t, sub, swatch, buttons: [b0, b1] });
    }
    const track = new Rectangle("_xrSliderTrack");
    track.thickness = 0;
    track.background = "#2a3a46";
    track.cornerRadius = 6;
    place(track, SLIDER_LEFT, SLIDER_TOP + SLIDER_H / 2 - 6, SLIDER_W, 12);
    const fill = new Rectangle("_xrSliderFill");
    fill.thickness = 0;
    fill.background = "#4aa3ff";
    fill.cornerRadius = 6;
    place(fill, SLIDER_LEFT, SLIDER_TOP + SLIDER_H / 2 - 6, 0, 12);
    const thumb = new Rectangle("_xrSliderThumb");
    thumb.thickness = 4;
    thumb.color = "#ffffff";
    thumb.background = "#f3c30f";
    thumb.cornerRadius = SLIDER_H / 2;
    place(thumb, SLIDER_LEFT - SLIDER_H / 2, SLIDER_TOP, SLIDER_H, SLIDER_H);
    const from = text("_xrSliderFrom", 30, "#9fb3c1");
    place(from, SLIDER_LEFT, SLIDER_TOP + SLIDER_H + 2, 300, 40);
    const to = text("_xrSliderTo", 30, "#9fb3c1");
    to.textHorizontalAlignment = Control.HORIZONTAL_ALIGNMENT_RIGHT;
    place(to, SLIDER_LEFT + SLIDER_W - 300, SLIDER_TOP + SLIDER_H + 2, 300, 40);
    for (const c of [track, fill, thumb, from, to]) {
      c.isVisible = false;
      this.adt.addControl(c);
    }
    this.slider = { track, fill, thumb, from, to };
  }

  /** Show a tab's model; unchanged controls are left alone (no texture redraw for them). */
  render(m: TabModel): void {
    setText(this.header, m.header);
    setText(this.more, m.more > 0 ? `+${m.more} more` : "");
    for (let i = 0; i < 3; i++) setButton(this.actions[i]!, m.actions[i] ?? null);
    for (let r = 0; r < VISIBLE_ROWS; r++) {
      const v = this.rows[r]!;
      const row = m.rows[r];
      setText(v.text, row?.text ?? "");
      setText(v.sub, row?.sub ?? "");
      if (row && v.text.color !== row.color) v.text.color = row.color;
      // A row without text (the Time tab's scrubber row) has no swatch either.
      const shown = !!row?.text;
      const swatch = shown ? row.color : "";
      if (v.swatch.background !== swatch) v.swatch.background = swatch;
      if (v.swatch.isVisible !== shown) v.swatch.isVisible = shown;
      setButton(v.buttons[0], row?.buttons[0] ?? null);
      setButton(v.buttons[1], row?.buttons[1] ?? null);
      // A row without buttons (a procedure step's text, a report line) reads across the whole panel.
      const width = `${!row?.buttons[0] && !row?.buttons[1] ? TEX_W - 2 * MARGIN : slotLeft(0) - MARGIN - 8}px`;
      if (v.text.width !== width) v.text.width = width;
      const wrap = row?.wrap ? WORD_WRAP : ELLIPSIS;
      if (v.text.textWrapping !== wrap) v.text.textWrapping = wrap;
      const height = `${row?.wrap ? WRAPPED_H : TEXT_H}px`;
      if (v.text.height !== height) v.text.height = height;
      const valign = row?.wrap ? Control.VERTICAL_ALIGNMENT_TOP : Control.VERTICAL_ALIGNMENT_CENTER;
      if (v.text.textVerticalAlignment !== valign) v.text.textVerticalAlignment = valign;
      if (v.sub.width !== width) v.sub.width = width;
    }
    this.renderSlider(m.slider);
  }

  private renderSlider(s: TabModel["slider"]): void {
    const { track, fill, thumb, from, to } = this.slider;
    for (const c of [track, fill, thumb, from, to]) if (c.isVisible !== !!s) c.isVisible = !!s;
    if (!s) return;
    const x = Math.round(s.at * SLIDER_W);
    const w = `${x}px`;
    if (fill.width !== w) fill.width = w;
    const left = `${SLIDER_LEFT + x - SLIDER_H / 2}px`;
    if (thumb.left !== left) thumb.left = left;
    setText(from, s.from);
    setText(to, s.to);
  }

  setVisible(on: boolean): void {
    if (this.mesh.isEnabled() !== on) this.mesh.setEnabled(on);
  }

  get visible(): boolean {
    return this.mesh.isEnabled();
  }

  dispose(): void {
    this.adt.dispose();
    this.mesh.dispose(false, true);
  }
}

function place(c: Control, left: number, top: number, width: number, height: number): void {
  c.horizontalAlignment = Control.HORIZONTAL_ALIGNMENT_LEFT;
  c.verticalAlignment = Control.VERTICAL_ALIGNMENT_TOP;
  c.left = `${left}px`;
  c.top = `${top}px`;
  c.width = `${width}px`;
  c.height = `${height}px`;
}

function setText(t: TextBlock, s: string): void {
  if (t.text !== s) t.text = s;
}

function setButton(b: ButtonView, m: PanelButtonModel | null): void {
  if (b.rect.isVisible !== !!m) b.rect.isVisible = !!m;
  if (!m) return;
  setText(b.label, m.label);
  // Disabled: grey, so a hand does not reach for it; the press still lands and says why (XrPanels.click).
  const [bg, edge, fg] = m.disabled ? ["#1c242b", "#3a4652", "#7d8a95"] : ["#16324a", "#4aa3ff", "#ffffff"];
  if (b.rect.background !== bg) b.rect.background = bg;
  if (b.rect.color !== edge) b.rect.color = edge;
  if (b.label.color !== fg) b.label.color = fg;
  // A long label ("Bookmark", "Unshelve") in a 180 px row slot: smaller type rather than clipped letters.
  const size = m.label.length > 7 ? 28 : 34;
  if (b.label.fontSize !== `${size}px`) b.label.fontSize = size;
}

function button(name: string): ButtonView {
  const rect = new Rectangle(name);
  rect.cornerRadius = 14;
  rect.thickness = 3;
  rect.color = "#4aa3ff";
  rect.background = "#16324a";
  rect.isVisible = false;
  const label = text(`${name}.label`, 34, "#ffffff", true);
  label.textHorizontalAlignment = Control.HORIZONTAL_ALIGNMENT_CENTER;
  rect.addControl(label);
  return { rect, label };
}

export function text(name: string, size: number, color: string, bold = false): TextBlock {
  const t = new TextBlock(name, "");
  t.fontSize = size;
  t.color = color;
  t.fontWeight = bold ? "bold" : "normal";
  t.fontFamily = "system-ui, sans-serif";
  t.textHorizontalAlignment = Control.HORIZONTAL_ALIGNMENT_LEFT;
  t.textWrapping = false;
  return t;
}
