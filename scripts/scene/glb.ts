/**
 * A small, dependency-free glTF 2.0 binary (GLB) writer: one buffer, one
 * bufferView per accessor (4-byte aligned), POSITION/NORMAL/indices
 * primitives and metallic-roughness materials without textures.
 * Output is deterministic: same calls in the same order → same bytes.
 */

export interface PrimitiveData {
  positions: ArrayLike<number>;
  normals: ArrayLike<number>;
  indices: ArrayLike<number>;
}

export interface MaterialDef {
  name: string;
  /** Linear RGBA, 0..1. */
  baseColor: [number, number, number, number];
  metallic: number;
  roughness: number;
  doubleSided?: boolean;
}

export interface NodeDef {
  name: string;
  mesh?: number;
  translation?: [number, number, number];
  /** Quaternion [x, y, z, w]. */
  rotation?: [number, number, number, number];
  scale?: [number, number, number];
  children?: number[];
  extras?: Record<string, unknown>;
}

export interface GlbStats {
  nodes: number;
  meshes: number;
  primitives: number;
  materials: number;
  /** Triangles stored once in the buffer. */
  uniqueTriangles: number;
  /** Triangles drawn: every node's mesh counted each time it is referenced. */
  renderedTriangles: number;
}

const ARRAY_BUFFER = 34962;
const ELEMENT_ARRAY_BUFFER = 34963;
const FLOAT = 5126;
const UNSIGNED_SHORT = 5123;
const UNSIGNED_INT = 5125;

interface Json {
  [key: string]: unknown;
}

/** Rounds to 6 decimals and normalises -0, keeping the JSON short and stable. */
function num(v: number): number {
  const r = Math.round(v * 1e6) / 1e6;
  return r === 0 ? 0 : r;
}

export class GlbWriter {
  private readonly chunks: Uint8Array[] = [];
  private byteLength = 0;
  private readonly bufferViews: Json[] = [];
  private readonly accessors: Json[] = [];
  private readonly meshes: Json[] = [];
  private readonly meshTriangles: number[] = [];
  private readonly materials: Json[] = [];
  private readonly nodes: Json[] = [];
  private readonly nodeMesh: Array<number | undefined> = [];
  private sceneNodes: number[] = [];
  private sceneExtras: Record<string, unknown> | undefined;

  constructor(private readonly generator = "gemba scripts/gen-scene.ts") {}

  addMaterial(m: MaterialDef): number {
    const mat: Json = {
      name: m.name,
      pbrMetallicRoughness: {
        baseColorFactor: m.baseColor.map(num),
        metallicFactor: num(m.metallic),
        roughnessFactor: num(m.roughness),
      },
    };
    if (m.doubleSided) mat.doubleSided = true;
    this.materials.push(mat);
    return this.materials.length - 1;
  }

  /** Adds a mesh with one primitive per entry; returns the mesh index. */
  addMesh(name: string, primitives: ReadonlyArray<{ data: PrimitiveData; material: number }>): number {
    if (primitives.length === 0) throw new Error(`Mesh ${name} has no primitives.`);
    const prims: Json[] = [];
    let triangles = 0;
    for (const { data, material } of primitives) {
      const vcount = data.positions.length / 3;
      if (!Number.isInteger(vcount) || data.normals.length !== data.positions.length) {
        throw new Error(`Mesh ${name}: positions and normals must be equal-length vec3 arrays.`);
      }
      if (data.indices.length % 3 !== 0) throw new Error(`Mesh ${name}: index count is not a multiple of 3.`);
      const pos = Float32Array.from(data.positions);
      const nrm = Float32Array.from(data.normals);
      const min = [Infinity, Infinity, Infinity];
      const max = [-Infinity, -Infinity, -Infinity];
      for (let i = 0; i < pos.length; i++) {
        const v = pos[i]!;
        const k = i % 3;
        if (v < min[k]!) min[k] = v;
        if (v > max[k]!) max[k] = v;
      }
      const position = this.addAccessor(pos, ARRAY_BUFFER, FLOAT, vcount, "VEC3", { min, max });
      const normal = this.addAccessor(nrm, ARRAY_BUFFER, FLOAT, vcount, "VEC3");
      let maxIndex = 0;
      for (let i = 0; i < data.indices.length; i++) {
        const ix = data.indices[i]!;
        if (!Number.isInteger(ix) || ix < 0 || ix >= vcount) throw new Error(`Mesh ${name}: index ${ix} out of range.`);
        if (ix > maxIndex) maxIndex = ix;
      }
      const wide = maxIndex > 65534;
      const idx = wide ? Uint32Array.from(data.indices) : Uint16Array.from(data.indices);
      const indices = this.addAccessor(
        idx,
        ELEMENT_ARRAY_BUFFER,
        wide ? UNSIGNED_INT : UNSIGNED_SHORT,
        idx.length,
        "SCALAR",
      );
      prims.push({ attributes: { POSITION: position, NORMAL: normal }, indices, material, mode: 4 });
      triangles += idx.length / 3;
    }
    this.meshes.push({ name, primitives: prims });
    this.meshTriangles.push(triangles);
    return this.meshes.length - 1;
  }

