/**
 * Drills on the wrist (docs/TRAINING.md), as plain data like the other tabs. A trainee sees that a drill runs for
 * them (its brief in plant words, never the fault; how long it has run) and "Join drill"; in the drill's room, their
 * score as it comes (time to detect, time to the correct action, wrong actions, alarm handling) and "Debrief", which
 * replays the drill to the room. An instructor sees each trainee's score, ends the drill, starts the debrief, and
 * starts a drill from the headset: the next scenario, pick trainees among the people here, Start.
 * Everything read comes from the page's RoomView snapshot (its `room`); the server decides and refuses.
 */
import { drillOf } from "../../shared/drill.ts";
import { can } from "../../shared/permissions.ts";
import { newDrillRequestId, type DrillSummary } from "../../shared/protocol.ts";
import { debriefBlocked } from "../ui/drillWords.ts";
import { wrap } from "./procedureTab.ts";
import {
  VISIBLE_ROWS,
  type DrillOp,
  type Me,
  type PanelButtonModel,
  type PanelRow,
  type TabModel,
} from "./panelModels.ts";

/** The parts of the room state the tab reads (structural: the room's DrillState, or plain objects in tests). */
export interface DrillTraineeLike {
  user: string;
  name: string;
  status: string;
  detectMs: number;
  correctMs: number;
  points: number;
  wrong: ArrayLike<string>;
  handling: ArrayLike<string>;
}
export interface DrillLike {
  id: string;
  plant: string;
  brief: string;
  instructor: string;
  status: string;
  startedAt: number;
  endedAt: number;
  stopped: string;
  replay: boolean;
  trainees: ArrayLike<DrillTraineeLike>;
}
export interface DrillRoomLike {
  plant: string;
  viewTime: number;
  playbackSpeed: number;
  drills: ReadonlyMap<string, DrillLike>;
  seats: ReadonlyMap<string, { id: string; name: string; user: string }>;
}

/** What a press asks: a room request (with what to do with its reply), or opening the drill's room. */
export type DrillStep =
  | { join: string }
  | {
      type: "drills" | "drillStart" | "drillEnd" | "drillDebrief";
      payload: object;
      done: string;
      then?: (reply: unknown) => void;
    };

const TEXT_LINE = 38;
const SUB_LINE = 54;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const row = (text: string, sub = "", color = "#e8eef2", buttons: PanelRow["buttons"] = [null, null]): PanelRow => ({
  text: clip(text, TEXT_LINE),
  sub: clip(sub, SUB_LINE),
  color,
  buttons,
});
const list = <T>(a: ArrayLike<T>): T[] => Array.from({ length: a.length }, (_, i) => a[i]!);
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** "2:05" since a drill started. */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function hhmm(t: number): string {
  return new Date(t).toLocaleTimeString([], { hour12: false, hour: "2-digit", minute: "2-digit" });
}

/** A score on one line of the wrist (54 characters): "found 12 s · acted 19 s · 1 wrong · 0 alarm findings". */
export function shortScore(t: DrillTraineeLike): string {
  const secs = (ms: number) => (ms < 0 ? "—" : `${Math.round(ms / 1000)} s`);
  return `found ${secs(t.detectMs)} · acted ${secs(t.correctMs)} · ${t.wrong.length} wrong · ${plural(t.handling.length, "alarm finding")}`;
}

/** The four lines of a score: time to detect, time to the correct action, wrong actions, alarm handling. */
export function scoreRows(t: DrillTraineeLike): PanelRow[] {
  const secs = (ms: number) => `${Math.round(ms / 1000)} s`;
  const wrong = list(t.wrong);
  const handling = list(t.handling);
  const good = "#7fd491";
  const bad = "#ffb454";
  return [
    t.detectMs >= 0
      ? row(`Found it in ${secs(t.detectMs)}`, "time to detect, from the fault's start", good)
      : row("Did not find it", "time to detect: none", bad),
    t.correctMs >= 0
      ? row(`Acted in ${secs(t.correctMs)}`, "time to the correct action", good)
      : row("No correct action", "time to the correct action: none", bad),
    wrong.length === 0 ? row("No wrong actions", "", good) : row(plural(wrong.length, "wrong action"), wrong[0], bad),
    handling.length === 0
      ? row("Alarm handling clean", "ISA-18.2: acknowledged in time, nothing hidden", good)
      : row(plural(handling.length, "alarm-handling finding"), handling[0], bad),
  ];
}

export class WristDrills {
  /** The instructor's draft of a new drill: open, the plant's scenarios (null until loaded), which, whom. */
  private draft: { scenarios: DrillSummary[] | null; problem: string; index: number; picked: Set<string> } | null =
    null;

  tab(room: DrillRoomLike, me: Me, now: number): TabModel {
    const user = (me.seat && room.seats.get(me.seat)?.user) || "";
    if (drillOf(room.plant) !== null) return this.inDrill(room, me, user, now);
    if (this.draft && can(me.role, "drill")) return this.starter(room, me, user);
    return this.onPlant(room, me, user, now);
  }

