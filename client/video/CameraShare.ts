/**
 * This device's camera in the call: opened only when the person presses "Share camera" (rear camera on a phone,
 * facingMode "environment"), sent on every link of the voice mesh with replaceTrack, at the chosen resolution.
 * Every few seconds it reads the links' measured outgoing bandwidth and caps the camera's bitrate to fit
 * (RTCRtpSender maxBitrate); below STILLS_BELOW_KBPS it stops the video and answers still requests instead, and
 * tries live video now and then (tryLiveAfterMs) so a recovered link is noticed.
 */
import type { VoiceTransport } from "../voice/VoiceTransport.ts";
import {
  CAP_KBPS,
  decideBitrate,
  meshKbps,
  outgoingKbps,
  TRY_LIVE_READINGS,
  tryLiveAfterMs,
  type BitrateState,
  type Resolution,
} from "./bitratePolicy.ts";
import { grabStill, type StillFrame } from "./stillFrame.ts";

const ADAPT_MS = 2000;

export interface CameraShareEvents {
  /** The mode the room should show for this seat ("off" when the camera stopped). */
  mode(mode: "off" | "live" | "stills"): void;
  /** Something the person should read (camera refused, camera unplugged). */
  message(text: string | null): void;
}

export function cameraError(e: unknown): string {
  const name = (e as { name?: string }).name;
  if (name === "NotAllowedError")
    return "The browser was not allowed to use the camera. Allow it in the address bar and try again.";
  if (name === "NotFoundError" || name === "OverconstrainedError") return "No camera was found on this device.";
  if (name === "NotReadableError") return "The camera is in use by another app.";
  return `The camera could not start: ${(e as Error).message ?? String(e)}`;
}

export class CameraShare {
  track: MediaStreamTrack | null = null;
  /** The local preview (also what stills are grabbed from). */
  readonly preview = document.createElement("video");
  resolution: Resolution = 360;
  state: BitrateState = { mode: "live", against: 0 };
  /** Last measured outgoing bandwidth (kbps), null before the first reading. */
  measuredKbps: number | null = null;
  maxBitrate: number | null = null;
  /** In stills: readings into the current try at live video (0: not trying), failed tries, when the next one starts. */
  tryReadings = 0;
  private failedTries = 0;
  private nextTryAt = 0;
  private transport: VoiceTransport | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly events: CameraShareEvents) {
    this.preview.muted = true;
    this.preview.playsInline = true;
  }

  get on(): boolean {
    return this.track !== null;
  }

  async startAsync(resolution: Resolution): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia) {
      this.events.message("This browser offers no camera here (it needs https or localhost).");
      return;
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: "environment" }, height: { ideal: resolution }, frameRate: { ideal: 30 } },
      });
    } catch (e) {
      this.events.message(cameraError(e));
      return;
    }
    this.stop(false);
    const track = stream.getVideoTracks()[0]!;
    // A phone sharpens edges for text and machines; "detail" keeps resolution when the bitrate drops.
    track.contentHint = "detail";
    track.addEventListener("ended", () => {
      if (this.track !== track) return;
      this.events.message("The camera stopped (unplugged or taken by another app).");
      this.stop();
    });
    this.track = track;
    this.resolution = resolution;
    this.state = { mode: "live", against: 0 };
    this.tryReadings = 0;
    this.preview.srcObject = new MediaStream([track]);
    void this.preview.play().catch(() => undefined);
    this.events.message(null);
    await this.transport?.setOutboundVideo?.(track);
    this.events.mode("live");
    this.timer = setInterval(() => void this.adaptAsync(), ADAPT_MS);
  }

  /** A new resolution: re-open the camera at it (a new track goes out with replaceTrack). */
  async setResolutionAsync(r: Resolution): Promise<void> {
    if (!this.track) {
      this.resolution = r;
      return;
    }
    await this.track.applyConstraints({ height: { ideal: r } }).catch(() => undefined);
    this.resolution = r;
    await this.adaptAsync();
  }

  stop(tell = true): void {
    clearInterval(this.timer);
    this.track?.stop();
    this.track = null;
    this.preview.srcObject = null;
    void this.transport?.setOutboundVideo?.(null);
    if (tell) this.events.mode("off");
  }

  /** The call's transport changed (joined, left, rejoined): send the camera on the new one. */
  setTransport(t: VoiceTransport | null): void {
    this.transport = t;
    if (!t) {
      if (this.track) this.stop();
      return;
    }
    if (this.track && this.state.mode === "live") void t.setOutboundVideo?.(this.track);
  }

  still(): StillFrame | null {
    return grabStill(this.preview);
  }

  async adaptAsync(): Promise<void> {
    const t = this.transport;
    if (!t || !this.track) return;
    const reports = (await t.videoStats?.()) ?? [];
    this.measuredKbps = meshKbps(reports.map((r) => outgoingKbps(r.values())));
    const d = decideBitrate(this.state, { kbps: this.measuredKbps }, this.resolution);
    const switched = d.mode !== this.state.mode;
    this.state = { mode: d.mode, against: d.against };
    if (d.mode === "live" && d.maxBitrate !== this.maxBitrate) {
      this.maxBitrate = d.maxBitrate;
      await t.setVideoMaxBitrate?.(d.maxBitrate);
    }
    if (!switched) {
      if (d.mode === "stills") await this.tryLiveAsync(t);
      return;
    }
    this.tryReadings = 0;
    this.failedTries = 0;
    this.nextTryAt = performance.now() + tryLiveAfterMs(0);
    // Stills: stop the RTP altogether (replaceTrack(null)); the camera stays open for stills on demand.
    await t.setOutboundVideo?.(d.mode === "live" ? this.track : null);
    this.events.mode(d.mode);
  }

  /**
   * In stills: now and then send video again, at the resolution's full cap, for TRY_LIVE_READINGS readings; the
   * readings above decide whether it stays (back to live) or stops again. Others keep seeing "stills" meanwhile.
   */
  private async tryLiveAsync(t: VoiceTransport): Promise<void> {
    if (this.tryReadings > 0) {
      if (++this.tryReadings <= TRY_LIVE_READINGS) return;
      this.tryReadings = 0;
      this.nextTryAt = performance.now() + tryLiveAfterMs(++this.failedTries);
      await t.setOutboundVideo?.(null);
      return;
    }
    if (performance.now() < this.nextTryAt) return;
    this.tryReadings = 1;
    this.maxBitrate = CAP_KBPS[this.resolution] * 1000;
    await t.setVideoMaxBitrate?.(this.maxBitrate);
    await t.setOutboundVideo?.(this.track);
  }
}
