/**
 * The client <-> server wire contract. Both sides import this file; nothing else
 * declares a message shape. Each client->server message has a zod schema (a
 * Standard Schema, so Colyseus validates it before the handler runs) and a size
 * limit; types are derived from the schemas, never written twice.
 */
import { z } from "zod";

/** Bumped on any incompatible change to messages or room state. Sent on join. */
export const PROTOCOL_VERSION = 1;

/** The one Colyseus room type: a collaboration session on one plant. */
export const PLANT_ROOM = "plant";

export const DEVICE_KINDS = ["desktop", "headset", "tablet", "phone"] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const ROLES = ["viewer", "operator", "expert", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** A display name: trimmed, 1..40 characters, no control characters. Rendered as text only. */
export const DisplayName = z
  .string()
  .trim()
  .min(1, "Enter a display name.")
  .max(40, "A display name has at most 40 characters.")

  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "A display name cannot contain control characters.");

export const PlantId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "A plant id is lowercase letters, digits and dashes.");

/** Options a client passes to `joinOrCreate(PLANT_ROOM, options)`. */
export const JoinOptions = z.object({
  protocol: z.number().int(),
  plant: PlantId,
  name: DisplayName,
  device: z.enum(DEVICE_KINDS).default("desktop"),
  /** Development sign-in only: the role to take (default: the server's DEV_ROLE). Ignored by real identity modes. */
  role: z.enum(ROLES).optional(),
  /** A seat id the client held before (reload, reconnect); the server re-binds it when it is still held for this user. */
  seat: z.string().max(64).optional(),
});
export type JoinOptions = z.input<typeof JoinOptions>;

/**
 * Why a join was refused. The matchmaker answers over HTTP, so these are HTTP
 * statuses; the SDK surfaces them as MatchMakeError.code with our sentence as message.
 */
export const JoinError = {
  BAD_JOIN: 400,
  FORBIDDEN: 403,
  UNKNOWN_PLANT: 404,
  ROOM_FULL: 409,
  PROTOCOL_MISMATCH: 426,
} as const;
export type JoinError = (typeof JoinError)[keyof typeof JoinError];

/** WebSocket close codes the server uses on a live connection (Colyseus keeps 4000-4099 for itself). */
export const CloseCode = {
  KICKED: 4403,
  FLOODING: 4429,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export function protocolMismatchMessage(clientVersion: number): string {
  return clientVersion < PROTOCOL_VERSION
    ? `This page is older than the server (protocol ${clientVersion}, server ${PROTOCOL_VERSION}). Reload the page.`
    : `The server is older than this page (protocol ${clientVersion}, server ${PROTOCOL_VERSION}). Ask your administrator to update Gemba.`;
}

/** Client -> server messages, keyed by type. */
export const ClientMessage = {
  /** Select an asset (or clear with null). Shared selection is visible to everyone. */
  select: z.object({ twin: z.string().max(128).nullable() }),
  /** Acknowledge an alarm (request: resolves with the journal id once stored). */
  ack: z.object({ alarm: z.string().min(1).max(200) }),
  /** Shelve an alarm for a while, with a reason (ISA-18.2). */
  shelve: z.object({
    alarm: z.string().min(1).max(200),
    minutes: z.number().int().min(1).max(480),
    reason: z.string().trim().min(1, "Give a reason for shelving.").max(200),
  }),
  unshelve: z.object({ alarm: z.string().min(1).max(200) }),
} as const;
export type ClientMessageType = keyof typeof ClientMessage;
export type ClientMessagePayload<K extends ClientMessageType> = z.infer<(typeof ClientMessage)[K]>;

/** Server -> client messages (type -> payload). */
export interface WelcomeMessage {
  /** The seat this connection drives; keep it to re-bind after a reload. */
  seat: string;
  protocol: number;
}
export interface ErrorMessage {
  code: string;
  message: string;
}
/** Why a request (room.request) was refused: `error.reason` on the client. */
export interface Refusal {
  code: "forbidden" | "invalid" | "not-found" | "failed";
  message: string;
}

export interface ServerMessages {
  welcome: WelcomeMessage;
  error: ErrorMessage;
}

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
  }),
  simulator: z.object({ running: z.boolean(), faults: z.array(z.string()) }),
  rooms: z.number(),
  clients: z.number(),
  plants: z.array(
    z.object({
      id: z.string(),
      twins: z.number(),
      points: z.number(),
      ingest: z.record(z.string(), z.number()),
      memory: z.object({ historyBytes: z.number(), fullRateMinutes: z.number(), coarseHours: z.number() }),
    }),
  ),
});
export type Health = z.infer<typeof Health>;
