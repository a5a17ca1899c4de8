/**
 * Incidents under the alarm list: the plant's recent alarm activations, open ones with "Close" (operators and up)
 * and closed ones with who closed them, why, and where their work order stands — sending, delivered at a time, or
 * not accepted yet with the receiver's last answer, the attempts so far and the next try. The server decides and
 * delivers; the panel shows room state `incidents` (shared/incidentState.ts).
 */
import type { IncidentState } from "../../shared/incidentState.ts";
import type { PlantModel } from "../../shared/plant.ts";
import { can } from "../../shared/permissions.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { byId, el } from "./dom.ts";
import "./incidents.css";

export interface IncidentActions {
  close(alarm: string, activeAt: number, summary: string): Promise<void>;
}

const time = (t: number) => new Date(t).toLocaleTimeString();

/** Where a closed incident's work order stands, in words, and the class that colours it. */
export function workOrderWords(s: IncidentState): { text: string; cls: string } {
  switch (s.workOrder) {
    case "delivered":
      return {
        text: `Work order delivered at ${time(s.deliveredAt)}${s.attempts > 1 ? ` (after ${s.attempts} attempts)` : ""}`,
        cls: "delivered",
      };
    case "failing":
      return {
        text: `Work order not accepted yet: ${s.lastError} · ${s.attempts} attempt${s.attempts === 1 ? "" : "s"}${s.nextAttemptAt ? ` · next try ${time(s.nextAttemptAt)}` : ""}`,
        cls: "failing",
      };
    case "pending":
      return { text: "Work order: sending…", cls: "pending" };
    default:
      return { text: "No work order (hand-off to maintenance is not set up on this server)", cls: "muted" };
  }
}

export class IncidentsPanel {
  private readonly list = el("ul");
  private readonly dialog = el("dialog");
  private readonly summary = el("textarea");
  private readonly what = el("p", "muted small");
  private readonly error = el("p", "error");
  private target: { alarm: string; activeAt: number } | null = null;
  private signature = "";

  constructor(
    private readonly model: PlantModel,
    private readonly actions: IncidentActions,
  ) {
    const section = el("section");
    section.id = "incidents";
    this.list.id = "incident-list";
    section.append(el("h3", "", "Incidents"), this.list);
    byId("alarms").appendChild(section);
    this.buildDialog();
  }

  private buildDialog(): void {
    const form = el("form");
    this.dialog.id = "incident-close-dialog";
    this.summary.id = "incident-summary";
    this.summary.maxLength = 500;
    this.summary.rows = 3;
    this.summary.placeholder = "Replace the mechanical seal of P401; check the suction strainer";
    const label = el("label", "", "What needs doing (goes into the work order)");
    label.appendChild(this.summary);
    const row = el("div", "row");
    const cancel = el("button", "", "Cancel");
    cancel.type = "button";
    cancel.addEventListener("click", () => this.dialog.close());
    const ok = el("button", "", "Close incident");
    ok.type = "submit";
    row.append(cancel, ok);
    form.append(el("h1", "", "Close incident"), this.what, label, this.error, row);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const t = this.target;
      const text = this.summary.value.trim();
      if (!t) return;
      if (!text) {
        this.error.textContent = "Say what needs doing.";
        return;
      }
      ok.disabled = true;
      this.actions.close(t.alarm, t.activeAt, text).then(
        () => {
          ok.disabled = false;
          this.dialog.close();
        },
        (err: Error) => {
          ok.disabled = false;
          this.error.textContent = err.message;
        },
      );
    });
    this.dialog.appendChild(form);
    document.body.appendChild(this.dialog);
  }

  update(state: PlantRoomState, role: string): void {
    const items = [...state.incidents.values()].sort((a, b) => b.activeAt - a.activeAt);
    // The live alarm's state too: acknowledging it is what enables Close.
    const sig =
      items
        .map(
          (s) =>
            `${s.alarm}|${s.activeAt}|${s.closedBy}|${s.workOrder}|${s.attempts}|${s.lastError}|${s.nextAttemptAt}|${state.alarms.get(s.alarm)?.state ?? ""}`,
        )
        .join(";") + role;
    if (sig === this.signature) return;
    this.signature = sig;
    this.list.replaceChildren(...items.map((s) => this.row(s, role, state)));
    byId("incidents").hidden = items.length === 0;
  }

  private row(s: IncidentState, role: string, state: PlantRoomState): HTMLLIElement {
    const li = el("li");
    li.dataset["incident"] = `${s.alarm}@${s.activeAt}`;
    const twin = this.model.twins.find((t) => t.id === s.twin);
    const head = el("div", "head");
    head.appendChild(
      el(
        "span",
        "what",
        `${s.twin}${twin ? ` · ${twin.name}` : ""}: ${s.message || "alarm"} · raised ${time(s.activeAt)}`,
      ),
    );
    if (!s.closedBy && can(role, "closeIncident")) {
      const b = el("button", "close-incident", "Close");
      b.type = "button";
      const live = state.alarms.get(s.alarm);
      const unacked =
        live !== undefined &&
        live.activeAt === s.activeAt &&
        (live.state === "unack-active" || live.state === "rtn-unack");
      b.disabled = unacked;
      b.title = unacked
        ? "Acknowledge the alarm before closing its incident"
        : "Close this incident and hand it to maintenance as a work order";
      b.addEventListener("click", () => this.open(s));
      head.appendChild(b);
    }
    li.appendChild(head);
    if (s.closedBy) {
      li.appendChild(el("span", "muted", `Closed by ${s.closedBy} at ${time(s.closedAt)}: “${s.summary}”`));
      const wo = workOrderWords(s);
      li.appendChild(el("span", `wo ${wo.cls}`, wo.text));
    } else {
      li.appendChild(el("span", "muted", "Open"));
    }
    return li;
  }

  private open(s: IncidentState): void {
    this.target = { alarm: s.alarm, activeAt: s.activeAt };
    this.what.textContent = `${s.twin}: ${s.message} (raised ${time(s.activeAt)})`;
    this.error.textContent = "";
    this.summary.value = "";
    this.dialog.showModal();
  }
}
