/**
 * The stand-in scene for a plant without a 3D scene file (a plant written by `npm run plant:discover`):
 * one labelled floor per area, side by side, and a box per asset on it, parents first with their
 * children right after them (smaller). Each asset's node carries the twin's node name, so picking,
 * labels, status discs and XR find it exactly as they find a node of a drawn scene.
 *
 * `areaLayout` is the pure part (where everything goes); `buildAreaLayout` turns it into meshes.
 */
import { Color3 } from "@babylonjs/core/Maths/math.color.js";
import { DynamicTexture } from "@babylonjs/core/Materials/Textures/dynamicTexture.js";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial.js";
import type { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { PlantModel } from "../../shared/plant.ts";

/** Metres between asset centres on an area's floor. */
const CELL = 4;
/** Metres of floor around an area's assets, and between two areas. */
const MARGIN = 2;
const GAP = 4;

export interface LaidOutArea {
  id: string;
  name: string;
  /** Floor footprint [x0, z0, x1, z1] in plant metres. */
  bounds: [number, number, number, number];
}

export interface LaidOutAsset {
  twin: string;
  node: string;
  x: number;
  z: number;
  /** Edge of the asset's box in metres: children of another asset are drawn smaller. */
  size: number;
}

export interface AreaLayoutPlan {
  areas: LaidOutArea[];
  assets: LaidOutAsset[];
}

/** Where each area and asset goes: areas in plant.json order along x, assets in a square grid on each. */
export function areaLayout(model: Pick<PlantModel, "areas" | "twins">): AreaLayoutPlan {
  const children = new Map<string, PlantModel["twins"]>();
  const ids = new Set(model.twins.map((t) => t.id));
  for (const t of model.twins) {
    if (t.parent === null || !ids.has(t.parent)) continue;
    const list = children.get(t.parent) ?? [];
    list.push(t);
    children.set(t.parent, list);
  }
  const areas: LaidOutArea[] = [];
  const assets: LaidOutAsset[] = [];
  let x0 = 0;
  for (const area of model.areas) {
    // Depth first from the assets whose parent is elsewhere (or none): a parent, then its children.
    const order: { twin: PlantModel["twins"][number]; depth: number }[] = [];
    const seen = new Set<string>();
    const visit = (t: PlantModel["twins"][number], depth: number) => {
      if (seen.has(t.id)) return; // a parent cycle is the plant file's problem, not a reason to hang the page
      seen.add(t.id);
      if (t.area === area.id) order.push({ twin: t, depth });
      for (const c of children.get(t.id) ?? []) visit(c, depth + 1);
    };
    for (const t of model.twins)
      if (t.area === area.id && (t.parent === null || !ids.has(t.parent) || !sameArea(model, t.parent, area.id)))
        visit(t, 0);
    for (const t of model.twins) if (t.area === area.id && !seen.has(t.id)) visit(t, 0);
    const cols = Math.max(1, Math.ceil(Math.sqrt(order.length)));
    const rows = Math.max(1, Math.ceil(order.length / cols));
    const width = cols * CELL + 2 * MARGIN;
    const depth = rows * CELL + 2 * MARGIN;
    order.forEach(({ twin, depth: d }, i) => {
      assets.push({
        twin: twin.id,
        node: twin.node,
        x: x0 + MARGIN + CELL * (i % cols) + CELL / 2,
        z: -depth / 2 + MARGIN + CELL * Math.floor(i / cols) + CELL / 2,
        size: d === 0 ? 2 : 1.4,
      });
    });
    areas.push({ id: area.id, name: area.name, bounds: [x0, -depth / 2, x0 + width, depth / 2] });
    x0 += width + GAP;
  }
  // Centre the whole layout on the origin, where the cameras start.
  const shift = (x0 - GAP) / 2;
  for (const a of areas) {
    a.bounds[0] -= shift;
    a.bounds[2] -= shift;
  }
  for (const a of assets) a.x -= shift;
  return { areas, assets };
}

function sameArea(model: Pick<PlantModel, "twins">, twinId: string, area: string): boolean {
  return model.twins.find((t) => t.id === twinId)?.area === area;
}

/** Build the layout under `__root__` (the node XR's plant frame carries), as a loaded glTF would be. */
export function buildAreaLayout(model: PlantModel, scene: Scene): void {
  const plan = areaLayout(model);
  const root = new TransformNode("__root__", scene);
  const floorMat = new StandardMaterial("_areaFloorMat", scene);
  floorMat.diffuseColor = new Color3(0.32, 0.34, 0.37);
  floorMat.specularColor = Color3.Black();
  const boxMat = new StandardMaterial("_assetBoxMat", scene);
  boxMat.diffuseColor = new Color3(0.45, 0.58, 0.72);
  boxMat.specularColor = new Color3(0.1, 0.1, 0.1);
  for (const a of plan.areas) {
    const [x0, z0, x1, z1] = a.bounds;
    const floor = MeshBuilder.CreateGround(`_area.${a.id}`, { width: x1 - x0, height: z1 - z0 }, scene);
    floor.position.set((x0 + x1) / 2, 0, (z0 + z1) / 2);
    floor.material = floorMat;
    floor.parent = root;
    floor.isPickable = false;
    nameplate(a, scene).parent = root;
  }
  for (const a of plan.assets) {
    const node = new TransformNode(a.node, scene);
    node.parent = root;
    node.position.set(a.x, 0, a.z);
    const box = MeshBuilder.CreateBox(`_box.${a.twin}`, { size: a.size }, scene);
    box.position.y = a.size / 2;
    box.material = boxMat;
    box.parent = node;
  }
}

/** The area's name written on the floor along its front edge (a canvas texture: no font or file is fetched). */
function nameplate(a: LaidOutArea, scene: Scene): Mesh {
  const [x0, , x1, z1] = a.bounds;
  const width = x1 - x0;
  const plate = MeshBuilder.CreateGround(`_areaName.${a.id}`, { width, height: 1.6 }, scene);
  plate.position.set((x0 + x1) / 2, 0.02, z1 - 0.9);
  const tex = new DynamicTexture(`_areaNameTex.${a.id}`, { width: 1024, height: 128 }, scene, false);
  tex.hasAlpha = true;
  tex.drawText(a.name, null, 92, "bold 72px sans-serif", "#e8edf2", "transparent", true);
  const mat = new StandardMaterial(`_areaNameMat.${a.id}`, scene);
  mat.diffuseTexture = tex;
  mat.emissiveColor = Color3.White();
  mat.disableLighting = true;
  mat.useAlphaFromDiffuseTexture = true;
  plate.material = mat;
  plate.isPickable = false;
  return plate;
}
