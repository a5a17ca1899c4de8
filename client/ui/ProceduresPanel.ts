/**
 * The procedures panel: the plant's procedures with "Start", and the room's run for everyone in it — its steps
 * with who did each, the current step on its asset (selected when the step comes up), the step's gate with the
 * live values the server evaluated it on, and "Done", disabled with the reason while the gate does not hold or a
 * required note is missing. The server decides; the panel only shows its verdict (room state `procedure`).
 */
import { can } from "../../shared/permissions.ts";
import type { ProcedureSummary } from "../../shared/protocol.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { byId, el } from "./dom.ts";
import "./toolbarPanel.css";
import "./procedures.css";

export interface ProcedureActions {
  list(): Promise<ProcedureSummary[]>;
  start(id: string): Promise<void>;
  done(run: string, step: number, note: string): Promise<void>;
  stop(run: string, reason: string): Promise<void>;
  /** Select and show an asset (the page's own selection). */
  show(twin: string): void;
}

type Me = { seat: string | null; name: string; role: string };

export class ProceduresPanel {
  private readonly root = el("aside", "panel toolbar-panel");
  private readonly listEl = el("ul", "proc-list");
  private readonly runEl = el("div", "proc-run");
  private readonly stepsEl = el("ul", "proc-steps");
  private readonly currentEl = el("div", "proc-current");
  private readonly stepText = el("p", "");
  private readonly showBtn = el("button", "", "Show asset");
  private readonly gateEl = el("p", "proc-gate");
  private readonly gateNow = el("p", "proc-gate-now");
  private readonly note = el("textarea");
  private readonly doneBtn = el("button", "", "Done");
  private readonly stopBtn = el("button", "", "Stop");
  private readonly reason = el("span", "proc-reason");
  private readonly summary = el("p", "small muted");
  private procedures: ProcedureSummary[] = [];
  private signature = "";
  /** The run and step whose asset was last selected: a step selects its asset once, when it comes up. */
  private shownStep = "";
  private busy = false;
  private state: PlantRoomState | null = null;
  private me: Me = { seat: null, name: "", role: "viewer" };

  constructor(private readonly actions: ProcedureActions) {
    this.root.id = "procedures";
    this.root.setAttribute("aria-label", "Procedures");
    this.root.hidden = true;
    const head = el("div", "panel-head");
    const close = el("button", "", "Close");
    close.type = "button";
    close.addEventListener("click", () => this.toggle(false));
    head.append(el("h2", "", "Procedures"), close);
    this.note.placeholder = "Note";
    this.note.setAttribute("aria-label", "Note for this step");
    this.note.addEventListener("input", () => this.refreshCurrent());
    for (const b of [this.showBtn, this.doneBtn, this.stopBtn]) b.type = "button";
    this.doneBtn.id = "proc-done";
    this.doneBtn.setAttribute("aria-describedby", "proc-reason");
    this.reason.id = "proc-reason";
    this.showBtn.addEventListener("click", () => {
      const a = this.currentStep()?.asset;
      if (a) this.actions.show(a);
    });
    this.doneBtn.addEventListener("click", () => void this.markDone());
    this.stopBtn.addEventListener("click", () => void this.stopRun());
    const actionsRow = el("div", "proc-actions");
    actionsRow.append(this.doneBtn, this.reason);
    this.currentEl.append(this.stepText, this.showBtn, this.gateEl, this.gateNow, this.note, actionsRow);
    this.runEl.append(el("p", "proc-title"), this.summary, this.stepsEl, this.currentEl, this.stopBtn);
    this.root.append(head, this.runEl, this.listEl);
    document.body.appendChild(this.root);

    const open = el("button", "", "Procedures");
    open.id = "btn-procedures";
    open.type = "button";
    open.title = "Step-by-step procedures on the plant's assets, done together";
    open.addEventListener("click", () => this.toggle(this.root.hidden));
    byId("topbar").insertBefore(open, byId("btn-home"));
  }

  toggle(show: boolean): void {
    this.root.hidden = !show;
    if (show && this.procedures.length === 0) void this.load();
    if (show) this.render(true);
  }

  private async load(): Promise<void> {
    try {
      this.procedures = await this.actions.list();
    } catch {
      return; // the session showed why
    }
    this.render(true);
  }

  /** On every room patch: cheap unless the run or the role changed. */
  update(state: PlantRoomState, me: Me): void {
    this.state = state;
    this.me = me;
    const p = state.procedure;
    // A run started by anyone opens the panel for everyone: the room does it together.
    if (p.status === "running" && this.root.hidden && this.shownStep.split(":")[0] !== p.run) this.toggle(true);
    this.render(false);
  }

  private currentStep() {
    const p = this.state?.procedure;
    return p && p.status === "running" ? p.steps[p.step] : undefined;
  }

