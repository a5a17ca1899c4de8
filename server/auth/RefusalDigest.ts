/**
 * Refusals, summarised: the first refusal of a kind from one address about one
 * plant in a window is journaled in full (what an auditor looks for); the rest of that
 * window are counted and written as one `denied.summary` row when it ends.
 * A flood of bad tokens then costs one or two writes a minute per source, not
 * one fsync each. Pure: the caller owns the clock and the timer.
 */
import type { NewJournalEntry } from "../store/JournalStore.ts";

type Row = Omit<NewJournalEntry, "ts" | "device">;

interface Window {
  start: number;
  plant: string;
  from: string;
  count: number;
  reasons: Record<string, number>;
}

/** Sources remembered at once; beyond it every open window is summarised early (a spray of addresses). */
const MAX_WINDOWS = 10_000;

export class RefusalDigest {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly windowMs: number) {}

  /**
   * A refusal happened. Returns the rows to journal now: the full row when it opens a window, plus any summaries
   * the window bound forced out; a refusal inside an open window returns only summaries (usually none).
   */
  note(row: Row, from: string, reason: string, now: number): Row[] {
    const out = this.flush(now);
    // By reason too: an auditor sees each kind of refusal from an address in full once, a flood of one kind as a count.
    const key = `${row.plant}\u0000${from}\u0000${reason}`;
    const w = this.windows.get(key);
    if (w) {
      w.count++;
      w.reasons[reason] = (w.reasons[reason] ?? 0) + 1;
      return out;
    }
    if (this.windows.size >= MAX_WINDOWS) out.push(...this.flush(Infinity));
    this.windows.set(key, { start: now, plant: row.plant, from, count: 0, reasons: {} });
    out.push(row);
    return out;
  }

  /** Summary rows for windows over by `now` (Infinity: all of them, at shutdown). */
  flush(now: number): Row[] {
    const out: Row[] = [];
    for (const [key, w] of this.windows) {
      if (now - w.start < this.windowMs) continue;
      this.windows.delete(key);
      if (w.count === 0) continue;
      out.push({
        plant: w.plant,
        kind: "denied.summary",
        actor: "",
        subject: "",
        data: {
          from: w.from,
          count: w.count,
          reasons: w.reasons,
          since: w.start,
          seconds: Math.round(this.windowMs / 1000),
        },
      });
    }
    return out;
  }
}
