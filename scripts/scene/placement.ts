/**
 * Where each twin stands: its layout resolved (a position and rotation, or a pipe path), its kind of look,
 * its footprint (to keep decorative pipes clear) and its ports for utility lines.
 */
import { TANK } from "./parts/tank.ts";
import { type PlantInstanceJson, resolveLayout, type TwinJson, typeName, type Vec3 } from "./plantJson.ts";

/** Footprint radius in metres (for keeping decorative pipes clear of equipment). */
export const FOOTPRINT: Record<string, number> = {
  Pump: 0.7,
  Valve: 0.3,
  HeatExchanger: 1.0,
  Filler: 1.7,
  Capper: 1.1,
  Labeler: 1.3,
  Palletizer: 1.6,
  Compressor: 1.4,
  Chiller: 1.7,
  Generic: 0.8,
};

/** Twin types with a dedicated look (others render as a generic cabinet). */
export const TWIN_KINDS = new Set([
  "Tank",
  "Pump",
  "Valve",
  "HeatExchanger",
  "Pipe",
  "Filler",
  "Capper",
  "Labeler",
  "Conveyor",
  "Palletizer",
  "Compressor",
  "Chiller",
]);
/** Twin types that exchange product through pipes (drawn interconnects only between these). */
export const PROCESS_TYPES = new Set(["Tank", "Pump", "Valve", "HeatExchanger"]);
/** Utility connection points (local frame) for heats/cools lines. */
export const UTILITY_PORT: Record<string, Vec3> = {
  HeatExchanger: [0.2, 1.6, 1.15],
  Chiller: [1.8, 1.3, 0.3],
  Compressor: [0, 1.7, 0],
  Valve: [0, 0.6, 0],
  Pump: [0, 0.6, 0],
};
export const PIPE_Y = 0.6;
export const RACK_Y = 3.4;

export interface PlacedTwin {
  twin: TwinJson;
  kind: string;
  position: Vec3;
  rotation: number;
  /** Tank vessel scale [radial, height] (1 for others). */
  tankScale: [number, number];
  radius: number;
}

/** A twin placed by position, or a pipe twin drawn along its path. */
export type TwinPlacement =
  { twin: TwinJson; path: Vec3[] } | { twin: TwinJson; placed: PlacedTwin; length: number | undefined };

/**
 * Resolves every twin's layout (throws on an unknown layout before anything is written), in the plant's order.
 * `placed` holds the equipment pipes route around (not conveyors or pipes).
 */
export function placeTwins(plant: PlantInstanceJson): { twins: TwinPlacement[]; placed: Map<string, PlacedTwin> } {
  const placed = new Map<string, PlacedTwin>();
  const twins: TwinPlacement[] = [];
  for (const twin of plant.twins) {
    const layout = resolveLayout(twin);
    const tn = typeName(twin.type);
    const kind = TWIN_KINDS.has(tn) ? tn : "Generic";
    if (layout.kind === "path") {
      twins.push({ twin, path: layout.path });
      continue;
    }
    let tankScale: [number, number] = [1, 1];
    let radius = FOOTPRINT[kind] ?? 0.8;
    if (kind === "Tank") {
      const cap = Number(twin.properties?.capacity);
      const ratio = Number.isFinite(cap) && cap > 0 ? cap / TANK.capacity : 0.5;
      tankScale = [Math.pow(ratio, 0.4), Math.pow(ratio, 0.2)];
      radius = TANK.radius * tankScale[0] + 0.1;
    }
    const p: PlacedTwin = { twin, kind, position: layout.position, rotation: layout.rotation, tankScale, radius };
    if (kind !== "Conveyor" && kind !== "Pipe") placed.set(twin.id, p);
    twins.push({ twin, placed: p, length: layout.length });
  }
  return { twins, placed };
}

export function yRotation(deg: number): [number, number, number, number] {
  const h = (deg * Math.PI) / 360;
  return [0, Math.sin(h), 0, Math.cos(h)];
}

/** Local → world for a placed twin (rotation about +y, then translation). */
export function toWorld(p: PlacedTwin, local: Vec3): Vec3 {
  const r = (p.rotation * Math.PI) / 180;
  const c = Math.cos(r);
  const s = Math.sin(r);
  return [
    p.position[0] + local[0] * c + local[2] * s,
    p.position[1] + local[1],
    p.position[2] - local[0] * s + local[2] * c,
  ];
}
