/**
 * The room's voice call, as one controller the page wires in a few lines
 * (installVoice). It owns the microphone (asked for only when the person presses
 * "Join voice"), mute and push-to-talk, speaking detection, the spatial mixer
 * (voices placed at avatar heads, listener at the local camera, every frame) and
 * the transport (full mesh by default; the VoiceTransport seam lets an SFU replace it).
 * Its parts: Microphone.ts (device, track, level), SpeakingMeter.ts (speaking detection), placeVoices.ts
 * (voices at avatar heads), voiceContract.ts (what the page gives and gets); this file keeps the call itself
 * (join, leave, mute, the room's seats, handoff of the call) and the panel.
 *
 * The room state is the source of truth for who is in the call: a seat's
 * `inCall` flag (set by its own `voice` message) makes the others connect to it,
 * and clearing it, or leaving the room, makes them hang up.
 *
 * Mute sends nothing at all: the track is disabled AND removed from every sender
 * (replaceTrack(null)). Measured in Chromium 156: a disabled track alone keeps
 * sending ~150 B/s of silence frames; with replaceTrack(null) bytesSent stops.
 */
import type { Observer } from "@babylonjs/core/Misc/observable.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { SignalMessage } from "../../shared/protocol.ts";
import type { SeatState } from "../../shared/state.ts";
import { MeshTransport } from "./MeshTransport.ts";
import { Microphone } from "./Microphone.ts";
import { MIC_ENDED, micErrorMessage, NO_MEDIA_DEVICES } from "./micErrors.ts";
import { placeVoices } from "./placeVoices.ts";
import { SpatialMixer } from "./SpatialMixer.ts";
import { SpeakingMeter } from "./SpeakingMeter.ts";
import type { SeatView, VoiceController, VoiceDeps, VoiceTestHook } from "./voiceContract.ts";
import { VoicePanel, type MemberView } from "./VoicePanel.ts";
import { VoiceStateSender } from "./VoiceStateSender.ts";
import type { PeerStats, TransportEvents, VoiceTransport } from "./VoiceTransport.ts";

const STATS_MS = 2000;

/** How long a device that handed its seat away keeps talking while the new device joins the call. */
const HANDOVER_GRACE_MS = 10_000;

class VoiceCall implements VoiceController {
  private readonly panel: VoicePanel;
  private readonly mic: Microphone;
  private readonly meter: SpeakingMeter;
  private readonly stateSender: VoiceStateSender;
  private mixer: SpatialMixer | null = null;
  private transport: VoiceTransport | null = null;
  private seats: SeatView[] = [];
  private readonly links = new Map<string, string>();
  private lastStats: PeerStats[] = [];
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private readonly frameObserver: Observer<Scene> | null;
  private joining = false;
  private joined = false;
  private userMuted = false;
  private ptt = false;
  private spatial = true;
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
    this.mic = new Microphone(() => {
      this.panel.message(MIC_ENDED);
      void this.applyMute();
      void this.refreshMicsAsync();
    });
    this.meter = new SpeakingMeter(
      this.mic,
      () => this.muted,
      () => {
        this.publish();
        this.render();
      },
    );
    const headOf = (seat: string) => deps.headOf(seat);
    this.frameObserver = deps.scene.onBeforeRenderObservable.add(() => {
      if (this.mixer) placeVoices(deps.scene, this.mixer, headOf);
    });
    window.addEventListener("keydown", this.onKey);
    navigator.mediaDevices?.addEventListener("devicechange", this.onDeviceChange);
    this.render();
  }

  get inCall(): boolean {
    return this.joined;
  }

  get muted(): boolean {
    return this.mic.lost || (this.userMuted && !this.ptt);
  }

  get speaking(): boolean {
    return this.joined && !this.muted && this.meter.speaking;
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
      stream = await this.mic.openPreferred();
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
    this.mic.use(stream, mixer.ctx);
    const events: TransportEvents = {
      signal: (to, kind, data) => this.deps.send("signal", { to, kind, data }),
      remoteStream: (seat, s) => this.mixer?.add(seat, s),
      remoteVideo: (seat, track) => this.deps.onRemoteVideo?.(seat, track),
      remoteGone: (seat) => {
        this.deps.onRemoteVideo?.(seat, null);
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
      this.deps.transport?.(me, events) ??
      new MeshTransport(me, events, { iceServers: this.deps.iceServers?.() ?? [] });
    this.joined = true;
    this.joining = false;
    this.callSeat = me;
    this.deps.onTransport?.(this.transport);
    await this.applyMute();
    this.transport.setPeers(this.peerSet());
    this.meter.start();
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
    this.deps.onTransport?.(null);
    this.meter.stop();
    clearInterval(this.statsTimer);
    this.mic.release();
    const mixer = this.mixer;
    this.mixer = null;
    mixer?.closeAsync().catch(() => undefined);
    this.meter.reset();
    this.links.clear();
    this.lastStats = [];
    this.panel.setStats([], (s) => s);
    this.publish();
    this.render();
  }

  // ---- microphone ----------------------------------------------------------------------------

  private async pickMicAsync(deviceId: string): Promise<void> {
    if (!this.joined) return;
    try {
      const stream = await this.mic.openExact(deviceId);
      if (!this.joined) {
        for (const t of stream.getTracks()) t.stop();
        return;
      }
      this.mic.remember(deviceId);
      this.mic.use(stream, this.mixer?.ctx ?? null);
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
    const { mics, current } = await this.mic.list();
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
    if (this.mic.track) this.mic.track.enabled = !muted;
    if (muted) this.meter.reset();
    this.publish();
    this.render();
    await this.transport?.setOutboundTrack(muted ? null : this.mic.track);
  }

  private publish(): void {
    this.stateSender.set({ inCall: this.joined, muted: this.joined && this.muted, speaking: this.speaking });
  }

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

/** Create the voice call and its panel (index.ts does, once the call is first used); returns its test hook too. */
export function createVoiceCall(deps: VoiceDeps): { call: VoiceController; hook: VoiceTestHook } {
  const call = new VoiceCall(deps);
  return { call, hook: call.hook() };
}
