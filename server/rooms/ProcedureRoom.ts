/**
 * A room's procedure run: the run itself (server/procedures/ProcedureRun.ts, pure) and its mirror in the room
 * state, re-evaluated four times a second on the plant's time so everyone sees whether the current gate holds.
 * One run per room at a time; a finished or stopped run stays shown until the next one starts.
 */
import { ArraySchema } from "@colyseus/schema";
import { ProcedureRunState, ProcedureStepState } from "../../shared/procedureState.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import type { Actor } from "../journal/JournalEntry.ts";
import type { PlantJournal } from "../journal/PlantJournal.ts";
import type { Procedure } from "../procedures/loadProcedures.ts";
import { ProcedureRun, type Prepared } from "../procedures/ProcedureRun.ts";
import type { PlantRuntime } from "../runtime/PlantHub.ts";
import type { Clock } from "../twin/Clock.ts";

/** How often the current gate is evaluated: the rules' own tick. */
const GATE_TICK_MS = 250;

export class ProcedureRoom {
  private run: ProcedureRun | null = null;
  private readonly timer: unknown;

  constructor(
    private readonly runtime: PlantRuntime,
    private readonly state: PlantRoomState,
    private readonly journal: PlantJournal,
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {
    const s = new ProcedureRunState();
    s.run = "";
    s.status = "";
    s.steps = new ArraySchema<ProcedureStepState>();
    state.procedure = s;
    this.timer = clock.setInterval(() => this.tick(), GATE_TICK_MS);
  }

  get procedures(): readonly Procedure[] {
    return this.runtime.plant.procedures;
  }

  current(): ProcedureRun | null {
    return this.run;
  }

  /** Start `id`, writing its first row; a string says why not. */
  start(id: string, actor: Actor): { run: string; journalId: number } | string {
    if (this.run?.status === "running") {
      const r = this.run;
      return `"${r.procedure.title}" is under way (step ${r.step + 1} of ${r.procedure.steps.length}); finish or stop it first.`;
    }
    const p = this.procedures.find((x) => x.id === id);
    if (!p) {
      const known = this.procedures.map((x) => x.id).join(", ") || "none";
      return `There is no procedure "${id}" for this plant (it has: ${known}).`;
    }
    const run = new ProcedureRun(this.newId(), p, this.runtime.twin, this.runtime.plant.model, this.journal);
    const row = run.startRow(actor);
    const journalId = this.runtime.store.append(row);
    run.commit(row);
    this.run = run;
    this.tick();
    return { run: run.id, journalId };
  }

  /** Store a prepared row and move the run on; the row is the run's only if stored. */
  apply(p: Prepared): { journalId: number; hash: string } | string {
    const run = this.run;
    if (!run) return "No procedure is running.";
    if (!p.ok) return p.message;
    const journalId = this.runtime.store.append(p.row);
    run.commit(p.row);
    this.tick();
    return { journalId, hash: run.hash };
  }

  /** The run `id` if it is this room's current one. */
  runOf(id: string): ProcedureRun | string {
    if (!this.run || this.run.id !== id) return "That procedure run is no longer the room's; reload the panel.";
    return this.run;
  }

  private tick(): void {
    const run = this.run;
    if (!run) return;
    if (this.runtime.twin.latestTs > 0) run.evaluate(this.runtime.twin.latestTs);
    this.write(run);
  }

  /** Mirror the run into the room state, touching only what changed (a patch carries only differences). */
  private write(run: ProcedureRun): void {
    const s = this.state.procedure;
    if (s.run !== run.id) {
      s.run = run.id;
      s.procedure = run.procedure.id;
      s.title = run.procedure.title;
      s.startedBy = run.startedBy;
      s.startedAt = run.startedAt;
      s.steps = new ArraySchema<ProcedureStepState>(
        ...run.procedure.steps.map((d) => {
          const st = new ProcedureStepState();
          st.text = d.text;
          st.asset = d.asset;
          st.gate = d.gate;
          st.evidence = d.evidence ?? "";
          st.doneBy = "";
          st.doneAt = 0;
          st.note = "";
          return st;
        }),
      );
    }
    run.done.forEach((d, i) => {
      const st = s.steps[i];
      if (st && st.doneBy === "") {
        st.doneBy = d.by;
        st.doneAt = d.at;
        st.note = d.note;
      }
    });
    if (s.status !== run.status) s.status = run.status;
    if (s.step !== run.step) s.step = run.step;
    const holds = run.gateHolds();
    if (s.gateHolds !== holds) s.gateHolds = holds;
    const now = run.gateNow();
    if (s.gateNow !== now) s.gateNow = now;
    if (s.hash !== run.hash) s.hash = run.hash;
  }

  dispose(): void {
    this.clock.clearInterval(this.timer);
  }
}
