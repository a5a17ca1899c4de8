/**
 * The call's microphone: asked for only when the person joins, with echo cancellation, noise suppression and
 * gain control; the device they picked is remembered (a preference: when it is gone, the default one is
 * taken); a track that ends (unplugged, revoked) marks the microphone lost. Its level is read through an
 * analyser in the call's audio context.
 */
import { rms } from "./SpeakingDetector.ts";

const MIC_KEY = "gemba.voice.mic";

export class Microphone {
  track: MediaStreamTrack | null = null;
  /** The microphone went away during the call (or none was granted). */
  lost = false;
  private source: MediaStreamAudioSourceNode | null = null;
  private analyser: AnalyserNode | null = null;
  private readonly buf = new Float32Array(2048);
  private pref: string | null;

  constructor(
    /** The track in use ended: the call mutes and says so. */
    private readonly onEnded: () => void,
  ) {
    try {
      this.pref = localStorage.getItem(MIC_KEY);
    } catch {
      this.pref = null;
    }
  }

  /** The remembered microphone, or the default one. */
  openPreferred(): Promise<MediaStream> {
    return this.open(this.pref, false);
  }

  /** Exactly that device (picked in the panel). */
  openExact(deviceId: string): Promise<MediaStream> {
    return this.open(deviceId, true);
  }

  private open(deviceId: string | null, exact: boolean): Promise<MediaStream> {
    const audio: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
    // A remembered device is only a preference: if it is gone, the default one is taken.
    if (deviceId) audio.deviceId = exact ? { exact: deviceId } : { ideal: deviceId };
    return navigator.mediaDevices.getUserMedia({ audio });
  }

  remember(deviceId: string): void {
    this.pref = deviceId;
    try {
      localStorage.setItem(MIC_KEY, deviceId);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }

  /** Take this stream's track (stopping the one before); metered in `ctx` when there is one. */
  use(stream: MediaStream, ctx: AudioContext | null): void {
    const track = stream.getAudioTracks()[0] ?? null;
    const old = this.track;
    this.track = track;
    old?.stop();
    this.source?.disconnect();
    this.source = null;
    this.analyser = null;
    this.lost = !track;
    if (!track || !ctx) return;
    track.addEventListener("ended", () => {
      if (track !== this.track) return;
      this.lost = true;
      this.onEnded();
    });
    this.source = ctx.createMediaStreamSource(stream);
    this.analyser = ctx.createAnalyser();
    this.analyser.fftSize = this.buf.length;
    this.source.connect(this.analyser);
  }

  get metered(): boolean {
    return this.analyser !== null;
  }

  /** RMS of the latest analyser window (full scale = 1), 0 when not metered. */
  level(): number {
    const a = this.analyser;
    if (!a) return 0;
    a.getFloatTimeDomainData(this.buf);
    return rms(this.buf);
  }

  /** The microphones to choose from, and the one in use ("" when lost). */
  async list(): Promise<{ mics: MediaDeviceInfo[]; current: string }> {
    const all = await navigator.mediaDevices.enumerateDevices().catch(() => [] as MediaDeviceInfo[]);
    const mics = all.filter((d) => d.kind === "audioinput");
    const current = this.lost ? "" : (this.track?.getSettings().deviceId ?? this.pref ?? "");
    return { mics, current };
  }

  /** Leaving the call: the track stopped, nothing metered. */
  release(): void {
    this.source?.disconnect();
    this.source = null;
    this.analyser = null;
    this.track?.stop();
    this.track = null;
    this.lost = false;
  }
}