  /** In the drill's own room: the trainee's score (or the brief until it comes); everyone's for the others. */
  private inDrill(room: DrillRoomLike, me: Me, user: string, now: number): TabModel {
    const m: TabModel = { header: "", actions: [null, null, null], rows: [], more: 0 };
    const d = [...room.drills.values()].find((x) => x.plant === room.plant);
    if (!d) {
      m.header = "This drill is no longer on the server";
      return m;
    }
    const since = d.status === "running" ? `under way ${elapsed(now - d.startedAt)}` : `ended ${hhmm(d.endedAt)}`;
    const t = list(d.trainees).find((x) => x.user === user);
    const blocked = debriefBlocked(d, me.role, user);
    m.actions[0] = {
      label: "Debrief",
      action: { kind: "drill", op: { op: "debrief", drill: d.id } },
      ...(blocked ? { disabled: blocked } : {}),
    };
    if (can(me.role, "drill") && d.status === "running")
      m.actions[1] = { label: "End drill", action: { kind: "drill", op: { op: "end", drill: d.id } } };
    if (t?.status === "scored") {
      m.header = `Your score: ${t.points} points`;
      m.rows.push(...scoreRows(t));
    } else if (t) {
      m.header = `Drill for you · ${since}`;
      const lines = wrap(d.brief, [TEXT_LINE, SUB_LINE, TEXT_LINE, SUB_LINE, TEXT_LINE, SUB_LINE]);
      for (let i = 0; i < 3 && i * 2 < lines.length; i++) m.rows.push(row(lines[i * 2]!, lines[i * 2 + 1] ?? ""));
      m.rows.push(row("Find what is wrong and act", "your score comes when you do", "#9fd3ff"));
    } else {
      m.header = `Drill · ${since}`;
      const ts = list(d.trainees);
      for (const x of ts.slice(0, VISIBLE_ROWS))
        m.rows.push(
          x.status === "scored"
            ? row(`${x.name}: ${x.points} points`, shortScore(x), "#7fd491")
            : row(`${x.name}: working on it…`, "", "#9fd3ff"),
        );
      m.more = Math.max(0, ts.length - VISIBLE_ROWS);
    }
    // The debrief is the room's shared playback: say where it stands over whatever the header said.
    if (room.viewTime > 0)
      m.header = `Debrief ${room.playbackSpeed ? `▶ ${room.playbackSpeed}×` : "paused"} at ${new Date(room.viewTime).toLocaleTimeString([], { hour12: false })}`;
    return m;
  }

  /** In the plant's room: a drill running for me (Join), the drills under way, and New drill for instructors. */
  private onPlant(room: DrillRoomLike, me: Me, user: string, now: number): TabModel {
    const m: TabModel = { header: "", actions: [null, null, null], rows: [], more: 0 };
    if (can(me.role, "drill")) m.actions[2] = { label: "New drill", action: { kind: "drill", op: { op: "new" } } };
    const drills = [...room.drills.values()].sort((a, b) => b.startedAt - a.startedAt);
    const mine = drills.find((d) => d.status === "running" && list(d.trainees).some((t) => t.user === user));
    if (mine) {
      m.header = "A drill is running for you";
      m.actions[0] = { label: "Join drill", action: { kind: "drill", op: { op: "join", plant: mine.plant } } };
      const lines = wrap(mine.brief, [TEXT_LINE, SUB_LINE, TEXT_LINE, SUB_LINE]);
      for (let i = 0; i < 2 && i * 2 < lines.length; i++) m.rows.push(row(lines[i * 2]!, lines[i * 2 + 1] ?? ""));
      m.rows.push(row(`Under way ${elapsed(now - mine.startedAt)}`, `instructor ${mine.instructor}`, "#9fd3ff"));
      m.rows.push(row("Join drill reopens the page there:", "enter VR again to take part", "#b8c7d1"));
      return m;
    }
    const running = drills.filter((d) => d.status === "running");
    m.header = running.length ? `${plural(running.length, "drill")} under way` : "No drill under way";
    // Drills that concern me: under way (instructors may watch), or ended with my score or why they stopped.
    const shown = drills.filter(
      (d) => d.status === "running" || can(me.role, "drill") || list(d.trainees).some((t) => t.user === user),
    );
    for (const d of shown.slice(0, VISIBLE_ROWS)) {
      const names = list(d.trainees)
        .map((t) => t.name)
        .join(", ");
      const own = list(d.trainees).find((t) => t.user === user && t.status === "scored");
      const watch: PanelButtonModel | null =
        can(me.role, "drill") && d.replay
          ? { label: "Watch", action: { kind: "drill", op: { op: "join", plant: d.plant } } }
          : null;
      m.rows.push(
        d.status === "running"
          ? row(`Drill for ${names}`, `under way ${elapsed(now - d.startedAt)} · ${d.instructor}`, "#9fd3ff", [
              null,
              watch,
            ])
          : row(
              own ? `Your drill: ${own.points} points` : `Drill for ${names}: ended`,
              d.stopped || (own ? shortScore(own) : `ended ${hhmm(d.endedAt)} · ${d.instructor}`),
              d.stopped ? "#ffb454" : "#b8c7d1",
              [null, watch],
            ),
      );
    }
    m.more = Math.max(0, shown.length - VISIBLE_ROWS);
    if (!shown.length)
      m.rows.push(
        can(me.role, "drill")
          ? row("New drill: pick a scenario and trainees", "among the people in this room")
          : row("An instructor starts drills", "you are asked to join when one is for you"),
      );
    return m;
  }

