/**
 * Replicates a plant instance N times for performance work. Copy 1 keeps the
 * original ids; copy k (k ≥ 2) suffixes twin and area ids with "-k<k>" and
 * names with " (copy k)", offsets positions on a grid (rows of up to 4 copies,
 * spaced by the plant's footprint + 10 m) and remaps relationships. Topic
 * bindings are templates ({twin}/{point}) and are kept, except that a topic
 * level equal to the plant id takes the new id ("gemba/demo/{twin}/{point}" ->
 * "gemba/demo-x10/..."), so the simulator, which publishes under the plant's id,
 * feeds the scaled plant; a binding naming a specific twin ("twin" / "twins") is
 * replicated/remapped per copy.
 */
import { plantBounds } from "./buildScene.ts";
import type { AreaJson, PlantInstanceJson, RelationshipJson, TwinJson } from "./plantJson.ts";

export interface ScaleOptions {
  /** Value for the copy's "models" field; default assumes a sibling directory: "../<id>/<models>". */
  models?: string;
  /** Copies per row of the grid (default 4). */
  perRow?: number;
  /** Free space between copies in metres (default 10). */
  gap?: number;
}

/** Id of twin/area `id` in copy k (1-based; copy 1 keeps the original id). */
export function copyId(id: string, k: number): string {
  return k === 1 ? id : `${id}-k${k}`;
}

function copyName(name: string, k: number): string {
  return k === 1 ? name : `${name} (copy ${k})`;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function scalePlant(plant: PlantInstanceJson, factor: number, options: ScaleOptions = {}): PlantInstanceJson {
  if (!Number.isInteger(factor) || factor < 1)
    throw new Error(`Scale factor must be a positive integer, got ${factor}.`);
  const perRow = options.perRow ?? 4;
  const gap = options.gap ?? 10;
  const [x0, z0, x1, z1] = plantBounds(plant);
  const stepX = x1 - x0 + gap;
  const stepZ = z1 - z0 + gap;
  const newId = `${plant.id}-x${factor}`;
  const retopic = <T>(b: T): T => {
    const topic = (b as { topic?: unknown }).topic;
    if (typeof topic !== "string") return b;
    return {
      ...b,
      topic: topic
        .split("/")
        .map((level) => (level === plant.id ? newId : level))
        .join("/"),
    };
  };
  const twinIds = new Set(plant.twins.map((t) => t.id));
  const areaIds = new Set(plant.areas.map((a) => a.id));

  const areas: AreaJson[] = [];
  const twins: TwinJson[] = [];
  const relationships: RelationshipJson[] = [];
  const bindings: unknown[] = [];
  const perCopyBindings: Array<Record<string, unknown>> = [];
  for (const b of plant.bindings ?? []) {
    if (typeof b === "object" && b !== null && ("twin" in b || "twins" in b)) perCopyBindings.push(b);
    else bindings.push(retopic(clone(b)));
  }

  for (let k = 1; k <= factor; k++) {
    const i = k - 1;
    const dx = (i % perRow) * stepX;
    const dz = Math.floor(i / perRow) * stepZ;
    const twinId = (id: string): string => (twinIds.has(id) ? copyId(id, k) : id);
    const areaId = (id: string): string => (areaIds.has(id) ? copyId(id, k) : id);

    for (const a of plant.areas) {
      const c = clone(a);
      c.id = copyId(a.id, k);
      c.name = copyName(a.name, k);
      c.bounds = [a.bounds[0] + dx, a.bounds[1] + dz, a.bounds[2] + dx, a.bounds[3] + dz];
      areas.push(c);
    }
    for (const t of plant.twins) {
      const c = clone(t);
      c.id = copyId(t.id, k);
      c.name = copyName(t.name, k);
      c.area = areaId(t.area);
      c.parent = t.parent === null || t.parent === undefined ? t.parent : twinId(t.parent);
      if (c.layout?.position && c.layout.position.length === 3) {
        const [x, y, z] = c.layout.position as [number, number, number];
        c.layout.position = [x + dx, y, z + dz];
      }
      if (Array.isArray(c.layout?.path)) {
        c.layout.path = c.layout.path.map((p) => (p.length === 3 ? [p[0]! + dx, p[1]!, p[2]! + dz] : p));
      }
      twins.push(c);
    }
    for (const r of plant.relationships ?? []) {
      const c = clone(r);
      c.source = twinId(r.source);
      c.target = twinId(r.target);
      relationships.push(c);
    }
    for (const b of perCopyBindings) {
      const c = clone(b);
      if (typeof c.twin === "string") c.twin = twinId(c.twin);
      if (Array.isArray(c.twins)) c.twins = c.twins.map((t: unknown) => (typeof t === "string" ? twinId(t) : t));
      bindings.push(retopic(c));
    }
  }

  const models =
    options.models ?? (plant.models && !plant.models.startsWith("/") ? `../${plant.id}/${plant.models}` : plant.models);
  const out: PlantInstanceJson = {
    ...clone(plant),
    id: newId,
    name: `${plant.name} ×${factor}`,
    areas,
    twins,
    relationships,
  };
  if (typeof plant.description === "string")
    out.description = `${plant.description} Replicated ${factor}× for performance testing.`;
  if (models !== undefined) out.models = models;
  if (plant.bindings !== undefined) out.bindings = bindings;
  return out;
}
