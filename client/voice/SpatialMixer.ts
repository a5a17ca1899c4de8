/**
 * Plays each remote talker through Web Audio, placed at their avatar's head:
 *
 *   MediaStreamAudioSourceNode → GainNode (their volume) → PannerNode (HRTF) → master → speakers
 *                              ↘ AnalyserNode (level, for the debug panel and the bench)
 *
 * The listener is the local camera. "Plain stereo" bypasses the panners (gain → master).
 * Chrome only feeds a remote WebRTC stream into Web Audio while the stream is also
 * attached to a media element (crbug.com/933677; checked here: without it the analyser
 * reads pure zeros), so each stream is also played by a muted <audio> element.
 * Per-frame calls (placeListener, placeVoiceAt) set AudioParam values and allocate nothing.
 */

/** Distances in metres, as in the plant frame. */
export const PANNER = {
  panningModel: "HRTF",
  distanceModel: "inverse",
  refDistance: 1.5,
  rolloffFactor: 1,
  maxDistance: 60,
} as const satisfies PannerOptions;

export interface Voice {
  seat: string;
  stream: MediaStream;
  element: HTMLAudioElement;
  source: MediaStreamAudioSourceNode;
  gain: GainNode;
  panner: PannerNode;
  analyser: AnalyserNode;
}

export class SpatialMixer {
  readonly ctx: AudioContext;
  private readonly master: GainNode;
  /** An array, not a Map, so per-frame iteration allocates no iterator. */
  readonly voices: Voice[] = [];
  private readonly volumes = new Map<string, number>();
  private spatial = true;
  private readonly levelBuf = new Float32Array(2048);

  constructor(ctx = new AudioContext({ latencyHint: "interactive" })) {
    this.ctx = ctx;
    this.master = ctx.createGain();
    this.master.connect(ctx.destination);
  }

  /** Resume after creation outside a user gesture (autoplay policy). */
  async resumeAsync(): Promise<void> {
    if (this.ctx.state === "suspended") await this.ctx.resume();
  }

  get isSpatial(): boolean {
    return this.spatial;
  }

  add(seat: string, stream: MediaStream): void {
    this.remove(seat);
    const ctx = this.ctx;
    const element = new Audio();
    element.muted = true;
    element.srcObject = stream;
    // Muted playback needs no gesture; it only keeps Chrome's WebRTC audio flowing into Web Audio.
    element.play().catch(() => undefined);
    const source = ctx.createMediaStreamSource(stream);
    const gain = ctx.createGain();
    gain.gain.value = this.volumes.get(seat) ?? 1;
    const panner = new PannerNode(ctx, PANNER);
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    source.connect(gain);
    source.connect(analyser);
    panner.connect(this.master);
    gain.connect(this.spatial ? panner : this.master);
    this.voices.push({ seat, stream, element, source, gain, panner, analyser });
  }

  remove(seat: string): void {
    const i = this.voices.findIndex((v) => v.seat === seat);
    if (i < 0) return;
    const v = this.voices[i]!;
    this.voices.splice(i, 1);
    v.source.disconnect();
    v.gain.disconnect();
    v.panner.disconnect();
    v.element.pause();
    v.element.srcObject = null;
  }

  removeAll(): void {
    for (const v of [...this.voices]) this.remove(v.seat);
  }

  has(seat: string): boolean {
    return this.voices.some((v) => v.seat === seat);
  }

  /** 0..2 (200 %); remembered for the seat across reconnects of the link. */
  setVolume(seat: string, volume: number): void {
    const g = Math.max(0, Math.min(2, volume));
    this.volumes.set(seat, g);
    const v = this.voices.find((x) => x.seat === seat);
    if (v) v.gain.gain.setTargetAtTime(g, this.ctx.currentTime, 0.02);
  }

  volumeOf(seat: string): number {
    return this.volumes.get(seat) ?? 1;
  }

  /** Spatial (HRTF panners) or plain stereo (panners bypassed, no distance attenuation). */
  setSpatial(on: boolean): void {
    if (on === this.spatial) return;
    this.spatial = on;
    for (const v of this.voices) {
      v.gain.disconnect();
      v.gain.connect(on ? v.panner : this.master);
    }
  }

  /** The listener's position and orientation (unit forward and up vectors), plant frame. */
  placeListener(
    px: number,
    py: number,
    pz: number,
    fx: number,
    fy: number,
    fz: number,
    ux: number,
    uy: number,
    uz: number,
  ): void {
    const l = this.ctx.listener;
    if (l.positionX) {
      l.positionX.value = px;
      l.positionY.value = py;
      l.positionZ.value = pz;
      l.forwardX.value = fx;
      l.forwardY.value = fy;
      l.forwardZ.value = fz;
      l.upX.value = ux;
      l.upY.value = uy;
      l.upZ.value = uz;
    } else {
      // Firefox: no AudioParams on the listener.
      l.setPosition(px, py, pz);
      l.setOrientation(fx, fy, fz, ux, uy, uz);
    }
  }

  placeVoice(v: Voice, x: number, y: number, z: number): void {
    const p = v.panner;
    p.positionX.value = x;
    p.positionY.value = y;
    p.positionZ.value = z;
  }

  /** Peak absolute sample over the last ~43 ms of a talker's received audio (before volume), 0..1. */
  level(seat: string): number {
    const v = this.voices.find((x) => x.seat === seat);
    if (!v) return 0;
    v.analyser.getFloatTimeDomainData(this.levelBuf);
    let peak = 0;
    for (let i = 0; i < this.levelBuf.length; i++) peak = Math.max(peak, Math.abs(this.levelBuf[i]!));
    return peak;
  }

  analyserOf(seat: string): AnalyserNode | null {
    return this.voices.find((x) => x.seat === seat)?.analyser ?? null;
  }

  async closeAsync(): Promise<void> {
    this.removeAll();
    await this.ctx.close().catch(() => undefined);
  }
}
