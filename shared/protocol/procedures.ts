/** Procedure requests (docs/TRAINING.md): list the plant's procedures, start one in the room, mark a step done, stop. */
import { z } from "zod";
import { AnnotationText } from "./fields.ts";

export const ProcedureSummary = z.object({
  id: z.string(),
  title: z.string(),
  steps: z.number().int(),
  /** Twin ids the steps are anchored to, in step order. */
  assets: z.array(z.string()),
});
export type ProcedureSummary = z.infer<typeof ProcedureSummary>;

const RunId = z.string().min(1).max(64);
const Journaled = z.object({ journalId: z.number().int() });

export const procedureRequests = {
  procedures: { payload: z.object({}).strict(), reply: z.object({ procedures: z.array(ProcedureSummary) }) },
  /** Start a procedure for everyone in the room (operator and up); refused while another run is under way. */
  procedureStart: {
    payload: z.object({ procedure: z.string().min(1).max(64) }).strict(),
    reply: z.object({ run: z.string(), journalId: z.number().int() }),
  },
  /**
   * Mark the run's current step done. `step` is the index the person saw, so a double press cannot complete two
   * steps. Refused with a sentence while the step's gate does not hold on the live twin, or its note is missing.
   */
  procedureDone: {
    payload: z
      .object({ run: RunId, step: z.number().int().min(0).max(1000), note: AnnotationText.optional() })
      .strict(),
    reply: z.object({ journalId: z.number().int(), hash: z.string(), completed: z.boolean() }),
  },
  /** Stop the run before its end (operator and up), with a reason for the record. */
  procedureStop: {
    payload: z
      .object({ run: RunId, reason: z.string().trim().min(1, "Say why the procedure stops.").max(200) })
      .strict(),
    reply: Journaled,
  },
} as const;
