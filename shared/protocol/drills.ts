/** Drill requests (docs/TRAINING.md): list the plant's drill scenarios, start one for trainees in the room, end one. */
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

export const drillRequests = {
  /** The plant's drill scenarios (instructors: experts and up). */
  drills: { payload: z.object({}).strict(), reply: z.object({ drills: z.array(DrillSummary) }) },
  /** Start a drill on a sandbox twin for trainees chosen by their seats in this room (experts and up). */
  drillStart: {
    payload: z
      .object({
        scenario: z.string().min(1).max(64),
        trainees: z.array(z.string().min(1).max(64)).min(1, "Choose at least one trainee.").max(20),
      })
      .strict(),
    reply: z.object({ drill: z.string(), plant: z.string() }),
  },
  /** End a drill now (its instructor, or experts and up): trainees not scored yet are scored as things stand. */
  drillEnd: {
    payload: z.object({ drill: z.string().regex(DRILL_ID, "not a drill id") }).strict(),
    reply: z.object({}),
  },
} as const;
