/**
 * One run of a procedure, shared by a room: start, the current step, "done" (refused while the step's gate does
 * not hold on the live twin, or its note is missing), stop. Each accepted action is one journal row, built by
 * PlantJournal and chained to the row before it (runChain.ts), with the asset's values at that moment. Pure: the
 * caller stores the row, then commits it, so a failed write leaves the run where it was.
 */
import type { PlantModel } from "../../shared/plant.ts";
import type { Actor, NewJournalEntry } from "../journal/JournalEntry.ts";
import type { PlantJournal } from "../journal/PlantJournal.ts";
import type { PlantTwin } from "../twin/PlantTwin.ts";
import { GateWatch } from "./GateWatch.ts";
import type { Procedure } from "./loadProcedures.ts";
import { chain } from "./runChain.ts";

export type RunStatus = "running" | "completed" | "stopped";

export interface StepDone {
  by: string;
  at: number;
  note: string;
}

export type Prepared = { ok: true; row: NewJournalEntry } | { ok: false; code: "invalid"; message: string };

export class ProcedureRun {
  status: RunStatus = "running";
  /** Index of the current step (the number of steps once completed). */
  step = 0;
  /** Hash of the last committed row. */
  hash = "";
  readonly done: StepDone[] = [];
  startedBy = "";
  startedAt = 0;
  private gate: GateWatch;

  constructor(
    readonly id: string,
    readonly procedure: Procedure,
    private readonly twin: PlantTwin,
    private readonly model: PlantModel,
    private readonly journal: PlantJournal,
  ) {
    this.gate = new GateWatch(procedure.steps[0]!, twin, model);
  }

  /** The start row (chain head). */
  startRow(actor: Actor): NewJournalEntry {
    const p = this.procedure;
    return chain(
      this.journal.acted("procedure.start", actor, this.id, {
        run: this.id,
        procedure: p.id,
        title: p.title,
        file: p.file,
        steps: p.steps.map((s) => ({ text: s.text, asset: s.asset, gate: s.gate, evidence: s.evidence })),
      }),
      "",
    );
  }

  /** Evaluate the current step's gate at plant time `now`. */
  evaluate(now: number): void {
    if (this.status === "running") this.gate.evaluate(now);
  }

  gateHolds(): boolean {
    return this.status === "running" && this.gate.holds();
  }

  /** The current gate's points now ("" without a gate). */
  gateNow(): string {
    if (this.status !== "running" || !this.procedure.steps[this.step]!.gate) return "";
    return this.gate.describe() || "no value yet";
  }

  /** The row that marks step `step` done by `actor`, or why it cannot be done now. */
  prepareDone(actor: Actor, step: number, note: string): Prepared {
    const refuse = (message: string): Prepared => ({ ok: false, code: "invalid", message });
    if (this.status !== "running") return refuse(`This procedure is ${this.status}.`);
    if (step !== this.step) {
      return refuse(
        step < this.step
          ? `Step ${step + 1} is already done; the procedure is at step ${this.step + 1}.`
          : `Step ${step + 1} is not the current step; do step ${this.step + 1} first.`,
      );
    }
    const s = this.procedure.steps[step]!;
    if (!this.gate.holds()) {
      return refuse(`Step ${step + 1} cannot be done yet: ${s.asset} must meet "${s.gate}" (now: ${this.gateNow()}).`);
    }
    if (s.evidence === "note" && note.trim() === "") {
      return refuse(`Step ${step + 1} asks for a note: write what you did or found before marking it done.`);
    }
    const last = step === this.procedure.steps.length - 1;
    return {
      ok: true,
      row: chain(
        this.journal.acted("procedure.step", actor, this.id, {
          run: this.id,
          procedure: this.procedure.id,
          step: step + 1,
          text: s.text,
          asset: s.asset,
          gate: s.gate,
          gateNow: this.gateNow(),
          values: this.assetValues(s.asset),
          note: note.trim(),
          completed: last,
        }),
        this.hash,
      ),
    };
  }

  /** The row that stops the run before its end. */
  prepareStop(actor: Actor, reason: string): Prepared {
    if (this.status !== "running") return { ok: false, code: "invalid", message: `This procedure is ${this.status}.` };
    return {
      ok: true,
      row: chain(
        this.journal.acted("procedure.stop", actor, this.id, {
          run: this.id,
          procedure: this.procedure.id,
          atStep: this.step + 1,
          reason,
        }),
        this.hash,
      ),
    };
  }

  /** The row was stored: the run moves on. */
  commit(row: NewJournalEntry): void {
    this.hash = String(row.data["hash"]);
    if (row.kind === "procedure.start") {
      this.startedBy = row.actor;
      this.startedAt = row.ts;
      return;
    }
    if (row.kind === "procedure.stop") {
      this.status = "stopped";
      return;
    }
    if (row.kind !== "procedure.step") return;
    this.done.push({ by: row.actor, at: row.ts, note: typeof row.data["note"] === "string" ? row.data["note"] : "" });
    this.step++;
    if (this.step >= this.procedure.steps.length) this.status = "completed";
    else this.gate = new GateWatch(this.procedure.steps[this.step]!, this.twin, this.model);
  }

  /** Every current value of the asset's points at this moment (points with no value yet are left out). */
  private assetValues(asset: string): Record<string, number> {
    const ti = this.twin.twinIndex(asset);
    const out: Record<string, number> = {};
    if (ti === undefined) return out;
    for (const pi of this.twin.twins[ti]!.points) {
      const p = this.twin.points[pi]!;
      if (!Number.isNaN(p.value)) out[p.def.name] = p.value;
    }
    return out;
  }
}
