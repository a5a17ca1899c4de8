/**
 * The room's voice call, as one controller the page wires in a few lines
 * (installVoice). It owns the microphone (asked for only when the person presses
 * "Join voice"), mute and push-to-talk, speaking detection, the spatial mixer
 * (voices placed at avatar heads, listener at the local camera, every frame) and
 * the transport (full mesh by default; the VoiceTransport seam lets an SFU replace it).
 *
 * The room state is the source of truth for who is in the call: a seat's
 * `inCall` flag (set by its own `voice` message) makes the others connect to it,
 * and clearing it, or leaving the room, makes them hang up.
 *
 * Mute sends nothing at all: the track is disabled AND removed from every sender
 * (replaceTrack(null)). Measured in Chromium 156: a disabled track alone keeps
 * sending ~150 B/s of silence frames; with replaceTrack(null) bytesSent stops.
 */
import type { Observer, Scene } from "@babylonjs/core";
import type { z } from "zod";
import type { ClientMessage, SignalMessage } from "../../shared/protocol.ts";
import type { SeatState } from "../../shared/state.ts";
import { MeshTransport } from "./MeshTransport.ts";
import { MIC_ENDED, micErrorMessage, NO_MEDIA_DEVICES } from "./micErrors.ts";
import { SpatialMixer } from "./SpatialMixer.ts";
import { rms, SpeakingDetector } from "./SpeakingDetector.ts";
import { VoicePanel, type MemberView } from "./VoicePanel.ts";
import { VoiceStateSender } from "./VoiceStateSender.ts";
import type { PeerStats, TransportEvents, VoiceTransport } from "./VoiceTransport.ts";

type VoiceMessage = "signal" | "voice";
type Payload<K extends VoiceMessage> = z.input<(typeof ClientMessage)[K]>;

export interface VoiceDeps {
  /** The Babylon scene: its active camera is the listener; its render loop places the voices. */
  scene: Scene;
  /** The seat this connection drives: null until the room welcomed us, and after the seat moved to another device. */
  mySeat(): string | null;
  /** Send a room message (PlantSession.send). */
  send<K extends VoiceMessage>(type: K, payload: Payload<K>): void;
  /** A remote participant's (smoothed) head position in the plant frame, or null when there is no avatar. */
  headOf(seat: string): { x: number; y: number; z: number } | null;
  /**
   * STUN/TURN servers for the mesh. Default [] (LAN host candidates only): a plant
   * network is often air-gapped and the page must not reach out. A deployment that
   * needs TURN (e.g. a site-local coturn) passes it here from its own configuration.
   */
  iceServers?: RTCIceServer[];
  /** Where the voice panel goes; default: inside #participants (else <body>). */
  host?: HTMLElement;
  /** Replace the full mesh (e.g. an SFU transport). Called once per join. */
  transport?: (mySeat: string, events: TransportEvents) => VoiceTransport;
}

export interface VoiceController {
  /** Route the room's `signal` messages here (PlantSession onSignal). */
  onSignal(m: SignalMessage): void;
  /** Call with the room's seats after each state patch. */
  onSeats(seats: Iterable<SeatState>): void;
  /** Push-to-talk (XR trigger, a held key): while down, a muted microphone is open. */
  setPushToTalk(down: boolean): void;
  joinAsync(): Promise<void>;
  leave(): void;
  toggleMute(): void;
  readonly inCall: boolean;
  readonly muted: boolean;
  /**
   * This device just took the seat over from another one (handoff, pull, take back): if the seat
   * is in the call, join it with the seat's mute state, so the call moves with the seat.
   */
  continueCall(): void;
  dispose(): void;
}

/** Test and debugging hook: what the call is doing. */
export interface VoiceTestHook {
  readonly inCall: boolean;
  readonly muted: boolean;
  /** Local speaking detection (before the room echoes it). */
  readonly speaking: boolean;
  /** Link stats per remote talker, as of the last 2-second poll. */
  peers(): PeerStats[];
  /** Poll link stats now. */
  refreshStats(): Promise<PeerStats[]>;
  /** Peak level (0..1) of a talker's received audio in Web Audio. */
  level(seat: string): number;
  /** The analyser on a talker's received audio (benches detect tone onsets on it). */
  tap(seat: string): AnalyserNode | null;
  /** `voice` messages sent so far. */
  messagesSent(): number;
  /** Handoff bookkeeping: the seat this device joined the call as, its voice epoch then, and when the seat moved away. */
  handover(): { callSeat: string | null; callEpoch: number; handedOverAt: number | null; adopting: boolean };
}

