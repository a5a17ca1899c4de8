/**
 * Quality, severity and asset status: the small enums the twin computes and the
 * client colours by. Pure functions, shared so the inspector can explain a colour.
 */
import type { Limits } from "./plant.ts";

export const Quality = { GOOD: 0, UNCERTAIN: 1, BAD: 2 } as const;
export type Quality = (typeof Quality)[keyof typeof Quality];
export const QUALITY_NAMES = ["good", "uncertain", "bad"] as const;

export const Severity = { NORMAL: 0, WARNING: 1, ALARM: 2 } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

/** An asset's colour state. UNKNOWN: some point is bad, stale or has never reported. */
export const AssetStatus = { NORMAL: 0, WARNING: 1, ALARM: 2, UNKNOWN: 3 } as const;
export type AssetStatus = (typeof AssetStatus)[keyof typeof AssetStatus];
export const ASSET_STATUS_NAMES = ["normal", "warning", "alarm", "unknown"] as const;

export function severityOf(value: number, limits: Limits | undefined): Severity {
  if (!limits) return Severity.NORMAL;
  if (limits.lowAlarm !== undefined && value <= limits.lowAlarm) return Severity.ALARM;
  if (limits.highAlarm !== undefined && value >= limits.highAlarm) return Severity.ALARM;
  if (limits.lowWarning !== undefined && value <= limits.lowWarning) return Severity.WARNING;
  if (limits.highWarning !== undefined && value >= limits.highWarning) return Severity.WARNING;
  return Severity.NORMAL;
}

/** Combine per-point observations into one asset status: alarm > warning > unknown > normal. */
export function combineStatus(worstSeverity: Severity, anyUnknown: boolean): AssetStatus {
  if (worstSeverity === Severity.ALARM) return AssetStatus.ALARM;
  if (worstSeverity === Severity.WARNING) return AssetStatus.WARNING;
  return anyUnknown ? AssetStatus.UNKNOWN : AssetStatus.NORMAL;
}
