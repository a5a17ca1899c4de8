/**
 * Restarts that remember: the alarm book reloads its alarms from the journal, but the evaluators that raise and
 * clear them (point limits, rules) start with no memory. Seeded here with what was active at shutdown, the first
 * fresh samples re-check every such alarm: a condition that is gone clears it the ISA-18.2 way (acknowledged-active
 * -> normal, unacknowledged-active -> returned-to-normal-unacknowledged), one still present leaves it as it is.
 */
import { isActive, type AlarmRecord } from "./AlarmLifecycle.ts";
import type { LimitAlarms } from "./LimitAlarms.ts";

export interface RestorableRules {
  restoreActive(rule: string, twin: string, since: number): boolean;
}

export function restoreEvaluators(
  alarms: Iterable<AlarmRecord>,
  limits: LimitAlarms,
  rules: RestorableRules,
): { limits: number; rules: number } {
  const active = [...alarms].filter(isActive);
  let fromRules = 0;
  for (const a of active) if (rules.restoreActive(a.rule, a.twin, a.activeAt)) fromRules++;
  return { limits: limits.restore(active), rules: fromRules };
}
