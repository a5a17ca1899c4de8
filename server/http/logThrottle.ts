/**
 * Log lines of one kind, at most `budget` a minute. A flood of bad requests
 * (bad tokens, refused upgrades, broken bodies) must not fill the disk or bury
 * the line that matters; what was held back is still said, as a count:
 * "… (and 1,234 more like this in the last minute)".
 *
 * A line's kind is its text with numbers, addresses and quoted words blanked,
 * so "refused join from 10.0.0.7" and "… from 10.0.0.9" are one kind.
 */
export interface LogThrottleOptions {
  budget?: number;
  windowMs?: number;
  now: () => number;
}

export function kindOf(line: string): string {
  return line
    .replace(/"[^"]*"/g, '""')
    .replace(/[0-9a-f]*[0-9][0-9a-f]*/gi, "#")
    .replace(/[#.:]{2,}/g, "#")
    .slice(0, 120);
}

export class LogThrottle {
  private readonly budget: number;
  private readonly windowMs: number;
  private readonly kinds = new Map<string, { start: number; said: number; held: number; last: string }>();

  constructor(
    private readonly out: (m: string) => void,
    private readonly opts: LogThrottleOptions,
  ) {
    this.budget = opts.budget ?? 10;
    this.windowMs = opts.windowMs ?? 60_000;
  }

  readonly log = (line: string): void => {
    const now = this.opts.now();
    const k = kindOf(line);
    let s = this.kinds.get(k);
    if (s && now - s.start >= this.windowMs) {
      this.summarise(s);
      this.kinds.delete(k);
      s = undefined;
    }
    if (!s) {
      // Bounded: a flood of distinct kinds is itself summarised away on the next flush.
      if (this.kinds.size >= 1000) this.flush(Infinity);
      s = { start: now, said: 0, held: 0, last: line };
      this.kinds.set(k, s);
    }
    if (s.said < this.budget) {
      s.said++;
      this.out(line);
    } else {
      s.held++;
      s.last = line;
    }
  };

  /** Say what was held back for every kind whose minute is over (call it from a timer, and on shutdown). */
  flush(now = this.opts.now()): void {
    for (const [k, s] of this.kinds) {
      if (now - s.start < this.windowMs) continue;
      this.summarise(s);
      this.kinds.delete(k);
    }
  }

  private summarise(s: { held: number; last: string }): void {
    // The last held line is said in full; the count is the others held back with it.
    if (s.held === 1) this.out(s.last);
    else if (s.held > 1)
      this.out(`${s.last} (and ${(s.held - 1).toLocaleString("en-US")} more like this in the last minute)`);
  }
}
