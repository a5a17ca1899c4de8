/**
 * The plant instance file (plant.json) as authored by a plant engineer: areas,
 * twins with layout, relationships, per-type display metadata and limits that
 * DTDL has no place for, and bindings from MQTT topics and OPC UA servers to twin points.
 */
import { z } from "zod";
import { Limits } from "../../shared/plant.ts";
import { Dynamics } from "../../shared/processModel.ts";
import { compilePath } from "../formats/fieldPath.ts";
import { QUALITY_CODES } from "../formats/quality.ts";

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

/**
 * A field path into a JSON message (server/formats/fieldPath.ts): "v", "data.level", "values[0]",
 * '["Tank 1.Level"].value' (any characters in a quoted key), or the list form ["Tank 1.Level", "value"].
 */
const FieldPath = z
  .union([z.string(), z.array(z.union([z.string(), z.number().int().min(0)])).min(1)])
  .superRefine((p, ctx) => {
    try {
      compilePath(p);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: `is not a field path: ${(e as Error).message}` });
    }
  });

const Scale = { scale: z.number().finite().optional(), offset: z.number().finite().optional() };
const TwinName = z.string().min(1);

/** One point of a many-point JSON binding; paths are relative to the message (or to the item, with `items`). */
export const JsonPoint = z
  .object({
    twin: TwinName.optional(),
    point: z.string().min(1),
    /** Path to the value (a number, or a {value, quality, timestamp} object). Default: the point's item itself. */
    value: FieldPath.optional(),
    /** With `items`: the item whose `key` equals this text. */
    match: z.string().optional(),
    timestamp: FieldPath.optional(),
    quality: FieldPath.optional(),
    ...Scale,
  })
  .strict();
export type JsonPoint = z.infer<typeof JsonPoint>;

/**
 * Plain JSON (UNS, gateways, our simulator). Three shapes:
 * - one point: `value` plus `twin`/`point` or a topic with {twin} and/or {point};
 * - many points of one message: `points`, each with its own path (twin per point, per binding or from {twin});
 * - a batched array keyed by name: `items` (path to the array) + `key` (path in each item) + points with `match`.
 * Other {placeholders} in the topic match one level and are ignored.
 */
export const JsonBinding = z
  .object({
    topic: z.string().min(1),
    format: z.literal("json"),
    twin: TwinName.optional(),
    point: z.string().min(1).optional(),
    value: FieldPath.optional(),
    timestamp: FieldPath.optional(),
    quality: FieldPath.optional(),
    /** How numeric qualities are read: "gemba" 0/1/2 (default), "opcua" StatusCodes, "opcda" 192-style. */
    qualityCodes: z.enum(QUALITY_CODES).optional(),
    items: FieldPath.optional(),
    key: FieldPath.optional(),
    points: z.array(JsonPoint).min(1).optional(),
    ...Scale,
  })
  .strict();
export type JsonBinding = z.infer<typeof JsonBinding>;

/** One point of an OPC UA PubSub JSON / OPC Publisher binding. */
export const OpcUaPoint = z
  .object({
    twin: TwinName.optional(),
    point: z.string().min(1),
    /** The DataSet field name (the Payload key, any characters), or for Samples messages the NodeId or DisplayName. */
    field: z.string().min(1),
    ...Scale,
  })
  .strict();
export type OpcUaPoint = z.infer<typeof OpcUaPoint>;

/**
 * OPC UA PubSub JSON (OPC 10000-14 7.2.5) and Microsoft OPC Publisher (PubSub and legacy Samples).
 * Selection: publisher (PublisherId), writerId (DataSetWriterId) and/or writerName (DataSetWriterName);
 * all given must match. The twin comes from each point, the binding, or the topic's {twin}.
 */
export const OpcUaBinding = z
  .object({
    topic: z.string().min(1),
    format: z.literal("opcua-json"),
    publisher: z.string().min(1).optional(),
    writerId: z.union([z.number().int().min(0).max(0xffff), z.string().min(1)]).optional(),
    writerName: z.string().min(1).optional(),
    twin: TwinName.optional(),
    points: z.array(OpcUaPoint).min(1),
  })
  .strict();
export type OpcUaBinding = z.infer<typeof OpcUaBinding>;

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

/** Milliseconds, as OPC UA requests them (OPC 10000-4 5.12.1.2, 5.13.1.2); the server may revise them. */
const Interval = z.number().finite().min(0).max(86_400_000);

/** One monitored item of an OPC UA client binding: a NodeId read as one twin point. */
export const OpcUaClientItem = z
  .object({
    /** "nsu=<namespace URI>;s=..." (or i=, g=, b=); checked in server/ingest/opcua/validateBindings.ts. */
    nodeId: z.string().min(1).max(4096),
    twin: TwinName.optional(),
    point: z.string().min(1),
    samplingInterval: Interval.optional(),
    publishingInterval: Interval.optional(),
    ...Scale,
  })
  .strict();
export type OpcUaClientItem = z.infer<typeof OpcUaClientItem>;

/**
 * Gemba as an OPC UA client (server/ingest/opcua): subscriptions on one server's variables. It never writes.
 * The password comes from an environment variable (plant.json is shared; a secret does not belong in it).
 */
export const OpcUaClientBinding = z
  .object({
    format: z.literal("opcua"),
    endpoint: z
      .string()
      .regex(/^opc\.tcp:\/\/[^\s/]+(\/\S*)?$/, 'is an OPC UA endpoint URL, e.g. "opc.tcp://plc1:4840"'),
    security: z
      .object({
        mode: z.enum(["None", "Sign", "SignAndEncrypt"]).default("None"),
        policy: z.enum(["None", "Basic256Sha256", "Aes256Sha256RsaPss"]).default("None"),
      })
      .strict()
      .default({ mode: "None", policy: "None" }),
    user: z
      .discriminatedUnion("type", [
        z.object({ type: z.literal("anonymous") }).strict(),
        z
          .object({
            type: z.literal("username"),
            username: z.string().min(1),
            passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "is the name of an environment variable (A-Z, 0-9, _)"),
          })
          .strict(),
      ])
      .default({ type: "anonymous" }),
    twin: TwinName.optional(),
    /** Defaults for the items below (ms): how often the server samples, and how often it sends. */
    samplingInterval: Interval.optional(),
    publishingInterval: Interval.optional(),
    items: z.array(OpcUaClientItem).min(1),
  })
  .strict();
export type OpcUaClientBinding = z.infer<typeof OpcUaClientBinding>;

export const Binding = z.discriminatedUnion("format", [
  JsonBinding,
  OpcUaBinding,
  SparkplugBinding,
  OpcUaClientBinding,
]);
export type Binding = z.infer<typeof Binding>;
/** The MQTT-topic bindings (JSON and OPC UA JSON); TopicRouter handles these. */
export type TopicBinding = JsonBinding | OpcUaBinding;
export const isTopicBinding = (b: Binding): b is TopicBinding => b.format === "json" || b.format === "opcua-json";

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
    /** The plant's glTF/GLB scene. Without one the page lays the assets out by area (client/scene/AreaLayout.ts). */
    scene: z.string().min(1).optional(),
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
    relationships: z
      .array(
        z
          .object({ source: z.string(), name: z.string(), target: z.string(), dynamics: z.array(Dynamics).optional() })
          .strict(),
      )
      .default([]),
    bindings: z.array(Binding).default([]),
    /** Rules are validated by server/rules (compileRules), which reports paths like rules[2].when. */
    rules: z.array(z.unknown()).default([]),
  })
  .strict();
export type PlantInstance = z.infer<typeof PlantInstance>;
