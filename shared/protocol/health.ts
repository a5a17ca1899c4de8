/** HTTP: the health report (GET /healthz), read by operators, probes and the tests. */
import { z } from "zod";

/**
 * What Gemba knows of a Sparkplug edge node, in a plant person's words: "not seen" (nothing yet),
 * "online" (its NBIRTH is in force), "waiting for birth" (it sends data but Gemba never saw its
 * NBIRTH, e.g. Gemba started after it), "offline" (its NDEATH came).
 */
export const EDGE_NODE_STATES = ["not seen", "online", "waiting for birth", "offline"] as const;
export type EdgeNodeState = (typeof EDGE_NODE_STATES)[number];

/**
 * An OPC UA server a plant reads from (binding format "opcua"): "connecting" (not connected yet),
 * "connected", "reconnecting" (the link dropped; the client retries and carries its subscriptions over),
 * "offline" (the server or the configuration refused us; the reason says what to fix).
 */
export const OPCUA_SOURCE_STATES = ["connecting", "connected", "reconnecting", "offline"] as const;
export type OpcUaSourceState = (typeof OPCUA_SOURCE_STATES)[number];

export const OpcUaSourceStatus = z.object({
  endpoint: z.string(),
  /** "None", or e.g. "SignAndEncrypt Basic256Sha256". */
  security: z.string(),
  state: z.enum(OPCUA_SOURCE_STATES),
  /** Why it is not connected ("" while connected). */
  reason: z.string(),
  since: z.number().nullable(),
  /** Monitored items the server accepted. */
  monitored: z.number(),
  /** Items the server (or its namespaces) refused, each with the reason. */
  refused: z.array(z.object({ nodeId: z.string(), twin: z.string(), point: z.string(), reason: z.string() })),
});
export type OpcUaSourceStatus = z.infer<typeof OpcUaSourceStatus>;

/** HTTP: GET /healthz */
export const Health = z.object({
  ok: z.boolean(),
  version: z.string(),
  protocol: z.number(),
  uptimeSeconds: z.number(),
  mqtt: z.object({
    url: z.string(),
    embedded: z.boolean(),
    connected: z.boolean(),
    lastError: z.string().nullable(),
    /** Why the plants' values are not arriving ("" while connected): the same sentence the status panel shows. */
    offline: z.string(),
  }),
  /** Gemba as a Sparkplug primary host application (SPARKPLUG_HOST_ID); null when it is not one. */
  sparkplugHost: z.object({ id: z.string(), online: z.boolean(), timestamp: z.number().nullable() }).nullable(),
  simulator: z.object({ running: z.boolean(), faults: z.array(z.string()) }),
  auth: z.object({ mode: z.enum(["dev", "oidc"]), signIns: z.number(), refused: z.record(z.string(), z.number()) }),
  /** The journal: SQLite in DATA_DIR, or PostgreSQL shared by a cluster; not ok while writes are not being stored. */
  journal: z.object({
    backend: z.enum(["sqlite", "postgresql"]),
    ok: z.boolean(),
    problem: z.string().nullable(),
    pendingWrites: z.number(),
  }),
  rooms: z.number(),
  clients: z.number(),
  plants: z.array(
    z.object({
      id: z.string(),
      twins: z.number(),
      points: z.number(),
      ingest: z.record(z.string(), z.number()),
      /** Each Sparkplug edge node the plant binds, and what Gemba knows of it. */
      sparkplug: z.array(
        z.object({
          group: z.string(),
          node: z.string(),
          state: z.enum(EDGE_NODE_STATES),
          since: z.number().nullable(),
          bdSeq: z.number().nullable(),
          rebirthRequests: z.number(),
        }),
      ),
      /** Each OPC UA server the plant reads from (binding format "opcua"). */
      opcua: z.array(OpcUaSourceStatus),
      memory: z.object({ historyBytes: z.number(), fullRateMinutes: z.number(), coarseHours: z.number() }),
    }),
  ),
});
export type Health = z.infer<typeof Health>;
