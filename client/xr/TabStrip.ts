/**
 * The tabs above the wrist panel (Asset, What if, Alarms, Steps, Drills / People, Notes, Time, Align), in two
 * rows on a 30 × 6 cm GUI plane riding with the panel (panelLayout.ts: why two rows). Redraws only when the
 * active tab or a badge (e.g. the count of unacknowledged alarms) changes.
 */
import { AdvancedDynamicTexture } from "@babylonjs/gui/2D/advancedDynamicTexture.js";
import { Control } from "@babylonjs/gui/2D/controls/control.js";
import { Rectangle } from "@babylonjs/gui/2D/controls/rectangle.js";
import type { TextBlock } from "@babylonjs/gui/2D/controls/textBlock.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import type { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import { TAB_FONT, TAB_H, TAB_W, tabCell, TABS_H, TABS_TEX_H, TABS_W, TEX_W } from "./panelLayout.ts";
import { TAB_LABELS, TABS, type XrTab } from "./panelModels.ts";
import { text } from "./ListPanel.ts";

export class TabStrip {
  readonly mesh: Mesh;
  private readonly adt: AdvancedDynamicTexture;
  private readonly tabs = new Map<XrTab, { rect: Rectangle; label: TextBlock }>();
  private active: XrTab | null = null;

  constructor(scene: Scene, parent: TransformNode, wristPanelH: number, towardViewer: number) {
    this.mesh = MeshBuilder.CreatePlane("_xrTabs", { width: TABS_W, height: TABS_H }, scene);
    this.mesh.parent = parent;
    this.mesh.position.set(0, wristPanelH / 2 + 0.004 + TABS_H / 2, 0.001 * towardViewer);
    this.mesh.isPickable = false;
    this.adt = AdvancedDynamicTexture.CreateForMesh(this.mesh, TEX_W, TABS_TEX_H, false);
    this.adt.background = "#0d1419";
    TABS.forEach((tab, i) => {
      const cell = tabCell(i);
      const rect = new Rectangle(`_xrTab.${tab}`);
      rect.horizontalAlignment = Control.HORIZONTAL_ALIGNMENT_LEFT;
      rect.verticalAlignment = Control.VERTICAL_ALIGNMENT_TOP;
      rect.left = `${cell.left + 6}px`;
      rect.top = `${cell.top + 5}px`;
      rect.width = `${TAB_W - 12}px`;
      rect.height = `${TAB_H - 10}px`;
      rect.cornerRadius = 14;
      rect.thickness = 3;
      rect.color = "#4aa3ff";
      const label = text(`_xrTabLabel.${tab}`, TAB_FONT, "#ffffff", true);
      label.textHorizontalAlignment = Control.HORIZONTAL_ALIGNMENT_CENTER;
      label.text = TAB_LABELS[tab];
      rect.addControl(label);
      this.adt.addControl(rect);
      this.tabs.set(tab, { rect, label });
    });
  }

  setActive(tab: XrTab): void {
    if (tab === this.active) return;
    this.active = tab;
    for (const [t, v] of this.tabs) v.rect.background = t === tab ? "#2f6fa8" : "#16324a";
  }

  /** A short badge after a tab's name ("Alarms 3"); "" for none. */
  setBadge(tab: XrTab, badge: string): void {
    const v = this.tabs.get(tab);
    const s = badge ? `${TAB_LABELS[tab]} ${badge}` : TAB_LABELS[tab];
    if (v && v.label.text !== s) v.label.text = s;
  }

  dispose(): void {
    this.adt.dispose();
    this.mesh.dispose(false, true);
  }
}
