/**
 * The client <-> server wire contract. Both sides import this file; nothing else
 * declares a message shape. Each client->server message has a zod schema (a
 * Standard Schema, so Colyseus validates it before the handler runs) and a size
 * limit; types are derived from the schemas, never written twice.
 */
import { z } from "zod";

/** Bumped on any incompatible change to messages or room state. Sent on join. */
export const PROTOCOL_VERSION = 2;

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
  /** Ignored: who joins and with which role comes from the sign-in token (server/auth). Kept so old clients still join. */
  role: z.enum(ROLES).optional(),
  /** Continue a session from another device: a handoff ticket's token (from a link/QR) or 6-digit code. */
  handoff: z.string().min(6).max(64).optional(),
  /** Join as a separate participant even if this user already has a seat here (skip the "move it here" offer). */
  separate: z.boolean().optional(),
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
  /** No sign-in token, or one that is forged, expired, or from the wrong issuer or for the wrong audience. */
  UNAUTHORIZED: 401,
  /** Signed in, but no role here, not on the plant's access list, or a handoff that belongs to someone else. */
  FORBIDDEN: 403,
  UNKNOWN_PLANT: 404,
  ROOM_FULL: 409,
  /** This person already holds MAX_JOINS_PER_USER connections and unused seat reservations on the server. */
  TOO_MANY_JOINS: 429,
  PROTOCOL_MISMATCH: 426,
  /** The identity provider cannot be reached to check the token. */
  AUTH_UNAVAILABLE: 503,
} as const;
export type JoinError = (typeof JoinError)[keyof typeof JoinError];

