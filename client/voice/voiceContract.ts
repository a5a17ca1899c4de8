/**
 * The voice call's contract with the page: what it needs (VoiceDeps), what it offers (VoiceController), the
 * test hook `window.__gemba_voice`, and the call's copy of a seat's voice flags.
 */
import type { Scene } from "@babylonjs/core/scene.js";
import type { z } from "zod";
import type { ClientMessage, SignalMessage } from "../../shared/protocol.ts";
import type { SeatState } from "../../shared/state.ts";
import type { PeerStats, TransportEvents, VoiceTransport } from "./VoiceTransport.ts";

export type VoiceMessage = "signal" | "voice";
export type Payload<K extends VoiceMessage> = z.input<(typeof ClientMessage)[K]>;

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
   * STUN/TURN servers for the mesh, read at each join: the server's ICE_SERVERS as the room's welcome
   * handed them over. Default [] (LAN host candidates only): a plant network is often air-gapped and the
   * page must not reach out unless the operator configured a server (e.g. a site-local coturn).
   */
  iceServers?: () => RTCIceServer[];
  /** Where the voice panel goes; default: inside #participants (else <body>). */
  host?: HTMLElement;
  /** The call's transport once joined, null after leaving: the camera (client/video) sends through it. */
  onTransport?(t: VoiceTransport | null): void;
  /** A remote seat's camera track, or null when their link went. */
  onRemoteVideo?(seat: string, track: MediaStreamTrack | null): void;
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

/** A seat as the call sees it. */
export interface SeatView {
  id: string;
  name: string;
  color: string;
  presence: string;
  inCall: boolean;
  muted: boolean;
  speaking: boolean;
  voiceEpoch: number;
}
