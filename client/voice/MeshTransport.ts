/**
 * Full-mesh voice transport: one RTCPeerConnection per other seat in the call,
 * signalled through the room (`signal` offer/answer/ice/bye).
 *
 * Glare is avoided by rule, not by negotiation: of two seats, the one with the
 * lexicographically smaller id offers and the other answers. Nothing ever
 * renegotiates (device switch and mute use RTCRtpSender.replaceTrack), so every
 * offer starts a fresh session: an answerer that receives an offer for a seat it
 * already has a link to drops the old link and answers the new one.
 *
 * Lost offers and failed links are repaired by the offerer alone: a link that is
 * not connected some seconds after its offer (or that failed) is torn down and
 * offered again, with a growing wait.
 *
 * Video (docs/VIDEO.md) rides the same links without renegotiation: every offer carries an audio and a video
 * transceiver from the start, and a camera goes on or off with replaceTrack, like mute. A renegotiation here
 * would be a fresh offer, which by the rule above restarts the session and cuts the voice for a moment. ICE servers default to none: host
 * candidates only, which is what an air-gapped plant LAN has. No request leaves
 * the page unless the deployment configures STUN/TURN (docs/VOICE.md).
 */
import type { SignalMessage } from "../../shared/protocol.ts";
import { readLinkStats } from "./linkStats.ts";
import type { PeerStats, TransportEvents, VoiceTransport } from "./VoiceTransport.ts";

export interface MeshOptions {
  /** STUN/TURN servers; default [] (LAN host candidates only). */
  iceServers?: RTCIceServer[];
  /** First repair wait (ms) for an offer that did not connect; doubles per attempt up to 60 s. */
  repairAfterMs?: number;
}

interface Peer {
  seat: string;
  pc: RTCPeerConnection;
  offerer: boolean;
  sender: RTCRtpSender | null;
  /** The video transceiver's sender (the camera, or null track when it is off). */
  videoSender: RTCRtpSender | null;
  /** Remote candidates that arrived before the remote description. */
  pendingIce: RTCIceCandidateInit[];
  remoteSet: boolean;
  /** When the link entered its current connection state (or was opened). */
  since: number;
  /** The seat's voice epoch this link was made for: a new epoch is the seat's new device (handoff). */
  epoch: number;
  closed: boolean;
}

/** Whether this seat makes the offer to `other` (the smaller id offers). */
export function offersTo(me: string, other: string): boolean {
  return me < other;
}

export class MeshTransport implements VoiceTransport {
  private readonly peers = new Map<string, Peer>();
  /** Seats in the call (other than ours) -> their voice epoch. */
  private wanted: ReadonlyMap<string, number> = new Map();
  private track: MediaStreamTrack | null = null;
  private videoTrack: MediaStreamTrack | null = null;
  /** Bits per second the camera may use per link (RTCRtpSender maxBitrate); null: the browser decides. */
  private videoMaxBitrate: number | null = null;
  /** Carries the msid so the far side's ontrack has a stream even while we send nothing. */
  private readonly outStream = new MediaStream();
  private readonly attempts = new Map<string, number>();
  private readonly watchdog: ReturnType<typeof setInterval>;
  private readonly iceServers: RTCIceServer[];
  private readonly repairAfterMs: number;
  private closed = false;

  constructor(
    private readonly me: string,
    private readonly events: TransportEvents,
    options: MeshOptions = {},
  ) {
    this.iceServers = options.iceServers ?? [];
    this.repairAfterMs = options.repairAfterMs ?? 8000;
    this.watchdog = setInterval(() => this.repair(), 2000);
  }

  setPeers(seats: ReadonlyMap<string, number>): void {
    if (this.closed) return;
    this.wanted = new Map([...seats].filter(([s]) => s !== this.me));
    for (const p of [...this.peers.values()]) {
      // They left the call or the room: they know; no bye (the room would refuse a signal to a seat that left).
      if (!this.wanted.has(p.seat)) this.drop(p);
    }
    for (const [seat, epoch] of this.wanted) {
      if (!offersTo(this.me, seat)) continue;
      const p = this.peers.get(seat);
      // A new epoch: the seat's call moved to another device (handoff). The old link keeps playing until
      // this offer replaces it; the other way round, their new device offers to us and `answer` replaces it.
      if (!p || p.epoch !== epoch) this.offer(seat);
    }
  }

