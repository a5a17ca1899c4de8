/**
 * The in-XR keyboard (keyboardLayout.ts) drawn on a plane the size of the list panel, in front of it on the
 * wrist: a field showing the draft, a row of quick labels, four rows of keys and Shift / Space / ⌫ /
 * Cancel / Pin note. All controls are made once; `render` only sets the draft text and the letter case,
 * so the texture redraws only when a key changed something.
 */
import { AdvancedDynamicTexture } from "@babylonjs/gui/2D/advancedDynamicTexture.js";
import { Control } from "@babylonjs/gui/2D/controls/control.js";
import { Rectangle } from "@babylonjs/gui/2D/controls/rectangle.js";
import type { TextBlock } from "@babylonjs/gui/2D/controls/textBlock.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import type { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import { FIELD_H, FIELD_TOP, KEY_GAP, KEYS, type Draft } from "./keyboardLayout.ts";
import { LIST_H, LIST_TEX_H, LIST_W, MARGIN, TEX_W } from "./panelLayout.ts";
import { text } from "./ListPanel.ts";

export class KeyboardPanel {
  readonly mesh: Mesh;
  private readonly adt: AdvancedDynamicTexture;
  private readonly field: TextBlock;
  private readonly letters: { label: TextBlock; ch: string }[] = [];
  private shownShift: boolean | null = null;

  constructor(scene: Scene, parent: TransformNode, wristPanelH: number, towardViewer: number) {
    this.mesh = MeshBuilder.CreatePlane("_xrKeyboard", { width: LIST_W, height: LIST_H }, scene);
    this.mesh.parent = parent;
    // In front of the list panel (3 mm), so it is drawn and hit first.
    this.mesh.position.set(0, wristPanelH / 2 - LIST_H / 2, 0.005 * towardViewer);
    this.mesh.isPickable = false;
    this.adt = AdvancedDynamicTexture.CreateForMesh(this.mesh, TEX_W, LIST_TEX_H, false);
    this.adt.background = "#0d1419";

    const box = new Rectangle("_xrKbField");
    box.thickness = 3;
    box.color = "#4aa3ff";
    box.background = "#06222f";
    box.cornerRadius = 10;
    place(box, MARGIN, FIELD_TOP, TEX_W - 2 * MARGIN, FIELD_H);
    this.field = text("_xrKbFieldText", 38, "#ffffff", true);
    this.field.paddingLeft = "16px";
    box.addControl(this.field);
    this.adt.addControl(box);

    for (const k of KEYS) {
      const rect = new Rectangle(`_xrKey.${k.label}`);
      rect.cornerRadius = 10;
      rect.thickness = 2;
      rect.color = "#4aa3ff";
      rect.background = k.key.kind === "label" ? "#2a2050" : k.key.kind === "done" ? "#1f5a2e" : "#16324a";
      place(rect, k.x + KEY_GAP / 2, k.y + KEY_GAP / 2, k.w - KEY_GAP, k.h - KEY_GAP);
      const label = text(`_xrKeyLabel.${k.label}`, k.key.kind === "char" ? 44 : 34, "#ffffff", true);
      label.textHorizontalAlignment = Control.HORIZONTAL_ALIGNMENT_CENTER;
      label.text = k.label;
      rect.addControl(label);
      this.adt.addControl(rect);
      if (k.key.kind === "char") this.letters.push({ label, ch: k.key.ch });
    }
    this.mesh.setEnabled(false);
  }

  /** Show the draft (the end of it when long, with a caret) and the keys' case. */
  render(d: Draft, title: string): void {
    const shown = d.text
      ? `${d.text.length > 34 ? `…${d.text.slice(-33)}` : d.text}|`
      : `${title}: type, or pick a word`;
    if (this.field.text !== shown) this.field.text = shown;
    if (this.field.color !== (d.text ? "#ffffff" : "#9fb3c1")) this.field.color = d.text ? "#ffffff" : "#9fb3c1";
    if (this.shownShift === d.shift) return;
    this.shownShift = d.shift;
    for (const l of this.letters) l.label.text = d.shift ? l.ch.toUpperCase() : l.ch;
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