declare global {
  interface Window {
    __gemba_voice?: VoiceTestHook;
  }
}

const MIC_KEY = "gemba.voice.mic";
const METER_MS = 40; // <= the 2048-sample analyser window (43 ms at 48 kHz): no gap between windows
const STATS_MS = 2000;

interface SeatView {
  id: string;
  name: string;
  color: string;
  presence: string;
  inCall: boolean;
  muted: boolean;
  speaking: boolean;
  voiceEpoch: number;
}

/** How long a device that handed its seat away keeps talking while the new device joins the call. */
const HANDOVER_GRACE_MS = 10_000;

class VoiceCall implements VoiceController {
  private readonly panel: VoicePanel;
  private readonly detector = new SpeakingDetector();
  private readonly stateSender: VoiceStateSender;
  private mixer: SpatialMixer | null = null;
  private transport: VoiceTransport | null = null;
  private micTrack: MediaStreamTrack | null = null;
  private micSource: MediaStreamAudioSourceNode | null = null;
  private micAnalyser: AnalyserNode | null = null;
  private readonly micBuf = new Float32Array(2048);
  private seats: SeatView[] = [];
  private readonly links = new Map<string, string>();
  private lastStats: PeerStats[] = [];
  private meterTimer: ReturnType<typeof setInterval> | undefined;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private readonly frameObserver: Observer<Scene> | null;
  private joining = false;
  private joined = false;
  private userMuted = false;
  private ptt = false;
  private micLost = false;
  private spatial = true;
  private micPref: string | null = null;
  /** Since when the room's copy of this seat's voice flags disagrees with this page (null: it agrees). */
  private mismatchSince: number | null = null;
  /** The seat the call was joined as. */
  private callSeat: string | null = null;
  /** The seat's voice epoch while this device is its voice (a new one means another device took over). */
  private callEpoch = -1;
  /** When this device lost its seat to another device while in the call (handoff), else null. */
  private handedOverAt: number | null = null;
  /** Set when this device takes a seat over: join the call if the seat is in it, with its mute state. */
  private adopting = false;

  constructor(private readonly deps: VoiceDeps) {
    const host = deps.host ?? document.getElementById("participants") ?? document.body;
    this.panel = new VoicePanel(host, {
      join: () => void this.joinAsync(),
      leave: () => this.leave(),
      toggleMute: () => this.toggleMute(),
      setSpatial: (on) => {
        this.spatial = on;
        this.mixer?.setSpatial(on);
        this.render();
      },
      pickMic: (id) => void this.pickMicAsync(id),
      setVolume: (seat, v) => this.mixer?.setVolume(seat, v),
    });
    this.stateSender = new VoiceStateSender((s) => deps.send("voice", s));
    try {
      this.micPref = localStorage.getItem(MIC_KEY);
    } catch {
      this.micPref = null;
    }
    this.frameObserver = deps.scene.onBeforeRenderObservable.add(this.frame);
    window.addEventListener("keydown", this.onKey);
    navigator.mediaDevices?.addEventListener("devicechange", this.onDeviceChange);
    this.render();
  }

  get inCall(): boolean {
    return this.joined;
  }

  get muted(): boolean {
    return this.micLost || (this.userMuted && !this.ptt);
  }

  get speaking(): boolean {
    return this.joined && !this.muted && this.detector.speaking;
  }

  // ---- joining and leaving -----------------------------------------------------------------

  async joinAsync(): Promise<void> {
    if (this.joined || this.joining) return;
    const me = this.deps.mySeat();
    if (!me) {
      this.panel.message("Not connected to the room yet.");
      return;
    }
    if (!navigator.mediaDevices?.getUserMedia) {
      this.panel.message(NO_MEDIA_DEVICES);
      return;
    }
    this.joining = true;
    this.panel.message(null);
    this.render();
    // Made inside the click: an AudioContext created during a user gesture may play.
    const mixer = new SpatialMixer();
    mixer.resumeAsync().catch(() => undefined);
    let stream: MediaStream;
    try {
      stream = await this.openMic(this.micPref, false);
    } catch (e) {
      this.joining = false;
      await mixer.closeAsync();
      this.panel.message(micErrorMessage(e));
      // A seat taken over while in the call says it is not, so nobody keeps waiting for its voice.
      this.publish();
      this.render();
      return;
    }
    this.mixer = mixer;
    mixer.setSpatial(this.spatial);
    this.useMic(stream);
    const events: TransportEvents = {
      signal: (to, kind, data) => this.deps.send("signal", { to, kind, data }),
      remoteStream: (seat, s) => this.mixer?.add(seat, s),
      remoteGone: (seat) => {
        this.mixer?.remove(seat);
        this.links.delete(seat);
        this.render();
      },
      peerState: (seat, state) => {
        this.links.set(seat, state);
        this.render();
      },
    };
    this.transport =
      this.deps.transport?.(me, events) ?? new MeshTransport(me, events, { iceServers: this.deps.iceServers ?? [] });
    this.joined = true;
    this.joining = false;
    this.callSeat = me;
    await this.applyMute();
    this.transport.setPeers(this.peerSet());
    this.meterTimer = setInterval(this.meter, METER_MS);
    this.statsTimer = setInterval(() => void this.pollStatsAsync(), STATS_MS);
    await this.refreshMicsAsync();
    this.render();
  }

