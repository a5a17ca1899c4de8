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
  private sent: VoiceState = { inCall: false, muted: false, speaking: false };
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
    const same = (a: VoiceState) => a.inCall === next.inCall && a.muted === next.muted && a.speaking === next.speaking;
    if (this.timer === null && same(this.sent)) return;
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
    if (!p) return;
    if (p.inCall === this.sent.inCall && p.muted === this.sent.muted && p.speaking === this.sent.speaking) return;
    this.sent = p;
    this.lastAt = this.timers.now();
    this.count++;
    this.send(p);
  }

  dispose(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
