/**
 * What the in-XR tabs show, as plain data: pure functions from the room state
 * (and who this participant is) to a header, up to three action buttons and a
 * few rows with up to two buttons each. The panel renders these into fixed GUI
 * controls; a button press hands back the button's `action`. Permissions come
 * from the same table the server enforces (shared/permissions.ts), so a headset
 * offers exactly what the desktop offers to the same role.
 */
import { alarmStateWords } from "../../shared/alarmWords.ts";
import { can } from "../../shared/permissions.ts";

export type XrTab = "asset" | "whatif" | "alarms" | "steps" | "drills" | "people" | "notes" | "time" | "align";
/** In reading order: the tab strip lays them out in rows (panelLayout.ts TAB_COLUMNS a row). */
export const TABS: readonly XrTab[] = [
  "asset",
  "whatif",
  "alarms",
  "steps",
  "drills",
  "people",
  "notes",
  "time",
  "align",
];
export const TAB_LABELS: Readonly<Record<XrTab, string>> = {
  asset: "Asset",
  /** What if… on the selected asset, and the room's what-ifs (whatIfTab.ts). */
  whatif: "What if",
  alarms: "Alarms",
  /** The room's procedure run (procedureTab.ts). */
  steps: "Steps",
  /** Drills: the one running for me, my score, the debrief; an instructor starts one (drillTab.ts). */
  drills: "Drills",
  people: "People",
  notes: "Notes",
  time: "Time",
  align: "Align",
};

/** Rows a list tab shows at once (the panel is 30 cm wide; text ≥ 1.2 cm). */
export const VISIBLE_ROWS = 4;
/** A pin note in one press (the desktop can edit the text later); "Write…" opens the keyboard for anything else. */
export const QUICK_LABELS = ["Check here", "Leak?"] as const;
/** Shelving from the headset: a fixed duration and reason, since nothing can be typed. */
export const XR_SHELVE_MINUTES = 60;
export const XR_SHELVE_REASON = "Shelved from a headset for 1 h";

export type PanelAction =
  | { kind: "ack"; alarm: string }
  | { kind: "shelve"; alarm: string }
  | { kind: "unshelve"; alarm: string }
  | { kind: "follow"; seat: string | null }
  | { kind: "note"; text: string }
  | { kind: "resolve"; id: string }
  | { kind: "calibrate"; define: boolean }
  | { kind: "calibrate-cancel" }
  | { kind: "calibrate-undo" }
  | { kind: "move" }
  /** Open the in-XR keyboard to write a note on the selected asset (keyboardLayout.ts). */
  | { kind: "write" }
  /** Incident reports (incidentTab.ts): pick an alarm, read its report page by page, go back. */
  | { kind: "reports" }
  | { kind: "report"; alarm: string }
  | { kind: "report-page"; dir: 1 | -1 }
  | { kind: "report-back" }
  /** Shared timeline (timeTab.ts): move the room's time by `ms`, to an instant, back to live; bookmark the shown time. */
  | { kind: "scrub"; ms: number }
  | { kind: "seek"; t: number }
  | { kind: "live" }
  | { kind: "bookmark" }
  /** The procedure run (procedureTab.ts): mark the shown step done; select its asset. */
  | { kind: "proc-done"; run: string; step: number }
  | { kind: "proc-show"; twin: string }
  /** What if… (whatIfTab.ts). */
  | { kind: "whatif"; op: WhatIfOp }
  /** Drills (drillTab.ts). */
  | { kind: "drill"; op: DrillOp };

/**
 * Drills from the wrist: join the drill's room (the page reopens there), end it, start its debrief; an instructor's
 * draft: open it, the next scenario, pick or drop a trainee, start, back.
 */
export type DrillOp =
  | { op: "join"; plant: string }
  | { op: "end"; drill: string }
  | { op: "debrief"; drill: string }
  | { op: "new" }
  | { op: "back" }
  | { op: "scenario" }
  | { op: "pick"; seat: string }
  | { op: "start" };

/**
 * What if… from the wrist: pick the next point the model can change, step the value or the look-ahead,
 * ask the room, draw one of the room's what-ifs as the ghost, remove one.
 */
export type WhatIfOp =
  | { op: "point" }
  | { op: "value"; dir: 1 | -1 }
  | { op: "ahead"; dir: 1 | -1 }
  | { op: "predict" }
  | { op: "show"; id: string }
  | { op: "remove"; id: string };

export interface PanelButtonModel {
  label: string;
  action: PanelAction;
  /** Shown greyed; a press says this reason instead of acting ("Waiting for the gate on P401"). */
  disabled?: string;
}

export interface PanelRow {
  text: string;
  sub: string;
  color: string;
  /** Two slots at the row's right end. */
  buttons: [PanelButtonModel | null, PanelButtonModel | null];
  /** A sentence too long for one line (no sub, no buttons): it wraps onto the sub line's space. */
  wrap?: boolean;
}

