/**
 * The resolved plant model: what the server derives from a plant directory
 * (DTDL v3 interfaces + instance file) and what the client fetches from
 * GET /api/plants/:id to name, label and colour the assets. Declared once here
 * with its validator so the client checks what it receives.
 */
import { z } from "zod";
import { Relationship } from "./processModel.ts";

/** Limits on a numeric point. Any subset may be given; ordered lowAlarm <= lowWarning <= highWarning <= highAlarm. */
export const Limits = z
  .object({
    lowAlarm: z.number().finite().optional(),
    lowWarning: z.number().finite().optional(),
    highWarning: z.number().finite().optional(),
    highAlarm: z.number().finite().optional(),
  })
  .strict();
export type Limits = z.infer<typeof Limits>;

/**
 * "structured": a DTDL Map or Array; the twin keeps its last JSON value (the inspector shows it as a table),
 * not a number, so it has no limits, history or sparkline.
 */
export const PointSchema = z.enum(["double", "float", "integer", "long", "boolean", "structured"]);
export type PointSchema = z.infer<typeof PointSchema>;

export const PointDef = z.object({
  /** DTDL content name, unique within its interface. */
  name: z.string(),
  displayName: z.string(),
  kind: z.enum(["telemetry", "property"]),
  schema: PointSchema,
  /** DTDL unit name (e.g. degreeCelsius), or null for unitless points. */
  unit: z.string().nullable(),
  /** Display symbol for the unit (e.g. °C). */
  symbol: z.string(),
  limits: Limits.optional(),
  /** Seconds between expected updates; a point silent for 3 periods turns stale. */
  period: z.number().positive(),
  /** Number of decimals a label shows. */
  decimals: z.number().int().min(0).max(6),
  /** Integer-coded states (e.g. 0 stopped, 1 running) for enumerated points. */
  states: z.record(z.string(), z.string()).optional(),
  /** A DTDL Enum with text values: the text a source sends -> the state's number (keys of `states`). */
  enumText: z.record(z.string(), z.number().int()).optional(),
});
export type PointDef = z.infer<typeof PointDef>;

export const TypeDef = z.object({
  /** DTMI of the DTDL interface, e.g. dtmi:gemba:demo:Pump;1 */
  id: z.string(),
  displayName: z.string(),
  points: z.array(PointDef),
  /** Points shown on an asset's floating label, in order. */
  label: z.array(z.string()),
});
export type TypeDef = z.infer<typeof TypeDef>;

export const TwinDef = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string(),
  area: z.string(),
  parent: z.string().nullable(),
  /** Name of the glTF node that renders this twin. */
  node: z.string(),
  /** Static DTDL Property values from the instance file (e.g. a tank's capacity). */
  properties: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
});
export type TwinDef = z.infer<typeof TwinDef>;

export const PlantModel = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  areas: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      /** Footprint on the ground [x0, z0, x1, z1] in plant metres, when the plant file gives one (interest management). */
      bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
    }),
  ),
  types: z.array(TypeDef),
  twins: z.array(TwinDef),
  /** Relationships, some with process dynamics for the what-if engine (shared/processModel.ts). */
  relationships: z.array(Relationship),
  /** URL (same origin) of the plant's glTF/GLB scene; null when the plant has none (assets laid out by area). */
  scene: z.string().nullable(),
});
export type PlantModel = z.infer<typeof PlantModel>;

/** Key of a point in the twin: "<twinId>/<pointName>". */
export function pointKey(twin: string, point: string): string {
  return `${twin}/${point}`;
}

export function countPoints(model: PlantModel): number {
  const byType = new Map(model.types.map((t) => [t.id, t.points.length]));
  return model.twins.reduce((n, tw) => n + (byType.get(tw.type) ?? 0), 0);
}
