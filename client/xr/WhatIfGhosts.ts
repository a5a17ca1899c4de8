/**
 * The drawn what-if in the headset's plant (docs/WHAT-IF.md): each asset the what-if moves gets a translucent orange
 * ghost (a box over each of its parts, one draw call per asset) and, above it, an orange dashed-edged tag with its predicted values at the look-ahead
 * ("Flow → 9.52 L/s at +10 min"), as the desktop shows dashed ghosts beside the live values. DOM labels do not show
 * in a headset, so this is the headset's own drawing; the live status and values stay as they are.
 *
 * Parented to the plant frame, so walk-in, tabletop and AR all carry it; a tag grows on the tabletop so it stays
 * readable at 1:50. Ghosts are pooled: made the first time they are needed, shown and hidden after that, and text
 * changes only when a value does (the tag's texture redraws only then). Refreshed from the 5 Hz wrist poll.
 */
import { AdvancedDynamicTexture } from "@babylonjs/gui/2D/advancedDynamicTexture.js";
import { Control } from "@babylonjs/gui/2D/controls/control.js";
import { Line } from "@babylonjs/gui/2D/controls/line.js";
import { Rectangle } from "@babylonjs/gui/2D/controls/rectangle.js";
import type { TextBlock } from "@babylonjs/gui/2D/controls/textBlock.js";
import { Color3 } from "@babylonjs/core/Maths/math.color.js";
import { Matrix, Quaternion, Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh.js";
import "@babylonjs/core/Meshes/thinInstanceMesh.js";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial.js";
import { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import type { WhatIfState } from "../../shared/whatIfState.ts";
import type { RoomSnapshot } from "../app/RoomView.ts";
import { pointDef } from "../ui/whatIfInputs.ts";
import { ghostText, valueAhead } from "../ui/whatIfWords.ts";
import { text } from "./ListPanel.ts";
import type { XrRig } from "./XrRig.ts";

/** A what-if moves at most a handful of assets in a readable way; more would be a wall of tags. */
const MAX_GHOSTS = 6;
/** Boxes per asset: one per mesh (a pipe's runs and bends, a pump's motor and casing), drawn as thin instances. */
const MAX_BOXES = 32;
const TAG_W = 2.2;
const TAG_H = 0.66;
const TAG_TEX_W = 640;
const TAG_TEX_H = Math.round((TAG_TEX_W * TAG_H) / TAG_W);
const LINES = 3;
const ORANGE = "#ffa726";

interface Bounds {
  min: Vector3;
  max: Vector3;
  /** One box per mesh of the asset, as thin-instance matrices (plant frame). */
  boxes: Float32Array;
}

interface Ghost {
  twin: string;
  hull: Mesh;
  tag: Mesh;
  adt: AdvancedDynamicTexture;
  lines: TextBlock[];
  text: string;
}

export class WhatIfGhosts {
  private readonly pool: Ghost[] = [];
  private material: StandardMaterial | null = null;
  /** Plant-frame bounds per asset, read once from its meshes. */
  private readonly bounds = new Map<string, Bounds>();
  private shownText: string[] = [];

  constructor(private readonly rig: XrRig) {}

  /** What the tags say, one line per asset ("L101 · Flow → 9.52 L/s at +10 min"): the test and debug view. */
  get texts(): readonly string[] {
    return this.shownText;
  }

  /** Draw `w` at `aheadS` seconds after its fork; nothing when there is none (or outside a session). */
  update(view: RoomSnapshot | null, w: WhatIfState | undefined, aheadS: number): void {
    const byTwin = new Map<string, string[]>();
    if (w && view && this.rig.mode) {
      for (const s of w.series.values()) {
        const def = pointDef(this.rig.hooks.model, s.twin, s.point);
        const line = `${def?.displayName ?? s.point} ${ghostText(def, valueAhead(s, w.stepS, aheadS), aheadS)}`;
        const lines = byTwin.get(s.twin) ?? [];
        if (!byTwin.has(s.twin) && byTwin.size >= MAX_GHOSTS) continue;
        lines.push(line);
        byTwin.set(s.twin, lines);
      }
    }
    const shown: string[] = [];
    let i = 0;
    for (const [twin, lines] of byTwin) {
      const g = this.ghost(i, twin);
      if (!g) continue;
      this.setLines(g, twin, lines);
      shown.push(...lines.slice(0, LINES).map((l) => `${twin} · ${l}`));
      i++;
    }
    for (let k = i; k < this.pool.length; k++) this.hide(this.pool[k]!);
    this.shownText = shown;
  }

  /** Pool slot `i` showing `twin`, made or moved there; null when the scene has no such asset. */
  private ghost(i: number, twin: string): Ghost | null {
    const b = this.boundsOf(twin);
    if (!b) return null;
    const g = this.pool[i] ?? this.make(i);
    const { min, max } = b;
    if (g.twin !== twin) {
      g.twin = twin;
      g.text = "";
      g.hull.thinInstanceSetBuffer("matrix", b.boxes, 16, true);
    }
    g.tag.position.set((min.x + max.x) / 2, max.y + 0.35 + TAG_H / 2 + 0.1, (min.z + max.z) / 2);
    // On the 1:50 tabletop a 1.4 m tag would be 3 cm: keep it about 14 cm wide there.
    g.tag.scaling.setAll(Math.max(1, 0.1 / Math.max(1e-3, this.rig.frame.current.scale)));
    if (!g.hull.isEnabled()) g.hull.setEnabled(true);
    if (!g.tag.isEnabled()) g.tag.setEnabled(true);
    return g;
  }

  private setLines(g: Ghost, twin: string, lines: string[]): void {
    const all = [twin, ...lines].join("\n");
    if (all === g.text) return;
    g.text = all;
    g.lines[0]!.text = twin;
    for (let k = 1; k <= LINES; k++) g.lines[k]!.text = lines[k - 1] ?? "";
  }

  private hide(g: Ghost): void {
    if (g.hull.isEnabled()) g.hull.setEnabled(false);
    if (g.tag.isEnabled()) g.tag.setEnabled(false);
  }

  private boundsOf(twin: string): Bounds | null {
    const cached = this.bounds.get(twin);
    if (cached) return cached;
    const node = this.rig.plant.twins.get(twin)?.node;
    if (!node) return null;
    const meshes = [node, ...node.getChildMeshes(false)].filter(
      (m): m is AbstractMesh => m instanceof AbstractMesh && m.getTotalVertices() > 0,
    );
    const lo = new Vector3(Infinity, Infinity, Infinity);
    const hi = new Vector3(-Infinity, -Infinity, -Infinity);
    const boxes: number[] = [];
    for (const m of meshes.slice(0, MAX_BOXES)) {
      const { minimumWorld, maximumWorld } = m.getBoundingInfo().boundingBox;
      const { min, max } = this.toPlant(minimumWorld, maximumWorld);
      lo.minimizeInPlace(min);
      hi.maximizeInPlace(max);
      // A few centimetres over each part, so the ghost reads as a shell, not as a recolouring of the asset.
      const m4 = Matrix.Compose(
        new Vector3(max.x - min.x + 0.08, max.y - min.y + 0.08, max.z - min.z + 0.08),
        Quaternion.Identity(),
        min.add(max).scaleInPlace(0.5),
      );
      boxes.push(...m4.asArray());
    }
    if (!boxes.length) return null;
    const b = { min: lo, max: hi, boxes: new Float32Array(boxes) };
    this.bounds.set(twin, b);
    return b;
  }

  /** World bounds back into the plant frame: all eight corners, so a turned frame still yields the whole part. */
  private toPlant(min: Vector3, max: Vector3): { min: Vector3; max: Vector3 } {
    const lo = new Vector3(Infinity, Infinity, Infinity);
    const hi = new Vector3(-Infinity, -Infinity, -Infinity);
    const c = new Vector3();
    for (let k = 0; k < 8; k++) {
      c.set(k & 1 ? max.x : min.x, k & 2 ? max.y : min.y, k & 4 ? max.z : min.z);
      this.rig.frame.toPlant(c, c);
      lo.minimizeInPlace(c);
      hi.maximizeInPlace(c);
    }
    return { min: lo, max: hi };
  }

  private make(i: number): Ghost {
    const scene = this.rig.plant.scene;
    if (!this.material) {
      const m = new StandardMaterial("_xrWhatIfGhostMat", scene);
      m.diffuseColor = Color3.FromHexString(ORANGE);
      m.emissiveColor = Color3.FromHexString(ORANGE);
      m.alpha = 0.35;
      m.backFaceCulling = false;
      m.disableLighting = true;
      this.material = m;
    }
    const hull = MeshBuilder.CreateBox(`_xrWhatIfGhost${i}`, { size: 1 }, scene);
    hull.material = this.material;
    hull.isPickable = false;
    hull.parent = this.rig.frame.node;
    const tag = MeshBuilder.CreatePlane(`_xrWhatIfTag${i}`, { width: TAG_W, height: TAG_H }, scene);
    tag.isPickable = false;
    tag.billboardMode = Mesh.BILLBOARDMODE_ALL;
    tag.parent = this.rig.frame.node;
    const adt = AdvancedDynamicTexture.CreateForMesh(tag, TAG_TEX_W, TAG_TEX_H, false);
    const back = new Rectangle(`_xrWhatIfTagBack${i}`);
    back.thickness = 0;
    back.background = "rgba(13, 20, 25, 0.82)";
    adt.addControl(back);
    dashedEdge(adt, i);
    const lines: TextBlock[] = [];
    const lineH = (TAG_TEX_H - 24) / (LINES + 1);
    for (let k = 0; k <= LINES; k++) {
      const t = text(`_xrWhatIfTagLine${i}.${k}`, k === 0 ? 40 : 36, k === 0 ? "#ffffff" : ORANGE, k === 0);
      t.horizontalAlignment = Control.HORIZONTAL_ALIGNMENT_LEFT;
      t.verticalAlignment = Control.VERTICAL_ALIGNMENT_TOP;
      t.left = "28px";
      t.top = `${12 + k * lineH}px`;
      t.width = `${TAG_TEX_W - 56}px`;
      t.height = `${lineH}px`;
      adt.addControl(t);
      lines.push(t);
    }
    const g: Ghost = { twin: "", hull, tag, adt, lines, text: "" };
    this.pool[i] = g;
    return g;
  }

  /** Leaving the session: nothing drawn (the pool stays for the next one). */
  detach(): void {
    for (const g of this.pool) this.hide(g);
    this.shownText = [];
  }

  dispose(): void {
    for (const g of this.pool) {
      g.adt.dispose();
      g.tag.dispose(false, true);
      g.hull.dispose();
    }
    this.pool.length = 0;
    this.material?.dispose();
    this.material = null;
  }
}

/** The tag's edge drawn dashed, as the desktop draws a prediction dashed beside the solid live value. */
function dashedEdge(adt: AdvancedDynamicTexture, i: number): void {
  const w = TAG_TEX_W - 6;
  const h = TAG_TEX_H - 6;
  const sides: [number, number, number, number][] = [
    [3, 3, w, 3],
    [w, 3, w, h],
    [w, h, 3, h],
    [3, h, 3, 3],
  ];
  sides.forEach(([x1, y1, x2, y2], k) => {
    const l = new Line(`_xrWhatIfTagEdge${i}.${k}`);
    l.x1 = x1;
    l.y1 = y1;
    l.x2 = x2;
    l.y2 = y2;
    l.lineWidth = 5;
    l.color = ORANGE;
    l.dash = [18, 10];
    adt.addControl(l);
  });
}
