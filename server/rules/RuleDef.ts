/**
 * The JSON shape of one rule in plant.json's top-level "rules" array. The
 * expressions are strings here; compileRules.ts parses and checks them.
 */
import { z } from "zod";

export const RuleSeverity = z.enum(["low", "medium", "high", "critical"]);
export type RuleSeverity = z.infer<typeof RuleSeverity>;

export const RuleDef = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "is lowercase letters, digits and dashes (max 63)"),
    name: z.string().min(1).max(120),
    /** A type short name ("Pump", the <Type> of dtmi:…:<Type>;1) or a list of twin ids. */
    for: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    severity: RuleSeverity,
    /** Condition to become active (see docs/RULES.md). Length is checked by the compiler, with a clearer message. */
    when: z.string().min(1),
    /** Condition to return to normal; default: not when, without its top-level "for". */
    clear: z.string().min(1).optional(),
    /** Text with {point}, {name} and {id} placeholders. */
    message: z.string().min(1).max(500),
    /**
     * Hysteresis on the top-level ordered comparisons of "when": a number applies to all of them (in each
     * comparison's own units); { point: number } only to comparisons of that point against a constant.
     */
    deadband: z
      .union([z.number().finite().nonnegative(), z.record(z.string(), z.number().finite().nonnegative())])
      .optional(),
  })
  .strict();
export type RuleDef = z.infer<typeof RuleDef>;
