/**
 * Hide the page's controls that the participant's role may not use; the server
 * refuses those actions anyway (shared/permissions.ts is the one table for both).
 */
import { can, type Action } from "../../shared/permissions.ts";

const GATED: readonly (readonly [id: string, action: Action])[] = [
  ["btn-pin", "annotate"],
  ["btn-ink", "annotate"],
];

export function applyRoleGates(role: string): void {
  for (const [id, action] of GATED) {
    const el = document.getElementById(id);
    // An inline display (not `hidden`): the top bar's button styles would show a hidden button again.
    if (el) el.style.display = can(role, action) ? "" : "none";
  }
}
