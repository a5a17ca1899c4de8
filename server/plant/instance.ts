/**
 * The plant instance file (plant.json) as authored by a plant engineer: areas,
 * twins with layout, relationships, per-type display metadata and limits that
 * DTDL has no place for, and bindings from MQTT topics to twin points.
 */
import { z } from "zod";
import { Limits } from "../../shared/plant.ts";

const Vec3 = z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]);

export const PointMeta = z
  .object({
    limits: Limits.optional(),
    period: z.number().positive().max(86_400).optional(),
    decimals: z.number().int().min(0).max(6).optional(),
    symbol: z.string().max(16).optional(),
    states: z.record(z.string().regex(/^-?\d+$/, "state keys are integers"), z.string()).optional(),
  })
  .strict();

export const TypeMeta = z
  .object({
    label: z.array(z.string()).max(4).default([]),
    points: z.record(z.string(), PointMeta).default({}),
  })
  .strict();

/** A JSON field path like "v" or "data.level" or "values[0]". */
const FieldPath = z
  .string()
  .regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*|\[\d+\])*$/, "must be a field path like data.value");

const JsonFields = {
  format: z.literal("json"),
  value: FieldPath,
  timestamp: FieldPath.optional(),
  quality: FieldPath.optional(),
  scale: z.number().finite().optional(),
  offset: z.number().finite().optional(),
};

/** One binding maps many topics through {twin} and {point} placeholders, or one topic to one point. */
export const TemplateBinding = z
  .object({
    topic: z
      .string()
      .refine((t) => t.includes("{twin}") && t.includes("{point}"), "a template topic needs {twin} and {point}"),
    ...JsonFields,
  })
  .strict();
export const PointBinding = z
  .object({ topic: z.string().min(1), twin: z.string(), point: z.string(), ...JsonFields })
  .strict();
/**
 * Sparkplug B: one edge node (or one of its devices) of one group. Metrics map to points either by an explicit
 * `metrics` table (metric name -> "twin/point") or by `metric: "{twin}/{point}"` (the metric name is the point).
 * Name and reference checks live in server/ingest/sparkplug/validateBindings.ts.
 */
export const SparkplugBinding = z
  .object({
    format: z.literal("sparkplug"),
    group: z.string().min(1),
    node: z.string().min(1),
    device: z.string().min(1).optional(),
    metrics: z.record(z.string().min(1), z.string().regex(/^[^/]+\/[^/]+$/, 'is "twin/point"')).optional(),
    // A refine, not a literal: zod reports a failed literal inside a union only as "Invalid input".
    metric: z
      .string()
      .refine((m) => m === "{twin}/{point}", 'is "{twin}/{point}" (the metric name is twin/point)')
      .optional(),
  })
  .strict()
  .refine((b) => (b.metrics === undefined) !== (b.metric === undefined), {
    message: 'a sparkplug binding needs either "metrics" or "metric", not both.',
  });
export type SparkplugBinding = z.infer<typeof SparkplugBinding>;

export const Binding = z.union([PointBinding, TemplateBinding, SparkplugBinding]);
export type Binding = z.infer<typeof Binding>;
/** The MQTT-topic bindings (format "json"); TopicRouter handles these. */
export type JsonBinding = Exclude<Binding, SparkplugBinding>;
export const isJsonBinding = (b: Binding): b is JsonBinding => b.format !== "sparkplug";

export const TwinLayout = z
  .object({
    position: Vec3.optional(),
    rotation: z.number().finite().optional(),
    length: z.number().positive().optional(),
    path: z.array(Vec3).min(2).optional(),
  })
  .strict();

export const PlantInstance = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "is lowercase letters, digits and dashes"),
    name: z.string().min(1),
    description: z.string().default(""),
    scene: z.string().min(1),
    models: z.string().default("models"),
    areas: z
      .array(
        z
          .object({
            id: z.string(),
            name: z.string(),
            bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
          })
          .strict(),
      )
      .min(1),
    types: z.record(z.string(), TypeMeta).default({}),
    twins: z
      .array(
        z
          .object({
            id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "is letters, digits, _ . - (max 64)"),
            type: z.string(),
            name: z.string().min(1),
            area: z.string(),
            parent: z.string().nullable().default(null),
            node: z.string().optional(),
            layout: TwinLayout.optional(),
            properties: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
          })
          .strict(),
      )
      .min(1),
    relationships: z.array(z.object({ source: z.string(), name: z.string(), target: z.string() }).strict()).default([]),
    bindings: z.array(Binding).default([]),
    /** Rules are validated by server/rules (compileRules), which reports paths like rules[2].when. */
    rules: z.array(z.unknown()).default([]),
  })
  .strict();
export type PlantInstance = z.infer<typeof PlantInstance>;
