/**
 * The faults the simulator can inject, by name: what a caller may ask for, and what each looks like.
 */

/**
 * Fault catalogue — what each looks like and what a rule should detect:
 *  - cavitation (Pump): flow falls ~40 %, suction pressure drops below its lowAlarm (→ ~0.08 bar),
 *    current rises ~2–3 A and turns noisy (±1.5 A), vibration > highWarning (~6 mm/s) — all within ~10 s of
 *    injection while the pump runs. Rule: low suction + high vibration on a running pump.
 *  - bearing-wear (Pump): vibration ramps +6.5 mm/s over 90 s (> highAlarm 7.1 after ~75 s), then the bearing
 *    temperature climbs toward ~98 °C over the next 60 s (> highAlarm 85 °C ~2 min 20 s after injection).
 *    Rule: rising vibration trend followed by rising bearing temperature.
 *  - stuck-valve (Valve): position freezes; one second later the controller's partial-stroke check moves the
 *    command 30 % away, so |position − command| = 30 % persists. Rule: position/command divergence > 10 % for > 5 s.
 *  - flatline ("twin/point", or a twin → its first label point): the point repeats exactly the same value
 *    (no noise) on every publish. Rule: zero variance over N samples of an analog point.
 *  - line-jam (Conveyor, or a Filler → its discharge conveyor): belt speed 0, state 4 (fault), bottles pile up
 *    (accumulation → 100 % on the jammed conveyor and those upstream of it), the filler goes to state 3 (blocked)
 *    and stops counting (~20 s for a discharge conveyor). Rule: conveyor state 4 / accumulation high alarm.
 * Clearing any fault restores normal behaviour within ~10–40 s of simulated time.
 * Cavitation and bearing wear take an optional slowdown (injectFault's third argument, ≥ 1): the same fault developing
 * that many times slower, e.g. bearing wear ×20 alarms after ~25 min; the forecast backtest uses it.
 */
export const FAULTS = ["cavitation", "bearing-wear", "stuck-valve", "flatline", "line-jam"] as const;
export type FaultName = (typeof FAULTS)[number];

export interface ActiveFault {
  name: FaultName;
  target: string;
  since: number;
}

export function isFaultName(s: string): s is FaultName {
  return (FAULTS as readonly string[]).includes(s);
}
