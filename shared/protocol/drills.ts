/**
 * Drill requests (docs/TRAINING.md): list the plant's drill scenarios, start one for trainees in the room, end one,
 * replay one to its room (the debrief).
 */
import { z } from "zod";
import { DRILL_ID } from "../drill.ts";

export const DrillSummary = z.object({
  id: z.string(),
  /** Names the fault: shown to instructors only. */
  title: z.string(),
  brief: z.string(),
  /** The procedure that corrects it, "" when acknowledging the drill's alarm is the correct action. */
  procedure: z.string(),
  limitSeconds: z.number(),
});
export type DrillSummary = z.infer<typeof DrillSummary>;

/** Trainees in one drill at most: each is scored every second from the drill's journal. */
export const MAX_DRILL_TRAINEES = 20;

/** A client-made id for one press of "Start drill": the same id again is a replay, refused (never a second drill). */
export const DrillRequestId = z
  .string()
  .regex(/^[A-Za-z0-9-]{8,64}$/, "not a request id (8 to 64 letters, digits, dashes)");

/** A fresh request id for one press of "Start drill" (getRandomValues: also on a plain-http page, unlike randomUUID). */
export function newDrillRequestId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const drillRequests = {
  /** The plant's drill scenarios (instructors: experts and up). */
  drills: { payload: z.object({}).strict(), reply: z.object({ drills: z.array(DrillSummary) }) },
  /** Start a drill on a sandbox twin for trainees chosen by their seats in this room (experts and up). */
  drillStart: {
    payload: z
      .object({
        scenario: z.string().min(1).max(64),
        trainees: z
          .array(z.string().min(1).max(64))
          .min(1, "Choose at least one trainee.")
          .max(MAX_DRILL_TRAINEES, `A drill has at most ${MAX_DRILL_TRAINEES} trainees; start two drills.`),
        /** Sent by pages and headsets; a drillStart without one is only checked for busy trainees. */
        request: DrillRequestId.optional(),
      })
      .strict(),
    reply: z.object({ drill: z.string(), plant: z.string() }),
  },
  /** End a drill now (its instructor, or experts and up): trainees not scored yet are scored as things stand. */
  drillEnd: {
    payload: z.object({ drill: z.string().regex(DRILL_ID, "not a drill id") }).strict(),
    reply: z.object({}),
  },
  /**
   * The debrief: the drill's room replays the drill from its start (shared playback, playing at 1×). In the drill's
   * own room, by its instructor (experts and up) or by a trainee of it once scored.
   */
  drillDebrief: {
    payload: z.object({ drill: z.string().regex(DRILL_ID, "not a drill id") }).strict(),
    /** The room's view time the replay starts at. */
    reply: z.object({ t: z.number() }),
  },
} as const;
