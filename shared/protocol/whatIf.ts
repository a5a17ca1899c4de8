/**
 * What-if requests (docs/WHAT-IF.md): fork the twin, set one point of the plant's process model to a new value, and
 * see the predicted values of everything it moves, for everyone in the room. Operators and up. Nothing is sent to
 * the plant: a what-if only reads the twin.
 */
import { z } from "zod";

/** A room holds at most this many what-ifs at once (each is shown to everyone; more would not be compared). */
export const MAX_WHATIFS_PER_ROOM = 4;
/** How far ahead a what-if may look, and the least it looks. */
export const MAX_WHATIF_HORIZON_S = 30 * 60;
export const MIN_WHATIF_HORIZON_S = 60;
/** Values kept per predicted point in the room state (the engine itself steps every second). */
export const WHATIF_SAMPLES = 120;

const Journaled = z.object({ journalId: z.number().int() });

export const whatIfRequests = {
  /** Predict what happens if `twin/point` is set to `value`, `horizonS` seconds ahead (operator and up). */
  whatIf: {
    payload: z
      .object({
        twin: z.string().min(1).max(128),
        point: z.string().min(1).max(128),
        value: z.number().finite(),
        horizonS: z
          .number()
          .int()
          .min(MIN_WHATIF_HORIZON_S, "A what-if looks at least 1 minute ahead.")
          .max(MAX_WHATIF_HORIZON_S, `A what-if looks at most ${MAX_WHATIF_HORIZON_S / 60} minutes ahead.`),
      })
      .strict(),
    reply: z.object({ id: z.string(), journalId: z.number().int() }),
  },
  /** Remove a what-if from the room (operator and up). */
  whatIfRemove: { payload: z.object({ id: z.string().min(1).max(64) }).strict(), reply: Journaled },
} as const;
