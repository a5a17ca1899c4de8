/**
 * The seam between the voice call and how audio travels. The call (VoiceCall)
 * says *who* it should hear and *what* it sends; a transport decides how. The
 * full mesh (MeshTransport: one RTCPeerConnection per other talker) is the
 * default; an SFU transport (e.g. mediasoup: one send transport, one receive
 * transport, a consumer per remote talker) can replace it behind this interface
 * without touching the mixer, the controls or the room protocol's voice state.
 * See docs/VOICE.md, "Beyond 8 talkers: the SFU seam".
 */
import type { SignalMessage } from "../../shared/protocol.ts";

export type SignalKind = SignalMessage["kind"];

/** One remote talker's link quality, as the debug panel and the test hook show it. */
export interface PeerStats {
  seat: string;
  /** RTCPeerConnectionState (mesh) or the SFU consumer's state. */
  state: string;
  /** Audio payload bytes received from this talker (inbound-rtp bytesReceived). */
  inboundBytes: number;
  /** Audio payload bytes sent towards this talker (outbound-rtp bytesSent). */
  outboundBytes: number;
  /** Round-trip time on the selected ICE candidate pair, ms; null until measured. */
  rtt: number | null;
  /** Inbound interarrival jitter, ms. */
  jitter: number | null;
  /** Inbound packet loss, 0..1 (lost / (lost + received)) since the link opened. */
  loss: number | null;
  /** Mean time a received sample waited in the jitter buffer, ms. */
  jitterBufferMs: number | null;
}

export interface TransportEvents {
  /** Send a signalling message through the room to the seat `to`. */
  signal(to: string, kind: SignalKind, data: string): void;
  /** A remote talker's audio arrived (or was replaced by a new connection). */
  remoteStream(seat: string, stream: MediaStream): void;
  /** The link to a talker is gone: stop playing their audio. */
  remoteGone(seat: string): void;
  /** A remote seat's camera track arrived (it carries frames once they share a camera; docs/VIDEO.md). */
  remoteVideo?(seat: string, track: MediaStreamTrack): void;
  /** Connection state changes, for the UI (e.g. "connecting…", "failed"). */
  peerState?(seat: string, state: string): void;
}

export interface VoiceTransport {
  /**
   * The other seats in the call, as the room state says now, each with its voice
   * epoch. The transport opens links to new ones, closes links to those that left
   * the call or the room, and re-links a seat whose epoch changed (its call moved
   * to another device).
   */
  setPeers(seats: ReadonlyMap<string, number>): void;
  /** What this client sends: the microphone track, or null to send nothing at all (mute). */
  setOutboundTrack(track: MediaStreamTrack | null): Promise<void>;
  /** A signalling message relayed by the room from another seat. */
  handleSignal(m: SignalMessage): void;
  /** Link quality per remote talker. */
  stats(): Promise<PeerStats[]>;
  /** The camera this client sends on every link, or null for none (replaceTrack: no renegotiation). */
  setOutboundVideo?(track: MediaStreamTrack | null): Promise<void>;
  /** Cap the camera's bitrate on every link (RTCRtpSender maxBitrate), null to let the browser decide. */
  setVideoMaxBitrate?(bps: number | null): Promise<void>;
  /** Raw stats of every link, for the camera's bandwidth measurement. */
  videoStats?(): Promise<RTCStatsReport[]>;
  /** Leave: tell every peer ("bye") and release every connection. */
  close(): void;
}
