/**
 * What a mark on the timeline says when the pointer rests on it: the time and the event in words, people by
 * name (a journal entry names its person; the subject of some entries is a seat id, which nobody reads).
 */
export interface TimelineEvent {
  ts: number;
  kind: string;
  /** The person's name as the journal recorded it ("system" for the plant itself). */
  actor: string;
  subject: string;
  twin: string | null;
  message?: string | null;
  to?: string | null;
}

export const hhmmss = (t: number) => new Date(t).toLocaleTimeString([], { hour12: false });

export function markTitle(e: TimelineEvent, twinName: (id: string) => string): string {
  const who = e.actor && e.actor !== "system" ? e.actor : "Someone";
  const asset = e.twin ? twinName(e.twin) : "";
  const what = (() => {
    switch (e.kind) {
      case "alarm.active":
        return `Alarm on ${asset || "an asset"}${e.message ? `: ${e.message}` : ""}`;
      case "alarm.ack":
        return `${who} acknowledged the alarm on ${asset || "an asset"}${e.message ? `: ${e.message}` : ""}`;
      case "annotation.create":
        return `${who} pinned a note${asset ? ` on ${asset}` : ""}`;
      case "handoff":
        return `${who} moved to ${e.to ?? "another device"}`;
      case "bookmark":
        return `Bookmark “${e.subject}” by ${who}`;
      // A drill's debrief: the trainees' actions and the drill's own moments.
      case "select":
        return `${who} selected ${asset || "an asset"}`;
      case "alarm.shelve":
        return `${who} shelved the alarm on ${asset || "an asset"}${e.message ? `: ${e.message}` : ""}`;
      case "procedure.start":
        return `${who} started a procedure`;
      case "procedure.step":
        return `${who} marked a procedure step done`;
      case "drill.start":
        return `Drill started by ${who}`;
      case "drill.onset":
        return "Drill: the fault begins";
      case "drill.score":
        return `${who}'s drill was scored`;
      case "drill.end":
        return "Drill ended";
      default:
        return `${who}: ${e.kind}`;
    }
  })();
  return `${hhmmss(e.ts)} ${what}`;
}