/** WebSocket close codes the server uses on a live connection (Colyseus keeps 4000-4099 for itself). */
export const CloseCode = {
  /** An admin removed this participant (`kick`); the seat is freed, and the page must not reconnect on its own. */
  KICKED: 4403,
  /** More than MAX_MESSAGES_PER_SECOND messages within one second (server/rooms/floodGate.ts); the seat is freed. */
  FLOODING: 4429,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export function protocolMismatchMessage(clientVersion: number): string {
  return clientVersion < PROTOCOL_VERSION
    ? `This page is older than the server (protocol ${clientVersion}, server ${PROTOCOL_VERSION}). Reload the page.`
    : `The server is older than this page (protocol ${clientVersion}, server ${PROTOCOL_VERSION}). Ask your administrator to update Gemba.`;
}

/** Largest coordinate accepted on the wire (metres from the plant origin): a site, not a planet. */
export const MAX_COORD = 10_000;
const Coord = z.number().finite().min(-MAX_COORD).max(MAX_COORD);
const Vec3 = z.tuple([Coord, Coord, Coord]);
const Unit = z.number().finite().min(-1.01).max(1.01);
/** Position + unit quaternion. */
export const Pose = z
  .tuple([Coord, Coord, Coord, Unit, Unit, Unit, Unit])
  .refine(([, , , x, y, z, w]) => Math.abs(Math.hypot(x, y, z, w) - 1) < 0.05, "orientation must be a unit quaternion");
export type Pose = z.infer<typeof Pose>;

/** Closest two co-location reference points may be (horizontally): closer, a touch error of 1 cm turns the room ~2°. */
export const MIN_CALIBRATION_SPAN = 0.3;
export const MAX_ANNOTATION_TEXT = 1000;
export const MAX_SIGNAL_BYTES = 16 * 1024;
export const MAX_INK_POINTS = 2000;
export const AnnotationText = z
  .string()
  .max(MAX_ANNOTATION_TEXT, `An annotation's text is at most ${MAX_ANNOTATION_TEXT} characters.`)

  .refine(
    (s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s),
    "An annotation cannot contain control characters.",
  );

/** Bounds of an `interest` message: areas a client may watch at once, extra twins (selection, shared, followed). */
export const MAX_INTEREST_AREAS = 64;
export const MAX_INTEREST_TWINS = 16;

/** Longest reason an admin may give for removing someone (kick). */
export const MAX_KICK_REASON = 200;

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
  /** Presence, up to 30 Hz: head/camera, hands, pointer. Plant frame. */
  pose: z
    .object({
      h: Pose,
      l: Pose.nullable().optional(),
      r: Pose.nullable().optional(),
      p: z
        .object({ o: Vec3, t: Vec3, twin: z.string().max(128).nullable() })
        .nullable()
        .optional(),
    })
    .strict(),
  /** "Look here": draws everyone's attention to a spot. */
  ping: z.object({ at: Vec3, twin: z.string().max(128).nullable() }).strict(),
  /** Follow another participant's viewpoint (null stops). */
  follow: z.object({ seat: z.string().max(64).nullable() }).strict(),
  /** Presenter: bring everyone's view to an asset. */
  summon: z.object({ twin: z.string().max(128) }).strict(),
  /** Open an asset in everyone's inspector (without moving their camera). */
  share: z.object({ twin: z.string().max(128) }).strict(),
  /** Create an annotation (request: resolves with its id). */
  annotate: z
    .object({
      kind: z.enum(["pin", "ink"]),
      twin: z.string().max(128),
      offset: Vec3,
      text: AnnotationText,
      points: z
        .array(Coord)
        .max(MAX_INK_POINTS * 3)
        .optional(),
      alarm: z.string().max(200).optional(),
    })
    .strict()
    .refine((a) => (a.points?.length ?? 0) % 3 === 0, "Ink points come in x, y, z triples."),
  annotationUpdate: z
    .object({
      id: z.string().max(64),
      text: AnnotationText.optional(),
      status: z.enum(["open", "resolved"]).optional(),
    })
    .strict(),
  annotationDelete: z.object({ id: z.string().max(64) }).strict(),
  /**
   * WebRTC signalling for the room's voice call, relayed by the server to the
   * connection that holds seat `to`. The server stamps `from` itself: a client
   * cannot speak for another seat. (An SFU would terminate these instead: see README.)
   */
  signal: z
    .object({
      to: z.string().min(1).max(64),
      kind: z.enum(["offer", "answer", "ice", "bye"]),
      /** SDP for offer/answer; a JSON RTCIceCandidateInit for ice; empty for bye. */
      data: z.string().max(MAX_SIGNAL_BYTES, "A signalling message is at most 16 KB."),
    })
    .strict(),
  /** Shared time travel (request, expert role): seek the room to t, play at a speed, pause, or return to live. */
  playback: z.discriminatedUnion("action", [
    z.object({ action: z.literal("seek"), t: z.number().finite() }).strict(),
    z.object({ action: z.literal("play"), speed: z.union([z.literal(1), z.literal(4), z.literal(16)]) }).strict(),
    z.object({ action: z.literal("pause") }).strict(),
    z.object({ action: z.literal("live") }).strict(),
  ]),
  /** A named point in time (request): shared with everyone, persisted in the journal, a playback target. */
  bookmark: z
    .object({
      name: z.string().trim().min(1, "Name the bookmark.").max(80, "A bookmark name has at most 80 characters."),
      t: z.number().finite().positive(),
    })
    .strict(),
  /** Handoff (requests): create a ticket; accept one (pending connection); pull the seat here (same user); join separately; take it back (moved connection). */
  handoffCreate: z.object({ draft: z.string().max(MAX_ANNOTATION_TEXT).optional() }).strict(),
  handoffAccept: z.object({}).strict(),
  handoffPull: z.object({}).strict(),
  handoffSeparate: z.object({}).strict(),
  handoffTakeBack: z.object({}).strict(),
  /**
   * Remove a participant (request, admin): every connection of `seat` (driver, pending and moved devices) is closed
   * with CloseCode.KICKED and the seat is freed at once (no reconnection hold). The reason is shown to them.
   */
  kick: z
    .object({
      seat: z.string().min(1, "Name the seat to remove.").max(64),
      reason: z.string().trim().max(MAX_KICK_REASON, `A reason has at most ${MAX_KICK_REASON} characters.`).optional(),
    })
    .strict(),
  /**
   * Co-location (request, operator and above): the room's two reference points in plant coordinates. Each headset
   * touches the same two physical spots and aligns its plant frame to them (client/xr/Calibration.ts).
   */
  calibrate: z
    .object({ a: Vec3, b: Vec3 })
    .strict()
    .refine(
      ({ a, b }) => Math.hypot(b[0] - a[0], b[2] - a[2]) >= MIN_CALIBRATION_SPAN,
      `The two calibration points must be at least ${MIN_CALIBRATION_SPAN} m apart on the floor plan.`,
    ),
  /**
   * Interest management (large plants): the areas whose full-rate values this client wants, plus a few
   * named twins (its selection). Everything else arrives as status only. Ids are checked against the plant.
   */
  interest: z
    .object({
      areas: z.array(z.string().min(1).max(128)).max(MAX_INTEREST_AREAS, `At most ${MAX_INTEREST_AREAS} areas.`),
      twins: z
        .array(z.string().min(1).max(128))
        .max(MAX_INTEREST_TWINS, `At most ${MAX_INTEREST_TWINS} assets.`)
        .optional(),
    })
    .strict(),
  /** Voice state of this seat: whether it is in the call, muted, and (from level metering) speaking. */
  voice: z.object({ inCall: z.boolean(), muted: z.boolean(), speaking: z.boolean() }).strict(),
} as const;
export type ClientMessageType = keyof typeof ClientMessage;
export type InterestMessage = z.infer<(typeof ClientMessage)["interest"]>;
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

/** Sent to every connection of a removed seat just before it is closed with CloseCode.KICKED. */
export interface RemovedMessage {
  /** The admin's name. */
  by: string;
  reason: string;
}

export interface PingMessage {
  seat: string;
  at: [number, number, number];
  twin: string | null;
}
export interface SummonMessage {
  seat: string;
  twin: string;
}
export interface ShareMessage {
  seat: string;
  twin: string;
}

export interface SignalMessage {
  from: string;
  kind: "offer" | "answer" | "ice" | "bye";
  data: string;
}

/** This connection is joined but does not drive a seat yet: it may take over `seat`. */
export interface PendingMessage {
  seat: string;
  name: string;
  fromDevice: string;
  /** "ticket": opened a handoff link/code; "same-user": the same user is already here on another device. */
  reason: "ticket" | "same-user";
}
/** This connection now drives `seat` (after a handoff or take-back). */
export interface DrivingMessage {
  seat: string;
  fromDevice: string;
  draft: string;
}
/** This connection no longer drives its seat: it moved to another device. */
export interface MovedMessage {
  seat: string;
  toDevice: string;
}
export interface HandoffTicketInfo {
  token: string;
  code: string;
  expiresAt: number;
}

export interface ServerMessages {
  welcome: WelcomeMessage;
  error: ErrorMessage;
  ping: PingMessage;
  summon: SummonMessage;
  share: ShareMessage;
  signal: SignalMessage;
  pending: PendingMessage;
  driving: DrivingMessage;
  moved: MovedMessage;
}

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
