/**
 * Alarm conditions from point limits: a point at or beyond its lowAlarm/highAlarm
 * limit is an active alarm "limit.<point>" on its twin until it comes back.
 * Warnings colour the asset but do not alarm (ISA-18.2: an alarm needs an operator response).
 * Missing data (stale, bad) does not clear an alarm: absence of evidence is not a return to normal.
 * After a restart `restore` seeds the evaluator's memory from the alarm book, so the first fresh sample
 * inside limits clears an alarm that was active at shutdown (ISA-18.2: ack-active -> normal, unack-active ->
 * returned-to-normal-unacknowledged) instead of leaving it active for ever.
 */
import { Severity } from "../../shared/status.ts";
import type { PlantTwin } from "../twin/PlantTwin.ts";
import type { ConditionChange } from "./AlarmBook.ts";
import { isActive, type AlarmRecord } from "./AlarmLifecycle.ts";

export const LIMIT_ALARM_SEVERITY = 3; // "high"
/** Limit alarms are the rule "limit.<point>" on the point's twin. */
const LIMIT_RULE_PREFIX = "limit.";

export class LimitAlarms {
  private readonly inAlarm: Uint8Array;
  private readonly pending: ConditionChange[] = [];
  private readonly unsubscribe: () => void;

  constructor(private readonly twin: PlantTwin) {
    this.inAlarm = new Uint8Array(twin.points.length);
    this.unsubscribe = twin.subscribe({
      point: (i) => this.check(i),
      status: () => {},
    });
  }

  private check(i: number): void {
    const p = this.twin.points[i]!;
    if (p.receivedAt === 0 || Number.isNaN(p.value)) return;
    const now = p.severity === Severity.ALARM ? 1 : 0;
    if (p.stale && now === 0) return;
    if (now === this.inAlarm[i]) return;
    this.inAlarm[i] = now;
    const t = this.twin.twins[p.twin]!;
    const l = p.def.limits ?? {};
    const value = `${p.value.toFixed(p.def.decimals)}${p.def.symbol ? " " + p.def.symbol : ""}`;
    const which =
      l.highAlarm !== undefined && p.value >= l.highAlarm
        ? `above its alarm limit ${l.highAlarm}`
        : l.lowAlarm !== undefined && p.value <= l.lowAlarm
          ? `below its alarm limit ${l.lowAlarm}`
          : "back within limits";
    this.pending.push({
      rule: `${LIMIT_RULE_PREFIX}${p.def.name}`,
      twin: t.id,
      active: now === 1,
      at: p.ts,
      severity: LIMIT_ALARM_SEVERITY,
      message: `${p.def.displayName} ${value} ${which}`,
      values: { [p.def.name]: p.value },
    });
  }

  /**
   * Remember the limit alarms that were active when the process stopped. Nothing changes until a fresh sample
   * arrives: then an alarm whose value is back inside its limits clears, one still beyond them stays as it is.
   */
  restore(alarms: Iterable<AlarmRecord>): number {
    let n = 0;
    for (const a of alarms) {
      if (!isActive(a) || !a.rule.startsWith(LIMIT_RULE_PREFIX)) continue;
      const i = this.twin.indexOf(a.twin, a.rule.slice(LIMIT_RULE_PREFIX.length));
      if (i === undefined) continue;
      this.inAlarm[i] = 1;
      n++;
    }
    return n;
  }

  /** Condition changes since the last call. */
  drain(): ConditionChange[] {
    return this.pending.splice(0, this.pending.length);
  }

  dispose(): void {
    this.unsubscribe();
  }
}
