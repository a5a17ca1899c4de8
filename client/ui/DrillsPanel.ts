/**
 * The drills panel (docs/TRAINING.md). In the plant's own room: instructors (experts) pick a scenario and trainees
 * among the people in the room and start a drill; a trainee is offered "Join drill" (the drill runs in its own
 * sandbox room); scores over time under "Drill scores" (an instructor sees everyone's, anyone else their own: the
 * server filters). In a drill's room: the brief, who is being drilled, each trainee's score as it comes, "End drill"
 * for instructors and "Debrief" (replay the drill to the room) for them and for a trainee once scored.
 */
import { drillOf } from "../../shared/drill.ts";
import type { DrillScoreRecord, DrillState } from "../../shared/drillState.ts";
import { can } from "../../shared/permissions.ts";
import type { DrillSummary } from "../../shared/protocol.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { byId, el, toast } from "./dom.ts";
import { debriefBlocked, scoreLine } from "./drillWords.ts";
import "./toolbarPanel.css";
import "./drills.css";

export interface DrillActions {
  list(): Promise<DrillSummary[]>;
  start(scenario: string, trainees: string[]): Promise<void>;
  end(drill: string): Promise<void>;
  /** Replay the drill to the room from its start (shared playback) and mark the trainees' actions. */
  debrief(drill: DrillState): Promise<void>;
  /** Open the drill's sandbox room in this page. */
  join(plant: string): void;
  scores(): Promise<DrillScoreRecord[]>;
}

type Me = { seat: string | null; name: string; role: string };

const hhmm = (t: number) => new Date(t).toLocaleTimeString([], { hour12: false });

export class DrillsPanel {
  private readonly root = el("aside", "panel toolbar-panel");
  private readonly current = el("div", "drill-current");
  private readonly starter = el("div", "drill-start");
  private readonly history = el("div", "drill-history");
  private readonly historyTitle = el("h2", "", "Drill scores");
  private scenarios: DrillSummary[] = [];
  private state: PlantRoomState | null = null;
  private me: Me = { seat: null, name: "", role: "viewer" };
  private signature = "";
  private opened = new Set<string>();

  constructor(private readonly actions: DrillActions) {
    this.root.id = "drills";
    this.root.setAttribute("aria-label", "Drills");
    this.root.hidden = true;
    const head = el("div", "panel-head");
    const close = el("button", "", "Close");
    close.type = "button";
    close.addEventListener("click", () => this.toggle(false));
    head.append(el("h2", "", "Drills"), close);
    this.root.append(head, this.current, this.starter, this.historyTitle, this.history);
    document.body.appendChild(this.root);
    const open = el("button", "", "Drills");
    open.id = "btn-drills";
    open.type = "button";
    open.title = "Practise on a copy of the plant: an instructor starts a drill, trainees find the fault and act";
    open.addEventListener("click", () => this.toggle(this.root.hidden));
    byId("topbar").insertBefore(open, byId("btn-home"));
  }

  toggle(show: boolean): void {
    this.root.hidden = !show;
    if (!show) return;
    if (this.scenarios.length === 0 && can(this.me.role, "drill") && !this.inDrill()) void this.loadScenarios();
    void this.loadScores();
    this.render(true);
  }

  private inDrill(): boolean {
    return this.state !== null && drillOf(this.state.plant) !== null;
  }

  private myUser(): string {
    return (this.me.seat && this.state?.seats.get(this.me.seat)?.user) || "";
  }

  private async loadScenarios(): Promise<void> {
    try {
      this.scenarios = await this.actions.list();
    } catch {
      return; // the session showed why
    }
    this.render(true);
  }

  private async loadScores(): Promise<void> {
    try {
      this.renderScores(await this.actions.scores());
    } catch (e) {
      this.history.replaceChildren(el("p", "small muted", `Scores not available: ${(e as Error).message}`));
    }
  }

