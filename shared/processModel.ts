/**
 * Process dynamics declared on a relationship of the plant definition (issue #21, docs/WHAT-IF.md): how a change of
 * one point of the source asset moves one point of the target asset. Deliberately simple, the way a process engineer
 * writes a loop down on paper: first-order lag or integrator, a gain, a time constant, a dead time, and limits.
 * The what-if engine (server/whatif/) runs these; `npm run plant:fit` estimates them from recorded history.
 */
import { z } from "zod";

const Range = z
  .tuple([z.number().finite(), z.number().finite()])
  .refine(([lo, hi]) => lo < hi, "is [min, max] with min below max");

export const Dynamics = z
  .object({
    /** Point of the relationship's source asset that a person may change (a speed, a valve position, a setpoint). */
    input: z.string().min(1),
    /** Point of the relationship's target asset that follows it. */
    output: z.string().min(1),
    /**
     * "lag": the output settles at gain × Δinput (first order). "integrator": the output's rate of change is
     * gain × Δinput per second (a tank level fed by a flow never settles by itself).
     */
    kind: z.enum(["lag", "integrator"]).default("lag"),
    /** Output units per input unit (lag), or output units per second per input unit (integrator). */
    gain: z
      .number()
      .finite()
      .refine((g) => g !== 0, "is not 0 (a gain of 0 means no relation)"),
    /** Seconds to 63 % of the final change (lag only; 0: the output follows at once). */
    timeConstant: z.number().finite().min(0).max(86_400).default(0),
    /** Seconds before the output starts to move. */
    deadTime: z.number().finite().min(0).max(3600).default(0),
    /** What the input can physically be set to (a what-if outside it is refused). */
    inputRange: Range,
    /** Where the output stops (a tank between empty and full, a flow between 0 and the pump's nominal). */
    outputRange: Range.optional(),
  })
  .strict();
export type Dynamics = z.infer<typeof Dynamics>;

/** One relationship of the plant with the dynamics it declares. */
export const Relationship = z.object({
  source: z.string(),
  name: z.string(),
  target: z.string(),
  dynamics: z.array(Dynamics).optional(),
});
export type Relationship = z.infer<typeof Relationship>;

/** One resolved link of the process model: "twin/point" keys of its two ends. */
export interface ProcessLink extends Dynamics {
  from: string;
  to: string;
  /** Where it is declared, for messages: `relationships[3].dynamics[0]`. */
  where: string;
}

/** The plant's process model as the engine runs it: every declared link, resolved to point keys. */
export function processLinks(relationships: readonly Relationship[]): ProcessLink[] {
  const out: ProcessLink[] = [];
  relationships.forEach((r, i) =>
    r.dynamics?.forEach((d, j) =>
      out.push({
        ...d,
        from: `${r.source}/${d.input}`,
        to: `${r.target}/${d.output}`,
        where: `relationships[${i}].dynamics[${j}]`,
      }),
    ),
  );
  return out;
}
