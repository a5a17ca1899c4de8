/** A drill score in a plant person's words (the drills panel and its tests). */
import type { DrillTraineeState } from "../../shared/drillState.ts";

const secs = (ms: number) => (ms < 0 ? null : `${Math.round(ms / 1000)} s`);

/** "Found it in 15 s · acted in 20 s · no wrong actions · alarm handling clean". */
export function scoreLine(t: Pick<DrillTraineeState, "detectMs" | "correctMs" | "wrong" | "handling">): string {
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