  /** On every room patch: cheap unless the drills, the seats or the role changed. */
  update(state: PlantRoomState, me: Me): void {
    this.state = state;
    this.me = me;
    const user = this.myUser();
    // A drill that concerns me opens the panel once: a trainee is offered "Join drill"; in a drill room, its brief.
    for (const d of state.drills.values()) {
      const mine = d.plant === state.plant || d.trainees.some((t) => t.user === user);
      // In the drill's room, the score opens the panel again when it comes (for the trainee and the instructor).
      const key = d.plant === state.plant && d.trainees.some((t) => t.status === "scored") ? `${d.id}:scored` : d.id;
      if (mine && user && !this.opened.has(key) && (d.status === "running" || key.endsWith(":scored"))) {
        this.opened.add(key);
        if (this.root.hidden) this.toggle(true);
      }
    }
    this.render(false);
  }

  private render(force: boolean): void {
    const s = this.state;
    if (!s || this.root.hidden) return;
    const drills = [...s.drills.values()];
    const sig = [
      s.plant,
      this.me.role,
      this.myUser(),
      this.scenarios.length,
      [...s.seats.values()].map((x) => `${x.id}:${x.name}`).join(","),
      drills.map((d) => `${d.id}:${d.status}:${d.trainees.map((t) => t.status).join("")}`).join(","),
    ].join("|");
    if (!force && sig === this.signature) return;
    const scoredBefore = this.signature.split("scored").length;
    this.signature = sig;
    this.renderCurrent(drills);
    this.renderStarter();
    if (sig.split("scored").length !== scoredBefore) void this.loadScores();
  }

  private renderCurrent(drills: DrillState[]): void {
    const s = this.state!;
    const user = this.myUser();
    const own = drills.find((d) => d.plant === s.plant);
    // In the plant's room: the drills under way, and those a restart stopped (so nobody wonders where theirs went).
    const shown = own ? [own] : drills.filter((d) => d.status === "running" || d.stopped !== "");
    this.current.replaceChildren(
      ...(own
        ? [
            el(
              "p",
              "drill-sandbox",
              "This is a drill on a copy of the plant: nothing done here reaches the real plant.",
            ),
          ]
        : []),
      ...shown.map((d) => this.drillCard(d, d === own, user)),
    );
    if (!own && shown.length === 0) this.current.append(el("p", "small muted", "No drill is under way."));
  }

  private drillCard(d: DrillState, here: boolean, user: string): HTMLElement {
    const card = el("div", `drill-card ${d.status}`);
    card.dataset["drill"] = d.id;
    const names = d.trainees.map((t) => t.name).join(", ");
    const since = d.status === "running" ? `under way since ${hhmm(d.startedAt)}` : `ended ${hhmm(d.endedAt)}`;
    card.append(el("p", "drill-title", `Drill for ${names} · ${since} · instructor ${d.instructor}`));
    if (d.stopped) card.append(el("p", "drill-stopped", `${d.stopped}: its trainees were scored as things stood.`));
    if (here || d.trainees.some((t) => t.user === user)) card.append(el("p", "drill-brief", d.brief));
    const instructs = can(this.me.role, "drill");
    // A drill recovered after a restart has no sandbox any more: nothing to join or watch.
    if (!here && d.replay && (instructs || d.trainees.some((t) => t.user === user))) {
      const join = el("button", "", d.trainees.some((t) => t.user === user) ? "Join drill" : "Watch drill");
      join.type = "button";
      join.addEventListener("click", () => this.actions.join(d.plant));
      card.append(join);
    }
    if (here) {
      const list = el("ul", "drill-trainees");
      for (const t of d.trainees) {
        const li = el("li", `trainee ${t.status}`);
        li.dataset["user"] = t.user;
        if (t.status === "scored") {
          li.append(el("strong", "points", `${t.name}: ${t.points} points`), el("span", "", ` — ${scoreLine(t)}`));
          for (const line of [...t.wrong, ...t.handling]) li.append(el("div", "finding", line));
        } else li.textContent = `${t.name}: working on it…`;
        list.append(li);
      }
      card.append(list);
      if (instructs && d.status === "running")
        card.append(this.button("End drill", "drill-end", () => this.actions.end(d.id)));
      // The server's rule, shared with the headset: the instructor, or a trainee once scored.
      const blocked = debriefBlocked(d, this.me.role, user);
      if (instructs || d.trainees.some((t) => t.user === user)) {
        const b = this.button("Debrief", "drill-debrief", () => this.actions.debrief(d));
        b.disabled = blocked !== "";
        b.title = blocked || "Replay the drill to everyone in this room, from its start";
        card.append(b);
        if (blocked) card.append(el("span", "small muted", ` ${blocked}.`));
      }
    }
    return card;
  }

