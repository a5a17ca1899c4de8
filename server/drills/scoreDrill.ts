/**
 * A trainee's drill score from the drill's journal rows (docs/TRAINING.md, "Scoring"). Pure: the same rows give the
 * same score, so a score can be recomputed from the journal at any time.
 *
 * - Detected: the first time, at or after the fault's onset, the trainee selects the faulty asset, acknowledges or
 *   shelves the drill's alarm, or starts the drill's procedure.
 * - Corrected: the drill's procedure completed by the trainee (its last step), or, for a scenario without one, the
 *   drill's alarm acknowledged by the trainee.
 * - Wrong actions: starting a procedure other than the drill's (when it names one); shelving the drill's alarm
 *   (it hides the fault); shelving any other alarm (hiding an alarm during an upset instead of dealing with it).
 * - ISA-18.2 handling: an alarm is acknowledged before it is shelved; the drill's alarm is acknowledged; it is
 *   acknowledged within ACK_TARGET_MS of becoming active.
 * - Points (0..100): detection 30 (full up to 60 s after onset, then falling to 0 at the drill's limit), correction
 *   40 (full up to 120 s, then falling to 0 at the limit), alarm handling 30 less 10 per finding, less 10 per wrong
 *   action.
 */

export interface DrillRow {
  ts: number;
  kind: string;
  subject: string;
  data: Record<string, unknown>;
}

export interface DrillFacts {
  /** When the scenario's fault was injected (ms since the epoch). */
  onsetAt: number;
  /** The drill's length after onset: time points fall to zero here. */
  limitMs: number;
  expect: { asset: string; alarm: string; procedure?: string | undefined };
  /** The seats the trainee acted through in the drill room (journal rows name the seat, not the person). */
  seats: ReadonlySet<string>;
}

export interface DrillScore {
  /** ms from onset to detection; null when not detected. */
  detectMs: number | null;
  /** ms from onset to the correct action; null when not done. */
  correctMs: number | null;
  /** One sentence per wrong action. */
  wrong: string[];
  /** One sentence per ISA-18.2 alarm-handling finding; empty when the handling was clean. */
  handling: string[];
  points: number;
}

export const ACK_TARGET_MS = 60_000;
const DETECT_FULL_MS = 60_000;
const CORRECT_FULL_MS = 120_000;

/** `full` points up to `fullMs`, falling linearly to 0 at `limitMs`; 0 when it never happened. */
function timePoints(ms: number | null, full: number, fullMs: number, limitMs: number): number {
  if (ms === null) return 0;
  if (ms <= fullMs) return full;
  if (ms >= limitMs) return 0;
  return (full * (limitMs - ms)) / (limitMs - fullMs);
}

const secs = (ms: number) => `${Math.round(ms / 1000)} s`;

export function scoreDrill(rows: readonly DrillRow[], facts: DrillFacts): DrillScore {
  const { expect, onsetAt } = facts;
  const drillAlarm = `${expect.alarm}:${expect.asset}`;
  const sorted = [...rows].sort((a, b) => a.ts - b.ts);
  const mine = (r: DrillRow) => typeof r.data["seat"] === "string" && facts.seats.has(r.data["seat"]);
  const isStart = (r: DrillRow, procedure: string | undefined) =>
    r.kind === "procedure.start" && procedure !== undefined && r.data["procedure"] === procedure;

  let detectedAt: number | null = null;
  let correctedAt: number | null = null;
  const wrong: string[] = [];
  const handling: string[] = [];
  const acked = new Set<string>();
  let activeAt: number | null = null;
  let drillAckAt: number | null = null;

  for (const r of sorted) {
    if (r.kind === "alarm.active" && r.subject === drillAlarm && activeAt === null) activeAt = r.ts;
    if (r.kind === "alarm.ack") acked.add(r.subject);
    if (!mine(r)) continue;
    const after = r.ts >= onsetAt;
    const onDrillAlarm = (r.kind === "alarm.ack" || r.kind === "alarm.shelve") && r.subject === drillAlarm;
    const selectsAsset = r.kind === "select" && r.data["twin"] === expect.asset;
    if (after && detectedAt === null && (selectsAsset || onDrillAlarm || isStart(r, expect.procedure)))
      detectedAt = r.ts;
    if (r.kind === "alarm.ack" && r.subject === drillAlarm && drillAckAt === null) drillAckAt = r.ts;
    const corrects =
      expect.procedure === undefined
        ? r.kind === "alarm.ack" && r.subject === drillAlarm
        : r.kind === "procedure.step" && r.data["completed"] === true && r.data["procedure"] === expect.procedure;
    if (after && correctedAt === null && corrects) correctedAt = r.ts;
    if (r.kind === "procedure.start" && expect.procedure !== undefined && r.data["procedure"] !== expect.procedure)
      wrong.push(`Started the procedure "${String(r.data["procedure"])}", which does not fix this fault.`);
    if (r.kind === "alarm.shelve") {
      wrong.push(
        r.subject === drillAlarm
          ? `Shelved the drill's alarm ${r.subject}: it hides the fault.`
          : `Shelved the alarm ${r.subject} during the upset instead of dealing with it.`,
      );
      if (!acked.has(r.subject)) handling.push(`Shelved ${r.subject} before acknowledging it.`);
    }
  }
  if (activeAt !== null && drillAckAt === null) handling.push(`Did not acknowledge the drill's alarm ${drillAlarm}.`);
  if (activeAt !== null && drillAckAt !== null && drillAckAt - activeAt > ACK_TARGET_MS)
    handling.push(
      `Acknowledged the drill's alarm ${secs(drillAckAt - activeAt)} after it came in (aim for ${secs(ACK_TARGET_MS)}).`,
    );

  const detectMs = detectedAt === null ? null : detectedAt - onsetAt;
  const correctMs = correctedAt === null ? null : correctedAt - onsetAt;
  const raw =
    timePoints(detectMs, 30, DETECT_FULL_MS, facts.limitMs) +
    timePoints(correctMs, 40, CORRECT_FULL_MS, facts.limitMs) +
    Math.max(0, 30 - 10 * handling.length) -
    10 * wrong.length;
  return { detectMs, correctMs, wrong, handling, points: Math.max(0, Math.min(100, Math.round(raw))) };
}
