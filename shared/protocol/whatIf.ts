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

/**
 * Faults a what-if may inject instead of setting a value (docs/WHAT-IF.md, "Faults"): "stuck" holds a point at a
 * value (where it is now unless one is given), "drift" moves it by `perMinute` from where it is now; the others are
 * the simulator's fault catalogue (server/sim/faultCatalogue.ts), each expressed through the process model where
 * the model can say what it does, and refused with the reason where it cannot.
 */
export const WHATIF_FAULTS = [
  "stuck",
  "drift",
  "cavitation",
  "bearing-wear",
  "stuck-valve",
  "flatline",
  "line-jam",
] as const;
export type WhatIfFault = (typeof WHATIF_FAULTS)[number];

export const whatIfRequests = {
  /**
   * Predict what happens if `twin/point` is set to `value` (or a fault strikes), `horizonS` seconds ahead
   * (operator and up).
   */
  whatIf: {
    payload: z
      .object({
        twin: z.string().min(1).max(128),
        /** The point to change; a catalogue fault names its own (a pump's speed for cavitation). */
        point: z.string().min(1).max(128).optional(),
        /** The value to set (no fault), or to stick at ("stuck"; where it is now when absent). */
        value: z.number().finite().optional(),
        fault: z.enum(WHATIF_FAULTS).optional(),
        /** "drift": how far the point moves per minute, in its own unit. */
        perMinute: z
          .number()
          .finite()
          .refine((v) => v !== 0, "A drift of 0 per minute changes nothing.")
          .optional(),
        horizonS: z
          .number()
          .int()
          .min(MIN_WHATIF_HORIZON_S, "A what-if looks at least 1 minute ahead.")
          .max(MAX_WHATIF_HORIZON_S, `A what-if looks at most ${MAX_WHATIF_HORIZON_S / 60} minutes ahead.`),
      })
      .strict()
      .superRefine((a, ctx) => {
        const catalogue = a.fault && a.fault !== "stuck" && a.fault !== "drift";
        if (!catalogue && !a.point)
          ctx.addIssue({ code: "custom", path: ["point"], message: "Say which point the what-if changes." });
        if (!a.fault && a.value === undefined)
          ctx.addIssue({ code: "custom", path: ["value"], message: "Say the value to set the point to." });
        if (a.fault === "drift" && a.perMinute === undefined)
          ctx.addIssue({ code: "custom", path: ["perMinute"], message: "Say how far the point drifts per minute." });
      }),
    reply: z.object({ id: z.string(), journalId: z.number().int() }),
  },
  /** Remove a what-if from the room (operator and up). */
  whatIfRemove: { payload: z.object({ id: z.string().min(1).max(64) }).strict(), reply: Journaled },
} as const;