  leave(): void {
    if (!this.joined) return;
    this.joined = false;
    this.handedOverAt = null;
    this.callEpoch = -1;
    this.transport?.close();
    this.transport = null;
    clearInterval(this.meterTimer);
    clearInterval(this.statsTimer);
    this.micSource?.disconnect();
    this.micSource = null;
    this.micAnalyser = null;
    this.micTrack?.stop();
    this.micTrack = null;
    this.micLost = false;
    const mixer = this.mixer;
    this.mixer = null;
    mixer?.closeAsync().catch(() => undefined);
    this.detector.reset();
    this.links.clear();
    this.lastStats = [];
    this.panel.setStats([], (s) => s);
    this.publish();
    this.render();
  }

  // ---- microphone ----------------------------------------------------------------------------

  private openMic(deviceId: string | null, exact: boolean): Promise<MediaStream> {
    const audio: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
    // A remembered device is only a preference: if it is gone, the default one is taken.
    if (deviceId) audio.deviceId = exact ? { exact: deviceId } : { ideal: deviceId };
    return navigator.mediaDevices.getUserMedia({ audio });
  }

  private useMic(stream: MediaStream): void {
    const track = stream.getAudioTracks()[0] ?? null;
    const old = this.micTrack;
    this.micTrack = track;
    old?.stop();
    this.micSource?.disconnect();
    this.micSource = null;
    this.micAnalyser = null;
    this.micLost = !track;
    if (!track || !this.mixer) return;
    track.addEventListener("ended", () => {
      if (track !== this.micTrack) return;
      this.micLost = true;
      this.panel.message(MIC_ENDED);
      void this.applyMute();
      void this.refreshMicsAsync();
    });
    const ctx = this.mixer.ctx;
    this.micSource = ctx.createMediaStreamSource(stream);
    this.micAnalyser = ctx.createAnalyser();
    this.micAnalyser.fftSize = this.micBuf.length;
    this.micSource.connect(this.micAnalyser);
  }

  private async pickMicAsync(deviceId: string): Promise<void> {
    if (!this.joined) return;
    try {
      const stream = await this.openMic(deviceId, true);
      if (!this.joined) {
        for (const t of stream.getTracks()) t.stop();
        return;
      }
      this.micPref = deviceId;
      try {
        localStorage.setItem(MIC_KEY, deviceId);
      } catch {
        // Private mode: the choice lasts for this page only.
      }
      this.useMic(stream);
      this.panel.message(null);
      // The new track goes out with replaceTrack: no renegotiation.
      await this.applyMute();
    } catch (e) {
      this.panel.message(micErrorMessage(e));
    }
    await this.refreshMicsAsync();
  }

  private async refreshMicsAsync(): Promise<void> {
    if (!this.joined) return;
    const all = await navigator.mediaDevices.enumerateDevices().catch(() => [] as MediaDeviceInfo[]);
    const mics = all.filter((d) => d.kind === "audioinput");
    const current = this.micLost ? "" : (this.micTrack?.getSettings().deviceId ?? this.micPref ?? "");
    this.panel.setMics(mics, current);
  }

  private readonly onDeviceChange = () => void this.refreshMicsAsync();

  // ---- mute, push-to-talk, speaking ----------------------------------------------------------

  toggleMute(): void {
    if (!this.joined) return;
    this.userMuted = !this.userMuted;
    void this.applyMute();
  }

  setPushToTalk(down: boolean): void {
    if (this.ptt === down) return;
    this.ptt = down;
    void this.applyMute();
  }

  private async applyMute(): Promise<void> {
    const muted = this.muted;
    if (this.micTrack) this.micTrack.enabled = !muted;
    if (muted) this.detector.reset();
    this.publish();
    this.render();
    await this.transport?.setOutboundTrack(muted ? null : this.micTrack);
  }

