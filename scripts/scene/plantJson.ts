/**
 * Minimal types for a plant instance file (assets/plants/<id>/plant.json), as
 * far as scene generation and scaling need them, plus a light validator that
 * turns malformed input into one-sentence errors. Unknown fields are kept.
 */

export type Vec3 = [number, number, number];

export interface TwinLayoutJson {
  position?: number[];
  /** Degrees about +y. */
  rotation?: number;
  /** Metres (conveyors). */
  length?: number;
  /** Polyline (pipes); y is the pipe centre height. */
  path?: number[][];
  [key: string]: unknown;
}

export interface TwinJson {
  id: string;
  /** DTMI, e.g. dtmi:gemba:demo:Pump;1 */
  type: string;
  name: string;
  area: string;
  parent: string | null;
  layout?: TwinLayoutJson;
  properties?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface AreaJson {
  id: string;
  name: string;
  /** [xMin, zMin, xMax, zMax] in metres. */
  bounds: [number, number, number, number];
  [key: string]: unknown;
}

export interface RelationshipJson {
  source: string;
  name: string;
  target: string;
  [key: string]: unknown;
}

export interface PlantInstanceJson {
  id: string;
  name: string;
  description?: string;
  scene?: string;
  areas: AreaJson[];
  models?: string;
  types?: unknown;
  twins: TwinJson[];
  relationships?: RelationshipJson[];
  bindings?: unknown[];
  [key: string]: unknown;
}

/** A twin's layout, resolved: either a placed asset or a pipe polyline. */
export type ResolvedLayout =
  { kind: "placed"; position: Vec3; rotation: number; length: number | undefined } | { kind: "path"; path: Vec3[] };

export class PlantInputError extends Error {
  override name = "PlantInputError";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isVec3(v: unknown): v is Vec3 {
  return Array.isArray(v) && v.length === 3 && v.every((n) => typeof n === "number" && Number.isFinite(n));
}

/** Checks the fields scene generation relies on; throws PlantInputError with one sentence. */
export function parsePlantInstance(raw: unknown, source = "plant.json"): PlantInstanceJson {
  if (!isObject(raw)) throw new PlantInputError(`${source} must contain a JSON object.`);
  if (typeof raw.id !== "string" || raw.id === "") throw new PlantInputError(`${source} has no string "id".`);
  if (typeof raw.name !== "string") throw new PlantInputError(`${source} has no string "name".`);
  if (!Array.isArray(raw.areas)) throw new PlantInputError(`${source} has no "areas" array.`);
  if (!Array.isArray(raw.twins)) throw new PlantInputError(`${source} has no "twins" array.`);
  const areaIds = new Set<string>();
  raw.areas.forEach((a: unknown, i: number) => {
    if (!isObject(a) || typeof a.id !== "string")
      throw new PlantInputError(`${source}: area #${i} has no string "id".`);
    const b = a.bounds;
    if (!Array.isArray(b) || b.length !== 4 || !b.every((n) => typeof n === "number" && Number.isFinite(n))) {
      throw new PlantInputError(`${source}: area "${a.id}" needs "bounds": [xMin, zMin, xMax, zMax].`);
    }
    if (areaIds.has(a.id)) throw new PlantInputError(`${source}: area id "${a.id}" is used twice.`);
    areaIds.add(a.id);
  });
  const twinIds = new Set<string>();
  raw.twins.forEach((t: unknown, i: number) => {
    if (!isObject(t) || typeof t.id !== "string" || t.id === "") {
      throw new PlantInputError(`${source}: twin #${i} has no string "id".`);
    }
    if (typeof t.type !== "string") throw new PlantInputError(`${source}: twin "${t.id}" has no string "type".`);
    if (twinIds.has(t.id)) throw new PlantInputError(`${source}: twin id "${t.id}" is used twice.`);
    twinIds.add(t.id);
    resolveLayout(t as TwinJson);
  });
  if (raw.relationships !== undefined && !Array.isArray(raw.relationships)) {
    throw new PlantInputError(`${source}: "relationships" must be an array.`);
  }
  return raw as PlantInstanceJson;
}

/** Interprets a twin's layout or throws a one-sentence PlantInputError. */
export function resolveLayout(twin: TwinJson): ResolvedLayout {
  const l = twin.layout;
  const bad = (why: string): never => {
    throw new PlantInputError(
      `Twin "${twin.id}" has an unknown layout (${why}); expected {"position": [x, y, z]} or {"path": [[x, y, z], ...]}.`,
    );
  };
  if (!isObject(l)) return bad("missing");
  if (l.path !== undefined) {
    const p = l.path;
    if (!Array.isArray(p) || p.length < 2 || !p.every(isVec3)) return bad("path needs at least two [x, y, z] points");
    return { kind: "path", path: p.map((v) => [v[0], v[1], v[2]]) };
  }
  if (l.position !== undefined) {
    if (!isVec3(l.position)) return bad("position is not [x, y, z]");
    if (l.rotation !== undefined && (typeof l.rotation !== "number" || !Number.isFinite(l.rotation))) {
      return bad("rotation is not a number of degrees");
    }
    if (l.length !== undefined && (typeof l.length !== "number" || !(l.length > 0))) {
      return bad("length is not a positive number");
    }
    const pos = l.position;
    return { kind: "placed", position: [pos[0], pos[1], pos[2]], rotation: l.rotation ?? 0, length: l.length };
  }
  return bad("neither position nor path");
}

/** "dtmi:gemba:demo:Pump;1" → "Pump". */
export function typeName(dtmi: string): string {
  const last = dtmi.split(":").pop() ?? dtmi;
  return last.split(";")[0] ?? last;
}
