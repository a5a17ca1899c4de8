/**
 * Client -> server messages that expect no answer (`room.send`). A malformed one is dropped, counted and answered
 * with an `error` message (server/rooms/messagePolicy.ts); the connection stays open.
 */
import { z } from "zod";
import { VideoEvents } from "./video.ts";
import { MAX_INTEREST_AREAS, MAX_INTEREST_TWINS, MAX_SIGNAL_BYTES, Pose, Vec3 } from "./fields.ts";

export const ClientEvent = {
  /** Select an asset (or clear with null). Shared selection is visible to everyone. */
  select: z.object({ twin: z.string().max(128).nullable() }),
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
  /** The call's camera, stills and strokes (video.ts). */
  ...VideoEvents,
} as const;
export type ClientEventType = keyof typeof ClientEvent;