  private publish(): void {
    this.stateSender.set({ inCall: this.joined, muted: this.joined && this.muted, speaking: this.speaking });
  }

  private readonly meter = () => {
    const a = this.micAnalyser;
    if (!a) return;
    const was = this.detector.speaking;
    let level = 0;
    if (!this.muted) {
      a.getFloatTimeDomainData(this.micBuf);
      level = rms(this.micBuf);
    }
    if (this.detector.update(level, performance.now()) !== was) {
      this.publish();
      this.render();
    }
  };

  private readonly onKey = (e: KeyboardEvent) => {
    const t = e.target;
    if (
      t instanceof HTMLInputElement ||
      t instanceof HTMLTextAreaElement ||
      t instanceof HTMLSelectElement ||
      (t instanceof HTMLElement && t.isContentEditable)
    )
      return;
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    if ((e.key === "m" || e.key === "M") && this.joined) this.toggleMute();
  };

  // ---- room ----------------------------------------------------------------------------------

  onSignal(m: SignalMessage): void {
    // Not in the call: an offer is stale (the offerer re-offers once we join and it sees us).
    this.transport?.handleSignal(m);
  }

  onSeats(seats: Iterable<SeatState>): void {
    const next: SeatView[] = [];
    for (const s of seats) {
      next.push({
        id: s.id,
        name: s.name,
        color: s.color,
        presence: s.presence,
        inCall: s.inCall,
        muted: s.muted,
        speaking: s.speaking,
        voiceEpoch: s.voiceEpoch,
      });
    }
    this.seats = next;
    const me = this.deps.mySeat();
    if (this.joined && me === null && this.stillTheVoice(next)) {
      // Handed over: keep talking until the seat's new device is in the call (make-before-break).
      this.transport?.setPeers(this.peerSet());
      this.render();
      return;
    }
    if (!this.joined && me && this.adopting) this.adopt(next.find((s) => s.id === me));
    if (this.joined && me !== this.callSeat) {
      // Our seat changed under the call (the room was re-joined after a restart) or moved to another
      // device: links and signalling belong to the old seat. Hang up; join again as the new seat.
      this.leave();
      if (me) void this.joinAsync();
      return;
    }
    const mine = me ? next.find((s) => s.id === me) : undefined;
    if (this.joined && mine) this.callEpoch = mine.voiceEpoch;
    this.checkOwnSeat(mine);
    if (this.transport) this.transport.setPeers(this.peerSet());
    this.render();
  }

  continueCall(): void {
    this.adopting = true;
    const me = this.deps.mySeat();
    if (me && !this.joined) this.adopt(this.seats.find((s) => s.id === me));
  }

  private adopt(mine: SeatView | undefined): void {
    if (!mine || this.joining) return;
    this.adopting = false;
    if (!mine.inCall) return;
    this.userMuted = mine.muted;
    void this.joinAsync();
  }

  /** After a handoff: whether this device still carries the seat's voice (the new device has not joined yet). */
  private stillTheVoice(seats: SeatView[]): boolean {
    const seat = seats.find((s) => s.id === this.callSeat);
    const now = performance.now();
    this.handedOverAt ??= now;
    return !!seat && seat.inCall && seat.voiceEpoch === this.callEpoch && now - this.handedOverAt < HANDOVER_GRACE_MS;
  }

  /**
   * The seat's voice flags belong to the device driving it. When the room's copy
   * disagrees with this page for more than 2 s (the seat was handed over from a
   * device that was in the call, or re-created after a restart), say it again;
   * otherwise the others would keep offering to a seat that is not in the call.
   */
  private checkOwnSeat(mine: SeatView | undefined): void {
    const agrees = !mine || (mine.inCall === this.joined && (!this.joined || mine.muted === this.muted));
    if (agrees || this.joining) {
      this.mismatchSince = null;
      return;
    }
    const now = performance.now();
    this.mismatchSince ??= now;
    if (now - this.mismatchSince < 2000) return;
    this.mismatchSince = now;
    this.stateSender.invalidate();
    this.publish();
  }

  /**
   * Others in the call. A seat whose connection dropped ("reconnecting") is left
   * out: the room cannot relay signals to it, and a page that closed leaves its
   * link dangling until ICE gives up. It is offered again once it is back online.
   */
  private peerSet(): ReadonlyMap<string, number> {
    const me = this.deps.mySeat() ?? this.callSeat;
    const set = new Map<string, number>();
    for (const s of this.seats) if (s.id !== me && s.inCall && s.presence === "online") set.set(s.id, s.voiceEpoch);
    return set;
  }

