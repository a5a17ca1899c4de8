/**
 * Speaking detection on the open microphone: its level every 40 ms (no gap between the analyser's 2048-sample
 * windows, 43 ms at 48 kHz) into the SpeakingDetector; a muted microphone counts as silence.
 */
import type { Microphone } from "./Microphone.ts";
import { SpeakingDetector } from "./SpeakingDetector.ts";

const METER_MS = 40;

export class SpeakingMeter {
  private readonly detector = new SpeakingDetector();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly mic: Microphone,
    private readonly muted: () => boolean,
    /** Speaking turned on or off. */
    private readonly onChange: () => void,
  ) {}

  get speaking(): boolean {
    return this.detector.speaking;
  }

  start(): void {
    this.timer = setInterval(this.meter, METER_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  reset(): void {
    this.detector.reset();
  }

  private readonly meter = () => {
    if (!this.mic.metered) return;
    const was = this.detector.speaking;
    const level = this.muted() ? 0 : this.mic.level();
    if (this.detector.update(level, performance.now()) !== was) this.onChange();
  };
}
