/**
 * Server -> client messages (`client.send` / `broadcast` on the server, `room.onMessage` on the page). The server
 * sends them only through server/rooms/send.ts, typed by this table; the page checks each against it on arrival.
 */
import { z } from "zod";
import { IceServers } from "../iceServers.ts";
import { VideoMessages } from "./video.ts";

const SeatId = z.string();
const DeviceName = z.string();

export const ServerMessage = {
  /** First message on every connection: the seat it drives ("" while pending); keep it to re-bind after a reload. */
  /** `iceServers`: STUN/TURN for the voice call from the server's ICE_SERVERS (none by default: LAN only). */
  welcome: z.object({ seat: SeatId, protocol: z.number().int(), iceServers: IceServers.optional() }),
  /** A fire-and-forget message was refused, or something the person should know (a sentence to show). */
  error: z.object({ code: z.string(), message: z.string() }),
  /** Someone pointed at a spot ("look here"). */
  ping: z.object({ seat: SeatId, at: z.tuple([z.number(), z.number(), z.number()]), twin: z.string().nullable() }),
  /** The presenter brings everyone's view to an asset. */
  summon: z.object({ seat: SeatId, twin: z.string() }),
  /** Someone opened an asset in everyone's inspector. */
  share: z.object({ seat: SeatId, twin: z.string() }),
  /** WebRTC signalling relayed from seat `from` (stamped by the server). */
  signal: z.object({ from: SeatId, kind: z.enum(["offer", "answer", "ice", "bye"]), data: z.string() }),
  /** This connection is joined but does not drive a seat yet: it may take over `seat`. */
  pending: z.object({
    seat: SeatId,
    name: z.string(),
    fromDevice: DeviceName,
    /** "ticket": opened a handoff link/code; "same-user": the same user is already here on another device. */
    reason: z.enum(["ticket", "same-user"]),
  }),
  /** This connection now drives `seat` (after a handoff or take-back), with the draft the other device carried. */
  driving: z.object({ seat: SeatId, fromDevice: DeviceName, draft: z.string() }),
  /** This connection no longer drives its seat: it moved to another device. */
  moved: z.object({ seat: SeatId, toDevice: DeviceName }),
  /** Sent to every connection of a removed seat just before it is closed with CloseCode.KICKED. */
  removed: z.object({ by: z.string(), reason: z.string() }),
  /** The sign-in token ends at `expiresAt` (ms since the epoch): send "signin" with a fresh one before then. */
  "signin-expiring": z.object({ expiresAt: z.number(), message: z.string() }),
  /** The call's camera: stills asked and relayed, strokes on frames (video.ts). */
  ...VideoMessages,
} as const;
export type ServerMessageType = keyof typeof ServerMessage;
export type ServerMessagePayload<K extends ServerMessageType> = z.infer<(typeof ServerMessage)[K]>;

export type WelcomeMessage = ServerMessagePayload<"welcome">;
export type ErrorMessage = ServerMessagePayload<"error">;
export type PingMessage = ServerMessagePayload<"ping">;
export type SummonMessage = ServerMessagePayload<"summon">;
export type ShareMessage = ServerMessagePayload<"share">;
export type SignalMessage = ServerMessagePayload<"signal">;
export type PendingMessage = ServerMessagePayload<"pending">;
export type DrivingMessage = ServerMessagePayload<"driving">;
export type MovedMessage = ServerMessagePayload<"moved">;
export type RemovedMessage = ServerMessagePayload<"removed">;
export type StillMessage = ServerMessagePayload<"still">;
export type StrokeMessage = ServerMessagePayload<"stroke">;
export type StillAskMessage = ServerMessagePayload<"stillAsk">;