  // ---- per frame: listener and voices --------------------------------------------------------

  private readonly frame = () => {
    const mixer = this.mixer;
    if (!mixer || mixer.voices.length === 0) return;
    const scene = this.deps.scene;
    const cam = scene.activeCamera;
    if (!cam) return;
    const m = cam.getWorldMatrix().m;
    // A camera looks along its local -Z in a right-handed scene (+Z in a left-handed one).
    const s = scene.useRightHandedSystem ? -1 : 1;
    let fx = s * m[8]!;
    let fy = s * m[9]!;
    let fz = s * m[10]!;
    const fl = Math.hypot(fx, fy, fz) || 1;
    fx /= fl;
    fy /= fl;
    fz /= fl;
    let ux = m[4]!;
    let uy = m[5]!;
    let uz = m[6]!;
    const ul = Math.hypot(ux, uy, uz) || 1;
    ux /= ul;
    uy /= ul;
    uz /= ul;
    // Entering XR, the camera's matrix holds NaN for a frame or two; an AudioParam throws on a non-finite
    // value, and a throw here would abort the frame (and the XR entry it belongs to). Keep the last placement.
    if (!Number.isFinite(m[12]! + m[13]! + m[14]! + fx + fy + fz + ux + uy + uz)) return;
    mixer.placeListener(m[12]!, m[13]!, m[14]!, fx, fy, fz, ux, uy, uz);
    const voices = mixer.voices;
    for (let i = 0; i < voices.length; i++) {
      const v = voices[i]!;
      const h = this.deps.headOf(v.seat);
      if (h && Number.isFinite(h.x + h.y + h.z)) mixer.placeVoice(v, h.x, h.y, h.z);
    }
  };

  // ---- stats and UI --------------------------------------------------------------------------

  async pollStatsAsync(): Promise<PeerStats[]> {
    const t = this.transport;
    if (!t) return [];
    const rows = await t.stats();
    if (t !== this.transport) return [];
    this.lastStats = rows;
    for (const r of rows) this.links.set(r.seat, r.state);
    this.panel.setStats(rows, (seat) => this.seats.find((s) => s.id === seat)?.name ?? seat);
    this.render();
    return rows;
  }

  private render(): void {
    const me = this.deps.mySeat();
    const members: MemberView[] = [];
    for (const s of this.seats) {
      const mine = s.id === me;
      if (mine ? !this.joined : !s.inCall) continue;
      members.push({
        seat: s.id,
        name: s.name,
        color: s.color,
        me: mine,
        muted: mine ? this.muted : s.muted,
        speaking: mine ? this.speaking : s.speaking,
        volume: this.mixer?.volumeOf(s.id) ?? 1,
        link: mine || !this.joined ? "" : (this.links.get(s.id) ?? "connecting"),
      });
    }
    this.panel.render({
      inCall: this.joined,
      joining: this.joining,
      canJoin: me !== null,
      muted: this.muted,
      spatial: this.spatial,
      members,
    });
  }

  hook(): VoiceTestHook {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const call = this;
    return {
      get inCall() {
        return call.joined;
      },
      get muted() {
        return call.muted;
      },
      get speaking() {
        return call.speaking;
      },
      peers: () => call.lastStats.map((r) => ({ ...r })),
      refreshStats: () => call.pollStatsAsync(),
      level: (seat) => call.mixer?.level(seat) ?? 0,
      tap: (seat) => call.mixer?.analyserOf(seat) ?? null,
      messagesSent: () => call.stateSender.count,
      handover: () => ({
        callSeat: call.callSeat,
        callEpoch: call.callEpoch,
        handedOverAt: call.handedOverAt,
        adopting: call.adopting,
      }),
    };
  }

  dispose(): void {
    this.leave();
    this.stateSender.dispose();
    this.deps.scene.onBeforeRenderObservable.remove(this.frameObserver);
    window.removeEventListener("keydown", this.onKey);
    navigator.mediaDevices?.removeEventListener("devicechange", this.onDeviceChange);
    this.panel.dispose();
    if (window.__gemba_voice) delete window.__gemba_voice;
  }
}

/** Create the voice call and its panel; the page routes room signals and seat updates to it. */
export function installVoice(deps: VoiceDeps): VoiceController {
  const call = new VoiceCall(deps);
  window.__gemba_voice = call.hook();
  return call;
}
