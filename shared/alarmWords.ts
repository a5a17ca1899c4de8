/**
 * Alarm states as a plant person says them. The wire keeps ISA-18.2's short codes ("unack-active"); every place a
 * person reads a state (desktop panels, headset panels, the incident report) uses these words instead.
 */
export const ALARM_STATE_WORDS: Readonly<Record<string, string>> = {
  "unack-active": "Active, not acknowledged",
  "ack-active": "Active, acknowledged",
  "rtn-unack": "Cleared, not acknowledged",
  normal: "Normal",
};

/** A state code in words; an unknown code is shown as it came (never hidden). */
export function alarmStateWords(state: string): string {
  return ALARM_STATE_WORDS[state] ?? state;
}
