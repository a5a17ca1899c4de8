/**
 * Drills as the rooms of a plant see them (server/drills/DrillBook.ts writes them): each drill's sandbox plant id,
 * who runs it, its trainees and, once scored, each trainee's score. The plant's own rooms show the drills started
 * on it (trainees get "Join drill"); a drill's room shows the same, with its own drill's brief and scores.
 * The scenario's id is in the state; its title (which names the fault) is not.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";
import { z } from "zod";

export const DrillTraineeState = schema(
  {
    /** The trainee's user id (from their sign-in) and name. */
    user: t.string(),
    name: t.string(),
    /** "running" until scored, then "scored". */
    status: t.string(),
    /** ms from the fault's onset to detection / to the correct action; -1 when it did not happen. */
    detectMs: t.float64(),
    correctMs: t.float64(),
    /** 0..100 once scored. */
    points: t.uint8(),
    /** One sentence per wrong action; per ISA-18.2 alarm-handling finding. */
    wrong: t.array("string"),
    handling: t.array("string"),
  },
  "DrillTraineeState",
);
export type DrillTraineeState = SchemaType<typeof DrillTraineeState>;

export const DrillState = schema(
  {
    id: t.string(),
    /** The drill's sandbox plant id (`<plant>~drill-<id>`): join it to take part or to watch. */
    plant: t.string(),
    scenario: t.string(),
    /** What trainees are told (never the fault). */
    brief: t.string(),
    instructor: t.string(),
    instructorUser: t.string(),
    /** "running" | "ended". */
    status: t.string(),
    startedAt: t.float64(),
    /** When the fault is (or was) injected. */
    onsetAt: t.float64(),
    endedAt: t.float64(),
    /** Why the drill ended before every trainee was scored by their own actions ("Stopped by a server restart"), "" otherwise. */
    stopped: t.string(),
    /** Its sandbox runs on this server: it can be joined, watched and replayed (false for a drill stopped by a restart). */
    replay: t.boolean(),
    trainees: t.array(DrillTraineeState),
  },
  "DrillState",
);
export type DrillState = SchemaType<typeof DrillState>;

/** One trainee's score of one drill, as kept over time (GET /api/plants/<plant>/drill-scores). */
export const DrillScoreRecord = z.object({
  drill: z.string(),
  plant: z.string(),
  scenario: z.string(),
  title: z.string(),
  user: z.string(),
  name: z.string(),
  startedAt: z.number(),
  scoredAt: z.number(),
  detectMs: z.number().nullable(),
  correctMs: z.number().nullable(),
  wrong: z.array(z.string()),
  handling: z.array(z.string()),
  points: z.number(),
});
export type DrillScoreRecord = z.infer<typeof DrillScoreRecord>;
export const DrillScoresReply = z.object({ scores: z.array(DrillScoreRecord) });
export type DrillScoresReply = z.infer<typeof DrillScoresReply>;
