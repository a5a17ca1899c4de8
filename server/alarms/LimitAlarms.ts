/**
 * Alarm conditions from point limits: a point at or beyond its lowAlarm/highAlarm
 * limit is an active alarm "limit.<point>" on its twin until it comes back.
 * Warnings colour the asset but do not alarm (ISA-18.2: an alarm needs an operator response).
 * Missing data (stale, bad) does not clear an alarm: absence of evidence is not a return to normal.
 */
import { Severity } from "../../shared/status.ts";
import type { PlantTwin } from "../twin/PlantTwin.ts";
import type { ConditionChange } from "./AlarmBook.ts";

export const LIMIT_ALARM_SEVERITY = 3; // "high"

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
      rule: `limit.${p.def.name}`,
      twin: t.id,
      active: now === 1,
      at: p.ts,
      severity: LIMIT_ALARM_SEVERITY,
      message: `${p.def.displayName} ${value} ${which}`,
      values: { [p.def.name]: p.value },
    });
  }

  /** Condition changes since the last call. */
  drain(): ConditionChange[] {
    return this.pending.splice(0, this.pending.length);
  }

  dispose(): void {
    this.unsubscribe();
  }
}