  async setOutboundTrack(track: MediaStreamTrack | null): Promise<void> {
    this.track = track;
    for (const t of this.outStream.getTracks()) this.outStream.removeTrack(t);
    if (track) this.outStream.addTrack(track);
    // replaceTrack(null) stops RTP altogether; `track.enabled = false` alone keeps sending silence frames.
    const senders = [...this.peers.values()].flatMap((p) => (p.sender ? [p.sender] : []));
    await Promise.all(senders.map((s) => s.replaceTrack(track).catch(() => undefined)));
  }

  async setOutboundVideo(track: MediaStreamTrack | null): Promise<void> {
    this.videoTrack = track;
    const senders = [...this.peers.values()].flatMap((p) => (p.videoSender ? [p.videoSender] : []));
    await Promise.all(senders.map((s) => s.replaceTrack(track).catch(() => undefined)));
  }

  async setVideoMaxBitrate(bps: number | null): Promise<void> {
    this.videoMaxBitrate = bps;
    await Promise.all([...this.peers.values()].map((p) => this.applyVideoBitrate(p)));
  }

  private async applyVideoBitrate(p: Peer): Promise<void> {
    const sender = p.videoSender;
    if (!sender) return;
    const params = sender.getParameters();
    // Before negotiation there are no encodings to limit; the limit is applied again once connected.
    if (!params.encodings?.length) return;
    for (const e of params.encodings) {
      if (this.videoMaxBitrate === null) delete e.maxBitrate;
      else e.maxBitrate = this.videoMaxBitrate;
    }
    await sender
      .setParameters(params)
      .catch((e: unknown) => console.warn(`video: setParameters: ${(e as Error).message}`));
  }

  async videoStats(): Promise<RTCStatsReport[]> {
    const reports = await Promise.all([...this.peers.values()].map((p) => p.pc.getStats().catch(() => null)));
    return reports.filter((r): r is RTCStatsReport => r !== null);
  }

  handleSignal(m: SignalMessage): void {
    if (this.closed || m.from === this.me) return;
    switch (m.kind) {
      case "offer":
        void this.answer(m.from, m.data);
        break;
      case "answer":
        void this.accept(m.from, m.data);
        break;
      case "ice":
        void this.addIce(m.from, m.data);
        break;
      case "bye": {
        const p = this.peers.get(m.from);
        if (p) this.drop(p);
        // They may be rejoining already (a leave and a join can land in one patch): offer again if they are still wanted.
        if (this.wanted.has(m.from) && offersTo(this.me, m.from)) this.offer(m.from);
        break;
      }
    }
  }

