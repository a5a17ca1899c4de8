/**
 * Client -> server requests (`room.request`): each with the payload it sends and the reply it gets once what it
 * changed is durable. A refused request rejects the client's promise with a `Refusal` (`error.reason` in the SDK).
 */
import { z } from "zod";
import { ROLES } from "./join.ts";
import {
  AnnotationText,
  Coord,
  MAX_ANNOTATION_TEXT,
  MAX_INK_POINTS,
  MAX_KICK_REASON,
  MIN_CALIBRATION_SPAN,
  Vec3,
} from "./fields.ts";
import { procedureRequests } from "./procedures.ts";
import { incidentRequests } from "./incidents.ts";
import { whatIfRequests } from "./whatIf.ts";
import { drillRequests } from "./drills.ts";

/** Why a request was refused: `error.reason` on the client. */
export const Refusal = z.object({
  code: z.enum(["forbidden", "invalid", "not-found", "failed"]),
  message: z.string(),
});
export type Refusal = z.infer<typeof Refusal>;

const AlarmId = z.string().min(1).max(200);
/** The journal row that records the change (the person who pressed the button knows it counted). */
const Journaled = z.object({ journalId: z.number().int() });
const AnnotationReply = z.object({ id: z.string(), journalId: z.number().int() });
/** The seat this connection now drives (handoff) or the seat that was removed (kick). */
const SeatReply = z.object({ seat: z.string() });
/** A handoff ticket: the link token, the 6-digit code, and when both stop working (ms since the epoch). */
export const HandoffTicketInfo = z.object({ token: z.string(), code: z.string(), expiresAt: z.number() });
export type HandoffTicketInfo = z.infer<typeof HandoffTicketInfo>;

function request<P extends z.ZodType, R extends z.ZodType>(payload: P, reply: R): { payload: P; reply: R } {
  return { payload, reply };
}

export const ClientRequest = {
  /** Acknowledge an alarm (ISA-18.2). */
  ack: request(z.object({ alarm: AlarmId }), Journaled),
  /** Shelve an alarm for a while, with a reason (ISA-18.2). */
  shelve: request(
    z.object({
      alarm: AlarmId,
      minutes: z.number().int().min(1).max(480),
      reason: z.string().trim().min(1, "Give a reason for shelving.").max(200),
    }),
    Journaled,
  ),
  unshelve: request(z.object({ alarm: AlarmId }), Journaled),
  /** Create an annotation: a pin with text, or ink strokes, on an asset. */
  annotate: request(
    z
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
    AnnotationReply,
  ),
  annotationUpdate: request(
    z
      .object({
        id: z.string().max(64),
        text: AnnotationText.optional(),
        status: z.enum(["open", "resolved"]).optional(),
      })
      .strict(),
    AnnotationReply,
  ),
  annotationDelete: request(z.object({ id: z.string().max(64) }).strict(), AnnotationReply),
  /** Shared time travel (expert role): seek the room to t, play at a speed, pause, or return to live. */
  playback: request(
    z.discriminatedUnion("action", [
      z.object({ action: z.literal("seek"), t: z.number().finite() }).strict(),
      z.object({ action: z.literal("play"), speed: z.union([z.literal(1), z.literal(4), z.literal(16)]) }).strict(),
      z.object({ action: z.literal("pause") }).strict(),
      z.object({ action: z.literal("live") }).strict(),
    ]),
    /** The room's view time after the change (0: live). */
    z.object({ t: z.number() }),
  ),
  /** A named point in time: shared with everyone, persisted in the journal, a playback target. */
  bookmark: request(
    z
      .object({
        name: z.string().trim().min(1, "Name the bookmark.").max(80, "A bookmark name has at most 80 characters."),
        t: z.number().finite().positive(),
      })
      .strict(),
    z.object({ t: z.number() }),
  ),
  /** Handoff: create a ticket; accept one (pending connection); pull the seat here (same user); join separately; take it back (moved connection). */
  handoffCreate: request(
    z.object({ draft: z.string().max(MAX_ANNOTATION_TEXT).optional() }).strict(),
    HandoffTicketInfo,
  ),
  handoffAccept: request(z.object({}).strict(), SeatReply),
  handoffPull: request(z.object({}).strict(), SeatReply),
  handoffSeparate: request(z.object({}).strict(), SeatReply),
  handoffTakeBack: request(z.object({}).strict(), SeatReply),
  /**
   * Remove a participant (admin): every connection of `seat` (driver, pending and moved devices) is closed
   * with CloseCode.KICKED and the seat is freed at once (no reconnection hold). The reason is shown to them.
   */
  kick: request(
    z
      .object({
        seat: z.string().min(1, "Name the seat to remove.").max(64),
        reason: z
          .string()
          .trim()
          .max(MAX_KICK_REASON, `A reason has at most ${MAX_KICK_REASON} characters.`)
          .optional(),
      })
      .strict(),
    SeatReply,
  ),
  /**
   * Co-location (operator and above): the room's two reference points in plant coordinates. Each headset
   * touches the same two physical spots and aligns its plant frame to them (client/xr/Calibration.ts).
   */
  calibrate: request(
    z
      .object({ a: Vec3, b: Vec3 })
      .strict()
      .refine(
        ({ a, b }) => Math.hypot(b[0] - a[0], b[2] - a[2]) >= MIN_CALIBRATION_SPAN,
        `The two calibration points must be at least ${MIN_CALIBRATION_SPAN} m apart on the floor plan.`,
      ),
    Journaled,
  ),
  /**
   * A fresh sign-in token for the seat this connection drives, sent after "signin-expiring" or whenever the page
   * signs in again. Same person only; its role replaces the old one (server/rooms/seatSignInGuard.ts).
   */
  signin: request(
    z.object({ token: z.string().min(1).max(8192) }).strict(),
    z.object({ role: z.enum(ROLES), expiresAt: z.number() }),
  ),
  /** Procedures (shared/protocol/procedures.ts). */
  ...procedureRequests,
  /** Closing incidents, work-order hand-off (shared/protocol/incidents.ts). */
  ...incidentRequests,
  /** What-ifs (shared/protocol/whatIf.ts). */
  ...whatIfRequests,
  /** Drills (shared/protocol/drills.ts). */
  ...drillRequests,
} as const;
export type RequestType = keyof typeof ClientRequest;
/** What a client sends with request K (before defaults apply). */
export type RequestPayload<K extends RequestType> = z.input<(typeof ClientRequest)[K]["payload"]>;
/** What request K resolves with. */
export type RequestReply<K extends RequestType> = z.infer<(typeof ClientRequest)[K]["reply"]>;
