/**
 * Tells the room this seat's voice state ({inCall, muted, speaking}) when it
 * changes, at most `maxPerSecond` times a second: a change inside the quiet
 * interval is held and the latest state goes out when the interval ends. The
 * server's flood limit is per connection and shared with 20 Hz poses, so speech
 * flicker must not add more than a few messages a second. Clock and timers are injected.
 */

export interface VoiceState {
  inCall: boolean;
  muted: boolean;
  speaking: boolean;
}

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class VoiceStateSender {
  /** What the room was last told; null: unknown (send the next state even if it looks unchanged). */
  private sent: VoiceState | null = { inCall: false, muted: false, speaking: false };
  private pending: VoiceState | null = null;
  private lastAt = -Infinity;
  private timer: unknown = null;
  private readonly minGapMs: number;
  /** Messages actually sent (for tests and the debug panel). */
  count = 0;

  constructor(
    private readonly send: (s: VoiceState) => void,
    maxPerSecond = 5,
    private readonly timers: Timers = browserTimers,
  ) {
    this.minGapMs = 1000 / maxPerSecond;
  }

  set(next: VoiceState): void {
    if (this.timer === null && same(this.sent, next)) return;
    this.pending = { ...next };
    if (this.timer !== null) return;
    const wait = this.lastAt + this.minGapMs - this.timers.now();
    if (wait <= 0) this.flush();
    else this.timer = this.timers.setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = null;
    const p = this.pending;
    this.pending = null;
    if (!p || same(this.sent, p)) return;
    this.sent = p;
    this.lastAt = this.timers.now();
    this.count++;
    this.send(p);
  }

  /** The room's copy may differ from what we sent (seat re-created, state lost): send the next state regardless. */
  invalidate(): void {
    this.sent = null;
  }

  dispose(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}

function same(a: VoiceState | null, b: VoiceState): boolean {
  return !!a && a.inCall === b.inCall && a.muted === b.muted && a.speaking === b.speaking;
}
