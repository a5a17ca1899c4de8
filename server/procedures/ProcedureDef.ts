/**
 * The JSON shape of one procedure file, assets/plants/<plant>/procedures/<id>.json: a title and steps, each step
 * anchored to an asset (a twin id), optionally gated on live values of that asset (an expression in the rules'
 * language, docs/RULES.md) and optionally asking for evidence (a note the person types). loadProcedures.ts checks
 * what zod cannot: the asset exists, the gate parses and names points of the asset's type.
 */
import { z } from "zod";

/** Most steps one procedure may have: a procedure longer than this belongs split in two. */
export const MAX_STEPS = 100;

export const ProcedureStepDef = z
  .object({
    /** What the person does, in the plant's words. */
    text: z.string().trim().min(1, "a step needs its text.").max(500, "a step's text is at most 500 characters."),
    /** The twin id the step is about: it is selected when the step comes up. */
    asset: z.string().min(1, "a step names its asset (a twin id)."),
    /** A condition on the asset's live values that must hold before the step can be marked done. */
    gate: z.string().trim().min(1, "an empty gate; remove it or write a condition.").optional(),
    /** "note": the person must write a note (what they did, the lock number) to mark the step done. */
    evidence: z.literal("note").optional(),
  })
  .strict();
export type ProcedureStepDef = z.infer<typeof ProcedureStepDef>;

export const ProcedureDef = z
  .object({
    /** Lowercase letters, digits and dashes; the file's name without ".json". */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "is lowercase letters, digits and dashes (max 63)"),
    title: z.string().trim().min(1).max(120),
    steps: z.array(ProcedureStepDef).min(1, "a procedure has at least one step.").max(MAX_STEPS),
  })
  .strict();
export type ProcedureDef = z.infer<typeof ProcedureDef>;