  private render(force: boolean): void {
    const p = this.state?.procedure;
    if (!p || this.root.hidden) return;
    const sig = [
      p.run,
      p.status,
      p.step,
      p.steps.map((s) => s.doneBy).join(","),
      this.me.role,
      this.procedures.length,
    ].join("|");
    if (force || sig !== this.signature) {
      this.signature = sig;
      this.renderRun();
      this.renderList();
    }
    this.refreshCurrent();
    const cur = this.currentStep();
    const key = `${p.run}:${p.step}`;
    if (cur && key !== this.shownStep) {
      this.shownStep = key;
      this.note.value = "";
      this.actions.show(cur.asset);
    }
  }

  private renderRun(): void {
    const p = this.state!.procedure;
    this.runEl.hidden = p.run === "";
    if (p.run === "") return;
    (this.runEl.firstChild as HTMLElement).textContent = p.title;
    const n = p.steps.length;
    this.summary.textContent =
      p.status === "running"
        ? `Started by ${p.startedBy} · step ${p.step + 1} of ${n}`
        : p.status === "completed"
          ? `Completed · ${n} steps · record ${p.hash.slice(0, 12)}…`
          : `Stopped at step ${p.step + 1} of ${n}`;
    this.stepsEl.replaceChildren(
      ...p.steps.map((s, i) => {
        const li = el("li", s.doneBy ? "done" : i === p.step && p.status === "running" ? "current" : "");
        const when = s.doneAt ? new Date(s.doneAt).toLocaleTimeString() : "";
        // Who did a step and when comes first: the line is cut to one row, the step's text is the part to lose.
        const by = s.doneBy ? ` — ${s.doneBy}, ${when}${s.note ? ` (“${s.note}”)` : ""}` : "";
        li.textContent = `${s.asset}${by}: ${s.text}`;
        li.title = li.textContent;
        return li;
      }),
    );
    const running = p.status === "running";
    this.currentEl.hidden = !running;
    const mayAct = can(this.me.role, "runProcedure");
    this.stopBtn.hidden = !running || !mayAct;
    this.doneBtn.hidden = !mayAct;
    this.note.hidden = !mayAct;
  }

  /** The current step's gate and "Done": refreshed on every patch (the gate's values move). */
  private refreshCurrent(): void {
    const p = this.state?.procedure;
    const s = this.currentStep();
    if (!p || !s) return;
    this.stepText.textContent = `Step ${p.step + 1} on ${s.asset}: ${s.text}`;
    this.gateEl.hidden = s.gate === "";
    this.gateNow.hidden = s.gate === "";
    this.gateEl.textContent = `Gate: ${s.gate}`;
    this.gateNow.textContent = `Now: ${p.gateNow} — ${p.gateHolds ? "holds" : "not met yet"}`;
    this.gateNow.className = `proc-gate-now ${p.gateHolds ? "holds" : "waiting"}`;
    this.note.placeholder = s.evidence === "note" ? "Note (required): what you did or found" : "Note (optional)";
    let why = "";
    if (!can(this.me.role, "runProcedure")) why = "Operators mark steps done; you follow along.";
    else if (!p.gateHolds) why = `Waiting for the gate on ${s.asset}.`;
    else if (s.evidence === "note" && this.note.value.trim() === "") why = "Write a note first.";
    else if (this.busy) why = "Recording…";
    this.doneBtn.disabled = why !== "";
    this.reason.textContent = why;
  }

  private renderList(): void {
    const running = this.state?.procedure.status === "running";
    this.listEl.hidden = running;
    if (running) return;
    const mayStart = can(this.me.role, "runProcedure");
    this.listEl.replaceChildren(
      ...(this.procedures.length
        ? this.procedures.map((pr) => {
            const li = el("li");
            li.dataset["procedure"] = pr.id;
            li.append(el("span", "text", `${pr.title} (${pr.steps} steps)`));
            if (mayStart) {
              const b = el("button", "", "Start");
              b.type = "button";
              b.addEventListener("click", () => void this.actions.start(pr.id).catch(() => {}));
              li.append(b);
            }
            return li;
          })
        : [el("li", "muted small", "This plant has no procedures (assets/plants/<plant>/procedures/).")]),
    );
    if (!mayStart && this.procedures.length) {
      this.listEl.append(el("li", "muted small", "Operators start procedures; you will see them run here."));
    }
  }

  private async markDone(): Promise<void> {
    const p = this.state?.procedure;
    if (!p || this.busy) return;
    this.busy = true;
    this.refreshCurrent();
    try {
      await this.actions.done(p.run, p.step, this.note.value);
    } catch {
      // The refusal sentence was shown by the session.
    } finally {
      this.busy = false;
      this.refreshCurrent();
    }
  }

  private async stopRun(): Promise<void> {
    const p = this.state?.procedure;
    if (!p) return;
    const reason = prompt(`Stop "${p.title}" at step ${p.step + 1}? Say why (it goes in the record):`);
    if (!reason?.trim()) return;
    await this.actions.stop(p.run, reason.trim()).catch(() => {});
  }
}