  addNode(n: NodeDef): number {
    const node: Json = { name: n.name };
    if (n.children && n.children.length > 0) node.children = [...n.children];
    if (n.mesh !== undefined) node.mesh = n.mesh;
    if (n.translation && n.translation.some((v) => num(v) !== 0)) node.translation = n.translation.map(num);
    if (n.rotation && !(num(n.rotation[0]) === 0 && num(n.rotation[1]) === 0 && num(n.rotation[2]) === 0)) {
      node.rotation = n.rotation.map(num);
    }
    if (n.scale && n.scale.some((v) => num(v) !== 1)) node.scale = n.scale.map(num);
    if (n.extras) node.extras = n.extras;
    this.nodes.push(node);
    this.nodeMesh.push(n.mesh);
    return this.nodes.length - 1;
  }

  /** Sets (replaces) the children of an existing node. */
  setChildren(node: number, children: number[]): void {
    const n = this.nodes[node];
    if (!n) throw new Error(`No node ${node}.`);
    if (children.length > 0) n.children = [...children];
    else delete n.children;
  }

  setScene(rootNodes: number[], extras?: Record<string, unknown>): void {
    this.sceneNodes = [...rootNodes];
    this.sceneExtras = extras;
  }

  stats(): GlbStats {
    let rendered = 0;
    for (const m of this.nodeMesh) if (m !== undefined) rendered += this.meshTriangles[m] ?? 0;
    return {
      nodes: this.nodes.length,
      meshes: this.meshes.length,
      primitives: this.meshes.reduce((n, m) => n + (m.primitives as unknown[]).length, 0),
      materials: this.materials.length,
      uniqueTriangles: this.meshTriangles.reduce((a, b) => a + b, 0),
      renderedTriangles: rendered,
    };
  }

  toGlb(): Uint8Array {
    const scene: Json = { nodes: this.sceneNodes };
    if (this.sceneExtras) scene.extras = this.sceneExtras;
    const gltf: Json = {
      asset: { version: "2.0", generator: this.generator },
      scene: 0,
      scenes: [scene],
      nodes: this.nodes,
    };
    if (this.meshes.length > 0) gltf.meshes = this.meshes;
    if (this.materials.length > 0) gltf.materials = this.materials;
    if (this.accessors.length > 0) gltf.accessors = this.accessors;
    if (this.bufferViews.length > 0) gltf.bufferViews = this.bufferViews;
    if (this.byteLength > 0) gltf.buffers = [{ byteLength: this.byteLength }];

    const jsonBytes = new TextEncoder().encode(JSON.stringify(gltf));
    const jsonLen = align4(jsonBytes.length);
    const binLen = align4(this.byteLength);
    const hasBin = this.byteLength > 0;
    const total = 12 + 8 + jsonLen + (hasBin ? 8 + binLen : 0);
    const out = new Uint8Array(total);
    const view = new DataView(out.buffer);
    view.setUint32(0, 0x46546c67, true); // "glTF"
    view.setUint32(4, 2, true);
    view.setUint32(8, total, true);
    view.setUint32(12, jsonLen, true);
    view.setUint32(16, 0x4e4f534a, true); // "JSON"
    out.set(jsonBytes, 20);
    out.fill(0x20, 20 + jsonBytes.length, 20 + jsonLen);
    if (hasBin) {
      let o = 20 + jsonLen;
      view.setUint32(o, binLen, true);
      view.setUint32(o + 4, 0x004e4942, true); // "BIN\0"
      o += 8;
      for (const c of this.chunks) {
        out.set(c, o);
        o += c.length;
      }
      // Remaining bytes are already zero (padding).
    }
    return out;
  }

  private addAccessor(
    data: Float32Array | Uint16Array | Uint32Array,
    target: number,
    componentType: number,
    count: number,
    type: "VEC3" | "SCALAR",
    bounds?: { min: number[]; max: number[] },
  ): number {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const offset = this.byteLength;
    this.chunks.push(bytes);
    this.byteLength += bytes.length;
    const pad = align4(this.byteLength) - this.byteLength;
    if (pad > 0) {
      this.chunks.push(new Uint8Array(pad));
      this.byteLength += pad;
    }
    this.bufferViews.push({ buffer: 0, byteOffset: offset, byteLength: bytes.length, target });
    const acc: Json = { bufferView: this.bufferViews.length - 1, componentType, count, type };
    if (bounds) {
      acc.min = bounds.min;
      acc.max = bounds.max;
    }
    this.accessors.push(acc);
    return this.accessors.length - 1;
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
