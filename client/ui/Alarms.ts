/**
 * The alarms panel: alarms needing attention, most severe and newest first, with
 * acknowledge, shelve (with a reason) and "show me" for roles that may act.
 * Rebuilt only when the alarm set changes; messages are rendered as text.
 */
import { alarmStateWords } from "../../shared/alarmWords.ts";
import type { PlantModel } from "../../shared/plant.ts";
import { can } from "../../shared/permissions.ts";
import type { AlarmState, TwinView } from "../../shared/state.ts";
import { byId, el, toast } from "./dom.ts";

export interface AlarmActions {
  ack(id: string): Promise<void>;
  shelve(id: string, minutes: number, reason: string): Promise<void>;
  unshelve(id: string): Promise<void>;
  focus(twin: string): void;
  /** Play the room back from shortly before this alarm became active. */
  replay(activeAt: number): void;
  /** Download the incident report at `url` (it needs the sign-in token, so not a plain link). */
  report(url: string): Promise<void>;
}

export class Alarms {
  private signature = "";
  private shelveTarget: string | null = null;

  constructor(
    private readonly model: PlantModel,
    private readonly actions: AlarmActions,
  ) {
    const dialog = byId<HTMLDialogElement>("shelve-dialog");
    byId("shelve-cancel").addEventListener("click", () => dialog.close());
    byId<HTMLFormElement>("shelve-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const id = this.shelveTarget;
      const reason = byId<HTMLInputElement>("shelve-reason").value.trim();
      if (!id) return;
      if (!reason) {
        byId("shelve-error").textContent = "Give a reason for shelving.";
        return;
      }
      const minutes = Number(byId<HTMLSelectElement>("shelve-minutes").value);
      this.actions.shelve(id, minutes, reason).then(
        () => dialog.close(),
        (err: Error) => (byId("shelve-error").textContent = err.message),
      );
    });
  }

  update(state: TwinView, role: string): void {
    const alarms = [...state.alarms.values()].sort(
      (a, b) =>
        Number(a.shelvedUntil > 0) - Number(b.shelvedUntil > 0) || b.severity - a.severity || b.activeAt - a.activeAt,
    );
    const sig = alarms.map((a) => `${a.id}|${a.state}|${a.message}|${a.shelvedUntil}|${a.ackedBy}`).join(";") + role;
    if (sig === this.signature) return;
    this.signature = sig;
    const unack = alarms.filter((a) => a.state === "unack-active" || a.state === "rtn-unack").length;
    byId("alarm-count").textContent = alarms.length
      ? `(${alarms.length}${unack ? `, ${unack} unacknowledged` : ""})`
      : "";
    byId("alarm-empty").hidden = alarms.length > 0;
    byId("alarm-list").replaceChildren(...alarms.map((a) => this.row(a, role)));
  }

  private row(a: AlarmState, role: string): HTMLLIElement {
    const li = el("li");
    li.dataset["alarm"] = a.id;
    const shelved = a.shelvedUntil > 0;
    li.className = `${a.state === "unack-active" || a.state === "rtn-unack" ? "unack" : ""}${shelved ? " shelved" : ""}`;
    li.appendChild(el("span", `sev sev${a.severity}`));
    const twin = this.model.twins.find((t) => t.id === a.twin);
    const head = el("span", "head", `${a.twin} ${twin ? "· " + twin.name : ""}`);
    li.appendChild(head);
    const actions = el("span", "actions");
    const show = el("button", "", "Show");
    show.type = "button";
    show.title = `Select ${a.twin} in the 3D view`;
    show.addEventListener("click", () => this.actions.focus(a.twin));
    actions.appendChild(show);
    if (a.activeAt > 0 && can(role, "playback")) {
      const r = el("button", "replay", "−30 s");
      r.type = "button";
      r.title = "Play the plant back from 30 seconds before this alarm";
      r.addEventListener("click", () => this.actions.replay(a.activeAt));
      actions.appendChild(r);
    }
    const report = el("a", "report", "Report");
    report.href = `/api/plants/${encodeURIComponent(this.model.id)}/incidents/${encodeURIComponent(a.id)}?format=html`;
    report.title = "Incident report: signals, lifecycle and who did what (HTML; JSON and CSV via ?format=)";
    report.setAttribute("download", "");
    report.addEventListener("click", (e) => {
      e.preventDefault();
      this.actions.report(report.href).catch((err: Error) => toast(err.message));
    });
    actions.appendChild(report);
    if ((a.state === "unack-active" || a.state === "rtn-unack") && can(role, "acknowledge")) {
      const ack = el("button", "ack", "Ack");
      ack.type = "button";
      ack.title = "Acknowledge this alarm";
      ack.addEventListener("click", () => {
        ack.disabled = true;
        this.actions.ack(a.id).catch(() => (ack.disabled = false));
      });
      actions.appendChild(ack);
    }
    if (can(role, "shelve")) {
      const b = el("button", "", shelved ? "Unshelve" : "Shelve");
      b.type = "button";
      b.addEventListener("click", () => {
        if (shelved) {
          void this.actions.unshelve(a.id).catch(() => {});
          return;
        }
        this.shelveTarget = a.id;
        byId("shelve-what").textContent = `${a.twin}: ${a.message}`;
        byId("shelve-error").textContent = "";
        byId<HTMLInputElement>("shelve-reason").value = "";
        byId<HTMLDialogElement>("shelve-dialog").showModal();
      });
      actions.appendChild(b);
    }
    li.appendChild(actions);
    const when = a.activeAt ? new Date(a.activeAt).toLocaleTimeString() : "";
    const extra = shelved
      ? ` · shelved by ${a.shelvedBy} until ${new Date(a.shelvedUntil).toLocaleTimeString()}`
      : a.ackedBy
        ? ` · acknowledged by ${a.ackedBy}`
        : "";
    const msg = el("span", "msg");
    msg.appendChild(el("span", "state", alarmStateWords(a.state)));
    msg.appendChild(document.createTextNode(` · ${when} · ${a.message}${extra}`));
    li.appendChild(msg);
    return li;
  }
}