  private button(text: string, id: string, act: () => Promise<void>): HTMLButtonElement {
    const b = el("button", "", text);
    b.id = id;
    b.type = "button";
    b.addEventListener("click", () => void act().catch((e: Error) => toast(e.message)));
    return b;
  }

  private renderStarter(): void {
    const s = this.state!;
    this.starter.replaceChildren();
    if (this.inDrill() || !can(this.me.role, "drill")) return;
    this.starter.append(el("h2", "", "Start a drill"));
    if (this.scenarios.length === 0) {
      this.starter.append(
        el("p", "small muted", "This plant has no drill scenarios (drills/*.json beside plant.json)."),
      );
      return;
    }
    const pick = el("select");
    pick.id = "drill-scenario";
    pick.setAttribute("aria-label", "Scenario");
    for (const sc of this.scenarios) {
      const o = el("option", "", sc.title);
      o.value = sc.id;
      pick.append(o);
    }
    // Who could be trained: everyone here but me (this seat, or me on another device); a trainee of a drill under
    // way is shown but cannot be picked (the server refuses it too).
    const user = this.myUser();
    const busy = new Set(
      [...s.drills.values()].filter((d) => d.status === "running").flatMap((d) => d.trainees.map((t) => t.user)),
    );
    const people = [...s.seats.values()].filter((x) => x.id !== this.me.seat && (!user || x.user !== user));
    const free = people.filter((p) => !busy.has(p.user));
    const boxes = people.map((p) => {
      const label = el("label", "drill-trainee");
      const box = el("input");
      box.type = "checkbox";
      box.value = p.id;
      box.disabled = busy.has(p.user);
      label.append(box, ` ${p.name}${box.disabled ? " (in a drill under way)" : ""}`);
      return label;
    });
    const go = el("button", "", "Start drill");
    go.id = "drill-go";
    go.type = "button";
    const why = el("span", "small muted");
    const checked = () =>
      boxes
        .map((b) => b.firstChild as HTMLInputElement)
        .filter((b) => b.checked)
        .map((b) => b.value);
    const refresh = () => {
      const n = checked().length;
      go.disabled = n === 0;
      why.textContent =
        people.length === 0
          ? "Nobody else is in the room to train."
          : free.length === 0
            ? "Everyone else here is in a drill under way."
            : n === 0
              ? "Choose the trainees."
              : "";
      go.title = why.textContent;
    };
    for (const b of boxes) b.addEventListener("change", refresh);
    go.addEventListener("click", () => {
      go.disabled = true;
      this.actions.start(pick.value, checked()).then(
        () => toast("Drill started: the trainees are asked to join it."),
        (e: Error) => {
          toast(e.message);
          refresh();
        },
      );
    });
    refresh();
    this.starter.append(pick, ...(people.length ? [el("p", "small", "Trainees:"), ...boxes] : []), el("div"), go, why);
  }

  private renderScores(scores: DrillScoreRecord[]): void {
    const all = can(this.me.role, "drill");
    this.historyTitle.textContent = all ? "Drill scores" : "Your drill scores";
    if (scores.length === 0) {
      // No table with an empty header: just the sentence.
      this.history.replaceChildren(
        el(
          "p",
          "small muted drill-no-scores",
          all ? "No drill scored on this plant yet." : "No drill scored for you yet.",
        ),
      );
      return;
    }
    const table = el("table", "drill-scores");
    const head = el("tr");
    for (const h of ["When", "Who", "Scenario", "Points", "Found", "Acted", "Wrong", "Handling"])
      head.append(el("th", "", h));
    const secs = (ms: number | null) => (ms === null ? "—" : `${Math.round(ms / 1000)} s`);
    const rows = scores.map((r) => {
      const tr = el("tr");
      tr.title = [...r.wrong, ...r.handling].join("\n");
      const when = new Date(r.scoredAt).toLocaleString([], { hour12: false });
      for (const c of [
        when,
        r.name,
        r.title,
        String(r.points),
        secs(r.detectMs),
        secs(r.correctMs),
        String(r.wrong.length),
        String(r.handling.length),
      ])
        tr.append(el("td", "", c));
      return tr;
    });
    table.append(head, ...rows);
    this.history.replaceChildren(table);
  }
}
