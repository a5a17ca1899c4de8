/**
 * "Is this person speaking?" from microphone level: RMS over a window above a
 * threshold turns it on at once; it turns off only after a hangover of quiet, so
 * the gaps between words (and Chrome's fake-device beeps, 20 ms every 500 ms) do
 * not make the indicator flicker. Pure: feed it levels and times.
 */

export interface SpeakingOptions {
  /** RMS (full scale = 1) above which the window counts as speech. ~0.015 ≈ -36 dBFS. */
  threshold: number;
  /** How long speaking stays on after the last loud window, ms. */
  hangoverMs: number;
}

export const DEFAULT_SPEAKING: SpeakingOptions = { threshold: 0.015, hangoverMs: 700 };

export class SpeakingDetector {
  private lastLoud = -Infinity;
  speaking = false;

  constructor(private readonly opts: SpeakingOptions = DEFAULT_SPEAKING) {}

  /** Feed one window's RMS at time `now` (ms); returns whether the person is speaking. */
  update(level: number, now: number): boolean {
    if (level >= this.opts.threshold) this.lastLoud = now;
    this.speaking = now - this.lastLoud <= this.opts.hangoverMs;
    return this.speaking;
  }

  reset(): void {
    this.lastLoud = -Infinity;
    this.speaking = false;
  }
}

/** Root mean square of a window of samples. */
export function rms(samples: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    sum += v * v;
  }
  return samples.length ? Math.sqrt(sum / samples.length) : 0;
}