export interface TabModel {
  header: string;
  /** Three slots under the header. */
  actions: [PanelButtonModel | null, PanelButtonModel | null, PanelButtonModel | null];
  rows: PanelRow[];
  /** Items not shown (beyond VISIBLE_ROWS). */
  more: number;
  /** A scrubber drawn over row 0 (the Time tab): where the shown time sits between its two ends, 0..1. */
  slider?: { at: number; from: string; to: string };
}

export interface Me {
  seat: string | null;
  name: string;
  role: string;
}

/** The fields of the room state the tabs read (structural, so tests pass plain objects). */
export interface AlarmLike {
  id: string;
  twin: string;
  severity: number;
  state: string;
  message: string;
  activeAt: number;
  ackedBy: string;
  shelvedBy: string;
  shelvedUntil: number;
}
export interface SeatLike {
  id: string;
  name: string;
  color: string;
  device: string;
  presence: string;
  joinedAt: number;
  inCall: boolean;
  muted: boolean;
  speaking: boolean;
}
export interface NoteLike {
  id: string;
  kind: string;
  twin: string;
  text: string;
  author: string;
  authorSeat: string;
  color: string;
  status: string;
  createdAt: number;
}

const SEVERITY_COLORS = ["#e8eef2", "#9fd3ff", "#f3c30f", "#ff9f43", "#ff6b5e"];
const MAX_TEXT = 24;

function clip(s: string, n = MAX_TEXT): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function empty(header: string): TabModel {
  return { header, actions: [null, null, null], rows: [], more: 0 };
}

function unacked(a: AlarmLike): boolean {
  return a.state === "unack-active" || a.state === "rtn-unack";
}