  async stats(): Promise<PeerStats[]> {
    return Promise.all(
      [...this.peers.values()].map(async (p) => {
        const report = await p.pc.getStats().catch(() => null);
        const link = report
          ? readLinkStats(report.values())
          : { inboundBytes: 0, outboundBytes: 0, rtt: null, jitter: null, loss: null, jitterBufferMs: null };
        return { seat: p.seat, state: p.pc.connectionState, ...link };
      }),
    );
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watchdog);
    for (const p of [...this.peers.values()]) {
      this.events.signal(p.seat, "bye", "");
      this.drop(p);
    }
  }

  // ---- one link ----------------------------------------------------------------------------

  private create(seat: string, offerer: boolean): Peer {
    const old = this.peers.get(seat);
    if (old) this.drop(old);
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    const peer: Peer = {
      seat,
      pc,
      offerer,
      sender: null,
      videoSender: null,
      pendingIce: [],
      remoteSet: false,
      since: performance.now(),
      epoch: this.wanted.get(seat) ?? 0,
      closed: false,
    };
    this.peers.set(seat, peer);
    pc.onicecandidate = (e) => {
      if (e.candidate && !peer.closed) this.events.signal(seat, "ice", JSON.stringify(e.candidate.toJSON()));
    };
    pc.ontrack = (e) => {
      if (peer.closed) return;
      if (e.track.kind === "video") {
        this.events.remoteVideo?.(seat, e.track);
        return;
      }
      this.events.remoteStream(seat, e.streams[0] ?? new MediaStream([e.track]));
    };
    pc.onconnectionstatechange = () => {
      if (peer.closed) return;
      const state = pc.connectionState;
      peer.since = performance.now();
      if (state === "connected") {
        this.attempts.delete(seat);
        void this.applyVideoBitrate(peer);
      }
      this.events.peerState?.(seat, state);
    };
    return peer;
  }

  private offer(seat: string): void {
    const peer = this.create(seat, true);
    const t = peer.pc.addTransceiver("audio", { direction: "sendrecv", streams: [this.outStream] });
    peer.sender = t.sender;
    const v = peer.pc.addTransceiver("video", { direction: "sendrecv" });
    peer.videoSender = v.sender;
    void (async () => {
      try {
        if (this.track) await t.sender.replaceTrack(this.track);
        if (this.videoTrack) await v.sender.replaceTrack(this.videoTrack);
        await peer.pc.setLocalDescription(await peer.pc.createOffer());
        if (peer.closed) return;
        this.events.signal(seat, "offer", peer.pc.localDescription?.sdp ?? "");
      } catch (e) {
        this.fail(peer, e);
      }
    })();
  }

  private async answer(seat: string, sdp: string): Promise<void> {
    if (offersTo(this.me, seat)) {
      // Only the smaller id offers; an offer the other way is a peer on another rule. Ours stands.
      console.warn(`voice: ignoring an offer from ${seat}: this side offers`);
      return;
    }
    const peer = this.create(seat, false);
    try {
      await peer.pc.setRemoteDescription({ type: "offer", sdp });
      peer.remoteSet = true;
      const [t, v] = peer.pc.getTransceivers();
      if (v && v.receiver.track.kind === "video") {
        v.direction = "sendrecv";
        peer.videoSender = v.sender;
        if (this.videoTrack) await v.sender.replaceTrack(this.videoTrack);
      }
      if (t) {
        t.direction = "sendrecv";
        peer.sender = t.sender;
        // setStreams gives our audio an msid on the far side, so its ontrack carries a stream.
        t.sender.setStreams?.(this.outStream);
        if (this.track) await t.sender.replaceTrack(this.track);
      }
      await peer.pc.setLocalDescription(await peer.pc.createAnswer());
      if (peer.closed) return;
      this.events.signal(seat, "answer", peer.pc.localDescription?.sdp ?? "");
      await this.flushIce(peer);
    } catch (e) {
      this.fail(peer, e);
    }
  }

  private async accept(seat: string, sdp: string): Promise<void> {
    const peer = this.peers.get(seat);
    if (!peer || !peer.offerer || peer.pc.signalingState !== "have-local-offer") return;
    try {
      await peer.pc.setRemoteDescription({ type: "answer", sdp });
      peer.remoteSet = true;
      await this.flushIce(peer);
    } catch (e) {
      this.fail(peer, e);
    }
  }

  private async addIce(seat: string, data: string): Promise<void> {
    const peer = this.peers.get(seat);
    if (!peer) return;
    let init: RTCIceCandidateInit;
    try {
      init = JSON.parse(data) as RTCIceCandidateInit;
    } catch {
      return;
    }
    if (!peer.remoteSet) {
      peer.pendingIce.push(init);
      return;
    }
    // A candidate for a session that was replaced meanwhile fails harmlessly.
    await peer.pc.addIceCandidate(init).catch(() => undefined);
  }

  private async flushIce(peer: Peer): Promise<void> {
    const queued = peer.pendingIce.splice(0);
    for (const c of queued) await peer.pc.addIceCandidate(c).catch(() => undefined);
  }

  private fail(peer: Peer, e: unknown): void {
    if (peer.closed) return;
    console.warn(`voice: link to ${peer.seat} failed to set up: ${(e as Error).message}`);
    this.events.peerState?.(peer.seat, "failed");
  }

  private drop(peer: Peer): void {
    if (peer.closed) return;
    peer.closed = true;
    peer.pc.onicecandidate = null;
    peer.pc.ontrack = null;
    peer.pc.onconnectionstatechange = null;
    peer.pc.close();
    if (this.peers.get(peer.seat) === peer) this.peers.delete(peer.seat);
    this.events.remoteGone(peer.seat);
  }

  /** The offerer re-offers links that never connected or that failed, waiting longer each time. */
  private repair(): void {
    const now = performance.now();
    for (const p of [...this.peers.values()]) {
      if (!p.offerer || !this.wanted.has(p.seat)) continue;
      const state = p.pc.connectionState;
      if (state === "connected") continue;
      const n = this.attempts.get(p.seat) ?? 0;
      const wait = Math.min(60_000, this.repairAfterMs * 2 ** n);
      // "new"/"connecting" since the offer, or "disconnected" (ICE may still recover) for too long; "failed" at once.
      if (state === "failed" || now - p.since > wait) {
        this.attempts.set(p.seat, n + 1);
        this.offer(p.seat);
      }
    }
  }
}
