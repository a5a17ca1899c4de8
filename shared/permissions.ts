/**
 * Who may do what: one table, read by the server (enforced on every action) and
 * by the client (to hide what a role cannot do). Roles are cumulative.
 */
import type { Role } from "./protocol.ts";

export const ACTIONS = {
  view: "viewer",
  talk: "viewer",
  point: "viewer",
  select: "viewer",
  /** Download an incident report (it names who acknowledged and who was there). */
  report: "viewer",
  annotate: "operator",
  /** Share a camera into the call (a plant-floor picture); drawing on it is `annotate`. */
  shareCamera: "operator",
  acknowledge: "operator",
  shelve: "operator",
  /** Set the room's co-location reference points (anyone may align their own headset to them). */
  calibrate: "operator",
  /** Start, advance and stop a procedure run in the room (docs/TRAINING.md). */
  runProcedure: "operator",
  /** Close an incident, handing it over as a work order when WORK_ORDER_URL is set (docs/TRAINING.md). */
  closeIncident: "operator",
  /** Fork the twin and predict the effect of a change, shown to the room (docs/WHAT-IF.md); nothing reaches the plant. */
  whatIf: "operator",
  /** Start and end drills on a sandbox twin for trainees (docs/TRAINING.md): the instructor's role. */
  drill: "expert",
  present: "expert",
  summon: "expert",
  playback: "expert",
  /** Inject or clear simulator faults (POST/DELETE /api/sim/faults; development and training only). */
  simulate: "expert",
  kick: "admin",
  configure: "admin",
  /** Read and export the plant's journal (audit trail). */
  audit: "admin",
} as const satisfies Record<string, Role>;
export type Action = keyof typeof ACTIONS;

const RANK: Record<Role, number> = { viewer: 0, operator: 1, expert: 2, admin: 3 };

export function can(role: string, action: Action): boolean {
  const r = RANK[role as Role];
  return r !== undefined && r >= RANK[ACTIONS[action]];
}

/** "A viewer", "An operator": for refusal sentences. */
export function aRole(role: string): string {
  return `${/^[aeiou]/i.test(role) ? "An" : "A"} ${role}`;
}
