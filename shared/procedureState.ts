/**
 * The room's procedure run as everyone in the room sees it (one run per room at a time): which procedure, who
 * started it, its steps with who did each and when, the current step, and whether the current step's gate holds
 * on the live twin right now (the server evaluates it; the page only shows it).
 */
import { schema, t, type SchemaType } from "@colyseus/schema";

export const ProcedureStepState = schema(
  {
    text: t.string(),
    /** Twin id the step is anchored to. */
    asset: t.string(),
    /** The gate as written, "" when the step has none. */
    gate: t.string(),
    /** "note" when the step asks for a note, "" when not. */
    evidence: t.string(),
    /** Who marked it done ("" while not done), when (ms since epoch), and the note they wrote. */
    doneBy: t.string(),
    doneAt: t.float64(),
    note: t.string(),
  },
  "ProcedureStepState",
);
export type ProcedureStepState = SchemaType<typeof ProcedureStepState>;

export const ProcedureRunState = schema(
  {
    /** Run id, "" while no procedure has run in this room. */
    run: t.string(),
    procedure: t.string(),
    title: t.string(),
    /** "running" | "completed" | "stopped" ("" with no run). */
    status: t.string(),
    startedBy: t.string(),
    startedAt: t.float64(),
    /** Index of the current step; equals the number of steps once completed. */
    step: t.uint16(),
    steps: t.array(ProcedureStepState),
    /** Whether the current step's gate holds now (true for a step without a gate). */
    gateHolds: t.boolean(),
    /** The gate's points now, formatted ("suctionPressure 0.08 bar, running running"); "" without a gate. */
    gateNow: t.string(),
    /** Hash of the run's last journal row (docs/TRAINING.md). */
    hash: t.string(),
  },
  "ProcedureRunState",
);
export type ProcedureRunState = SchemaType<typeof ProcedureRunState>;