  /** People who could be trained: everyone here but me (by seat and by person), and whether a drill holds them. */
  private candidates(room: DrillRoomLike, me: Me, user: string) {
    const busy = new Set<string>();
    for (const d of room.drills.values())
      if (d.status === "running") for (const t of list(d.trainees)) busy.add(t.user);
    return (
      [...room.seats.values()]
        .filter((s) => s.id !== me.seat && (!user || s.user !== user))
        // Read field by field: a room-state seat keeps its fields behind accessors that a spread does not copy.
        .map((s) => ({ id: s.id, name: s.name, user: s.user, busy: busy.has(s.user) }))
    );
  }

  /** The instructor's new drill: the scenario (next with "Scenario ▸"), trainees picked among the people here. */
  private starter(room: DrillRoomLike, me: Me, user: string): TabModel {
    const d = this.draft!;
    const back: PanelButtonModel = { label: "Back", action: { kind: "drill", op: { op: "back" } } };
    const m: TabModel = { header: "", actions: [null, null, back], rows: [], more: 0 };
    if (!d.scenarios) {
      m.header = d.problem || "Loading the plant's drills…";
      return m;
    }
    const sc = d.scenarios[d.index];
    if (!sc) {
      m.header = "This plant has no drill scenarios";
      m.rows.push(row("Scenarios are files beside plant.json:", "drills/*.json (docs/TRAINING.md)"));
      return m;
    }
    m.header = clip(`Drill: ${sc.title}`, 44);
    const people = this.candidates(room, me, user);
    for (const id of [...d.picked]) if (!people.some((p) => p.id === id && !p.busy)) d.picked.delete(id);
    m.actions[0] = {
      label: "Scenario ▸",
      action: { kind: "drill", op: { op: "scenario" } },
      ...(d.scenarios.length < 2 ? { disabled: "This plant has one drill scenario" } : {}),
    };
    const why = !people.length
      ? "Nobody else is in the room to train"
      : d.picked.size === 0
        ? "Pick the trainees below"
        : "";
    m.actions[1] = {
      label: `Start${d.picked.size ? ` (${d.picked.size})` : ""}`,
      action: { kind: "drill", op: { op: "start" } },
      ...(why ? { disabled: why } : {}),
    };
    if (!people.length) m.rows.push(row("Nobody else is in the room to train", "trainees join the plant first"));
    for (const p of people.slice(0, VISIBLE_ROWS)) {
      const picked = d.picked.has(p.id);
      const pick: PanelButtonModel = p.busy
        ? {
            label: "Pick",
            action: { kind: "drill", op: { op: "pick", seat: p.id } },
            disabled: `${p.name} is in a drill`,
          }
        : { label: picked ? "Drop" : "Pick", action: { kind: "drill", op: { op: "pick", seat: p.id } } };
      m.rows.push(
        row(p.name, picked ? "trainee" : p.busy ? "in a drill under way" : "", picked ? "#7fd491" : "#e8eef2", [
          null,
          pick,
        ]),
      );
    }
    m.more = Math.max(0, people.length - VISIBLE_ROWS);
    return m;
  }

  /** A press on the tab: what to ask the room (or the drill room to open); null when it only changed the draft. */
  act(op: DrillOp, room: DrillRoomLike | null): DrillStep | null {
    switch (op.op) {
      case "join":
        return { join: op.plant };
      case "end":
        return { type: "drillEnd", payload: { drill: op.drill }, done: "Drill ended: everyone is scored" };
      case "debrief":
        return { type: "drillDebrief", payload: { drill: op.drill }, done: "Debrief: replaying the drill" };
      case "new": {
        const draft = { scenarios: null as DrillSummary[] | null, problem: "", index: 0, picked: new Set<string>() };
        this.draft = draft;
        return {
          type: "drills",
          payload: {},
          done: "",
          then: (reply) => (draft.scenarios = (reply as { drills: DrillSummary[] }).drills),
        };
      }
      case "back":
        this.draft = null;
        return null;
      case "scenario":
        if (this.draft?.scenarios?.length) this.draft.index = (this.draft.index + 1) % this.draft.scenarios.length;
        return null;
      case "pick": {
        const picked = this.draft?.picked;
        if (picked && !picked.delete(op.seat)) picked.add(op.seat);
        return null;
      }
      case "start": {
        const d = this.draft;
        const sc = d?.scenarios?.[d.index];
        if (!d || !sc || !room) return null;
        return {
          type: "drillStart",
          payload: { scenario: sc.id, trainees: [...d.picked], request: newDrillRequestId() },
          done: "Drill started: the trainees are asked to join",
          then: () => (this.draft = null),
        };
      }
    }
  }

  /** The scenario list could not be read (the reason shows where the list would). */
  failed(message: string): void {
    if (this.draft && !this.draft.scenarios) this.draft.problem = message;
  }
}
