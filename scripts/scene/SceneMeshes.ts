/**
 * The scene's GLB writer with its mesh and material caches: one glTF mesh per key, one primitive per material,
 * each written once on first use (first-use order keeps the output byte for byte stable).
 */
import { GlbWriter } from "./glb.ts";
import { MAT_ORDER, MATERIALS, type MatKey } from "./materials.ts";
import { MESH_PARTS } from "./meshCatalogue.ts";
import { appendGeometry, emptyGeometry, type Geometry } from "./primitives.ts";

export class SceneMeshes {
  readonly w = new GlbWriter();
  private readonly matIndex = new Map<MatKey, number>();
  private readonly meshIndex = new Map<string, number>();

  private material(k: MatKey): number {
    let i = this.matIndex.get(k);
    if (i === undefined) {
      i = this.w.addMaterial(MATERIALS[k]);
      this.matIndex.set(k, i);
    }
    return i;
  }

  /** The mesh for a key of meshCatalogue.ts, written on first use. */
  readonly mesh = (key: string): number => {
    let i = this.meshIndex.get(key);
    if (i !== undefined) return i;
    const build = MESH_PARTS[key];
    if (!build) throw new Error(`No mesh definition for ${key}.`);
    const byMat = new Map<MatKey, Geometry>();
    for (const [m, g] of build()) {
      if (g.indices.length === 0) continue;
      const acc = byMat.get(m) ?? emptyGeometry();
      appendGeometry(acc, g);
      byMat.set(m, acc);
    }
    const prims = MAT_ORDER.filter((m) => byMat.has(m)).map((m) => ({
      data: byMat.get(m)!,
      material: this.material(m),
    }));
    i = this.w.addMesh(`mesh:${key}`, prims);
    this.meshIndex.set(key, i);
    return i;
  };
}
