/**
 * The ISA-18.2 alarm state machine for one alarm (a rule instance on a twin).
 * Pure: every method takes the time and returns what happened, or an error
 * sentence when the action does not apply. States:
 *   normal → (condition) → unack-active → (ack) → ack-active → (clear) → normal
 *   unack-active → (clear) → rtn-unack → (ack) → normal;  rtn-unack → (condition) → unack-active
 * Shelving hides an alarm until it expires or is unshelved; the condition keeps being tracked.
 */
export const ALARM_STATES = ["normal", "unack-active", "ack-active", "rtn-unack"] as const;
export type AlarmStateName = (typeof ALARM_STATES)[number];

export interface AlarmRecord {
  /** `${rule}:${twin}` */
  id: string;
  rule: string;
  twin: string;
  severity: number;
  state: AlarmStateName;
  message: string;
  /** When the condition last became active (plant time), 0 if never. */
  activeAt: number;
  clearedAt: number;
  ackedBy: string;
  ackedAt: number;
  shelvedBy: string;
  /** Server time the shelving ends; 0 when not shelved. */
  shelvedUntil: number;
  shelveReason: string;
}

export type AlarmEvent =
  | { kind: "alarm.active"; at: number }
  | { kind: "alarm.cleared"; at: number }
  | { kind: "alarm.ack"; at: number; actor: string }
  | { kind: "alarm.shelve"; at: number; actor: string; until: number; reason: string }
  | { kind: "alarm.unshelve"; at: number; actor: string };

export type ActionResult = { ok: true; event: AlarmEvent } | { ok: false; message: string };

export function newAlarm(rule: string, twin: string, severity: number): AlarmRecord {
  return {
    id: `${rule}:${twin}`,
    rule,
    twin,
    severity,
    state: "normal",
    message: "",
    activeAt: 0,
    clearedAt: 0,
    ackedBy: "",
    ackedAt: 0,
    shelvedBy: "",
    shelvedUntil: 0,
    shelveReason: "",
  };
}

export function isActive(a: AlarmRecord): boolean {
  return a.state === "unack-active" || a.state === "ack-active";
}

/** The condition became active. Returns the event, or null if nothing changed. */
export function conditionActive(a: AlarmRecord, at: number, message: string): AlarmEvent | null {
  a.message = message;
  if (a.state === "unack-active" || a.state === "ack-active") return null;
  a.state = "unack-active";
  a.activeAt = at;
  a.ackedBy = "";
  a.ackedAt = 0;
  return { kind: "alarm.active", at };
}

/** The condition returned to normal. */
export function conditionCleared(a: AlarmRecord, at: number): AlarmEvent | null {
  if (a.state === "unack-active") a.state = "rtn-unack";
  else if (a.state === "ack-active") a.state = "normal";
  else return null;
  a.clearedAt = at;
  return { kind: "alarm.cleared", at };
}

export function acknowledge(a: AlarmRecord, actor: string, at: number): ActionResult {
  if (a.state === "unack-active") a.state = "ack-active";
  else if (a.state === "rtn-unack") a.state = "normal";
  else return { ok: false, message: `Alarm ${a.id} has nothing to acknowledge (it is ${a.state}).` };
  a.ackedBy = actor;
  a.ackedAt = at;
  return { ok: true, event: { kind: "alarm.ack", at, actor } };
}

/** Longest shelving allowed: a shelved alarm must come back on its own within a shift. */
export const MAX_SHELVE_MS = 8 * 3600_000;

export function shelve(a: AlarmRecord, actor: string, at: number, durationMs: number, reason: string): ActionResult {
  if (!(durationMs > 0) || durationMs > MAX_SHELVE_MS) {
    return { ok: false, message: `Shelve for between 1 minute and ${MAX_SHELVE_MS / 3600_000} hours.` };
  }
  a.shelvedBy = actor;
  a.shelvedUntil = at + durationMs;
  a.shelveReason = reason;
  return { ok: true, event: { kind: "alarm.shelve", at, actor, until: a.shelvedUntil, reason } };
}

export function unshelve(a: AlarmRecord, actor: string, at: number): ActionResult {
  if (a.shelvedUntil === 0) return { ok: false, message: `Alarm ${a.id} is not shelved.` };
  a.shelvedBy = "";
  a.shelvedUntil = 0;
  a.shelveReason = "";
  return { ok: true, event: { kind: "alarm.unshelve", at, actor } };
}

/** Shelving that has run out ends by itself (actor "system"). */
export function expireShelve(a: AlarmRecord, now: number): AlarmEvent | null {
  if (a.shelvedUntil === 0 || now < a.shelvedUntil) return null;
  a.shelvedBy = "";
  a.shelvedUntil = 0;
  a.shelveReason = "";
  return { kind: "alarm.unshelve", at: now, actor: "system" };
}
