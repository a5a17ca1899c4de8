/** A drill score in a plant person's words, and why a debrief cannot start (the drills panel and the wrist's tab). */
import { can } from "../../shared/permissions.ts";

const secs = (ms: number) => (ms < 0 ? null : `${Math.round(ms / 1000)} s`);

/** "Found it in 15 s · acted in 20 s · no wrong actions · alarm handling clean". */
export function scoreLine(t: {
  detectMs: number;
  correctMs: number;
  wrong: ArrayLike<string>;
  handling: ArrayLike<string>;
}): string {
  const found = secs(t.detectMs);
  const acted = secs(t.correctMs);
  return [
    found ? `found it in ${found}` : "did not find it",
    acted ? `acted in ${acted}` : "no correct action",
    t.wrong.length === 0 ? "no wrong actions" : `${t.wrong.length} wrong action${t.wrong.length === 1 ? "" : "s"}`,
    t.handling.length === 0
      ? "alarm handling clean"
      : `${t.handling.length} alarm-handling finding${t.handling.length === 1 ? "" : "s"}`,
  ].join(" · ");
}

/** Why "Debrief" cannot be pressed (the server's rule, server/rooms/handlers/drills.ts), "" when it can. */
export function debriefBlocked(
  d: { replay: boolean; trainees: ArrayLike<{ user: string; status: string }> },
  role: string,
  user: string,
): string {
  if (!d.replay) return "The replay went with the server restart";
  const t = Array.from(d.trainees).find((x) => x.user === user);
  if (can(role, "drill") || t?.status === "scored") return "";
  return t ? "The debrief opens once you are scored" : "The instructor starts the debrief";
}