function clock(t: number): string {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/** Alarms, unacknowledged first, then by severity and recency; Ack / Shelve / Unshelve as the role allows. */
export function alarmsTab(alarms: Iterable<AlarmLike>, role: string): TabModel {
  const list = [...alarms].sort(
    (a, b) =>
      Number(a.shelvedUntil > 0) - Number(b.shelvedUntil > 0) ||
      Number(unacked(b)) - Number(unacked(a)) ||
      b.severity - a.severity ||
      b.activeAt - a.activeAt,
  );
  if (!list.length) return empty("No alarms");
  // A shelved alarm is out of the operator's way until it comes back: not counted as waiting.
  const open = list.filter((a) => unacked(a) && a.shelvedUntil === 0).length;
  const m = empty(`${list.length} alarm${list.length === 1 ? "" : "s"}${open ? ` · ${open} not acknowledged` : ""}`);
  for (const a of list.slice(0, VISIBLE_ROWS)) {
    const shelved = a.shelvedUntil > 0;
    // The state in the same words as the desktop's alarm list (shared/alarmWords.ts), then who acted on it.
    const status = shelved
      ? `Shelved until ${clock(a.shelvedUntil)}${a.shelvedBy ? ` by ${a.shelvedBy}` : ""}`
      : `${alarmStateWords(a.state)}${a.ackedBy && !unacked(a) ? ` by ${a.ackedBy}` : ""}`;
    m.rows.push({
      text: clip(`${a.twin} · ${a.message}`),
      sub: clip(status, 36),
      color: SEVERITY_COLORS[a.severity] ?? SEVERITY_COLORS[0]!,
      buttons: [
        unacked(a) && !shelved && can(role, "acknowledge")
          ? { label: "Ack", action: { kind: "ack", alarm: a.id } }
          : null,
        !can(role, "shelve")
          ? null
          : shelved
            ? { label: "Unshelve", action: { kind: "unshelve", alarm: a.id } }
            : { label: "Shelve", action: { kind: "shelve", alarm: a.id } },
      ],
    });
  }
  m.more = list.length - m.rows.length;
  return m;
}

/** Everyone in the room, oldest seat first, with device and voice state; Follow for the others. */
/**
 * Who is here, with Follow; and "Move device": a handoff code to type on the laptop (or tablet) this
 * session should continue on, shown in the header while it is valid (`moveCode`).
 */
export function peopleTab(
  seats: Iterable<SeatLike>,
  me: Me,
  following: string | null,
  moveCode: string | null = null,
): TabModel {
  const list = [...seats].sort((a, b) => a.joinedAt - b.joinedAt);
  const m = empty(
    moveCode
      ? `Move: type ${moveCode} on the other device`
      : `${list.length} here${following ? ` · following ${list.find((s) => s.id === following)?.name ?? "…"}` : ""}`,
  );
  if (me.seat) m.actions[0] = { label: moveCode ? "New code" : "Move device", action: { kind: "move" } };
  // Whoever is followed or speaking first among the others, so they are never cut off the list.
  const mine = list.filter((s) => s.id === me.seat);
  const others = list
    .filter((s) => s.id !== me.seat)
    .sort((a, b) => Number(b.id === following) - Number(a.id === following) || Number(b.speaking) - Number(a.speaking));
  for (const s of [...mine, ...others].slice(0, VISIBLE_ROWS)) {
    const voice = !s.inCall ? "not in voice" : s.muted ? "muted" : s.speaking ? "speaking" : "in voice";
    const here = s.presence === "reconnecting" ? "reconnecting" : s.device;
    m.rows.push({
      text: clip(`${s.name}${s.id === me.seat ? " (you)" : ""}`),
      sub: `${here} · ${voice}`,
      color: s.color,
      buttons: [
        null,
        s.id === me.seat
          ? null
          : s.id === following
            ? { label: "Unfollow", action: { kind: "follow", seat: null } }
            : { label: "Follow", action: { kind: "follow", seat: s.id } },
      ],
    });
  }
  m.more = list.length - m.rows.length;
  return m;
}

/** Notes on the selected asset, open first; quick labels pin a note where the ray last hit it. */
export function notesTab(notes: Iterable<NoteLike>, twin: string | null, me: Me): TabModel {
  if (!twin) return empty("Select an asset to see its notes");
  const list = [...notes]
    .filter((n) => n.twin === twin)
    .sort((a, b) => Number(a.status === "resolved") - Number(b.status === "resolved") || b.createdAt - a.createdAt);
  const m = empty(`Notes on ${twin}${list.length ? ` (${list.length})` : ": none yet"}`);
  if (can(me.role, "annotate")) {
    m.actions = [
      { label: QUICK_LABELS[0], action: { kind: "note", text: QUICK_LABELS[0] } },
      { label: QUICK_LABELS[1], action: { kind: "note", text: QUICK_LABELS[1] } },
      { label: "Write…", action: { kind: "write" } },
    ];
  }
  for (const n of list.slice(0, VISIBLE_ROWS)) {
    // The server's rule (server/collab/AnnotationBook.ts): the author (an operator or above) or an expert.
    const mayChange =
      ((n.authorSeat === me.seat || n.author === me.name) && can(me.role, "annotate")) || can(me.role, "present");
    m.rows.push({
      text: clip(n.text || (n.kind === "ink" ? "(ink mark)" : "(pin)")),
      sub: `${n.author} · ${n.status}`,
      color: n.color,
      buttons: [
        null,
        n.status === "open" && mayChange ? { label: "Resolve", action: { kind: "resolve", id: n.id } } : null,
      ],
    });
  }
  m.more = list.length - m.rows.length;
  return m;
}

export interface AlignInput {
  /** Who set the room's reference points ("" when none are set). */
  setBy: string;
  step: "idle" | "p1" | "p2";
  /** This headset is aligned to the room's points; `error` is the touch mismatch (m). */
  aligned: boolean;
  error: number;
  /** The last outcome to report (a refusal, a mismatch), "" for none. */
  note: string;
}

/** Co-location: align this headset to the room's two reference points, or (operator+) set them. */
export function alignTab(a: AlignInput, role: string): TabModel {
  const mayDefine = can(role, "calibrate");
  const cancel: PanelButtonModel = { label: "Cancel", action: { kind: "calibrate-cancel" } };
  if (a.step !== "idle") {
    const m = empty(
      a.step === "p1"
        ? "Point the right controller at mark 1, pull the trigger"
        : "Now point at mark 2, pull the trigger",
    );
    m.actions = [null, null, cancel];
    m.rows.push(
      line("The ring shows where the mark lands."),
      line("No ring: hold the controller's tip on it."),
      line("Use the same two marks on every headset."),
    );
    return m;
  }
  const m = empty(
    a.aligned
      ? `Aligned to the room (touch error ${Math.round(a.error * 100)} cm)`
      : a.setBy
        ? `Not aligned · marks set by ${a.setBy}`
        : mayDefine
          ? "No marks yet: pick two spots on the floor"
          : "No marks yet: ask an operator to set them",
  );
  m.actions = [
    a.setBy ? { label: "Align", action: { kind: "calibrate", define: false } } : null,
    mayDefine ? { label: a.setBy ? "New marks" : "Set marks", action: { kind: "calibrate", define: true } } : null,
    a.aligned ? { label: "Undo", action: { kind: "calibrate-undo" } } : null,
  ];
  if (a.note) m.rows.push(line(a.note));
  m.rows.push(
    line("Everyone who aligns sees pointers and notes"),
    line("at the same real spot. Teleport is off then."),
  );
  return m;
}

function line(text: string): PanelRow {
  return { text: clip(text, 44), sub: "", color: "#b8c7d1", buttons: [null, null] };
}

/** The tab as plain text: the panel's accessible content and the tests' view. */
export function tabText(m: TabModel): string {
  const lines = [m.header];
  const acts = m.actions.filter((b) => b).map((b) => `[${b!.label}${b!.disabled ? " (disabled)" : ""}]`);
  if (acts.length) lines.push(acts.join(" "));
  if (m.slider) lines.push(`Scrubber ${m.slider.from} … ${m.slider.to} at ${Math.round(m.slider.at * 100)} %`);
  for (const r of m.rows) {
    const bs = r.buttons.filter((b) => b).map((b) => ` [${b!.label}]`);
    if (!r.text && !bs.length) continue;
    lines.push(`${r.text}${r.sub ? ` — ${r.sub}` : ""}${bs.join("")}`);
  }
  if (m.more > 0) lines.push(`+${m.more} more`);
  return lines.join("\n");
}
