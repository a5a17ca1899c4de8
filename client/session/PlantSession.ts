/**
 * The client's side of a plant session: fetch the plant model (validated), join
 * the plant room with @colyseus/sdk, and tell the UI about state, connection
 * changes and errors. Holds the seat id so a reload re-binds the same seat.
 */
import { Client, type Room } from "@colyseus/sdk";
import { PlantModel } from "../../shared/plant.ts";
import { authFetch, refusalText, type TokenSource } from "../auth/authFetch.ts";
import {
  ClientRequest,
  CloseCode,
  PLANT_ROOM,
  PROTOCOL_VERSION,
  type ClientEventType,
  type ClientMessage,
  type DeviceKind,
  type JoinOptions,
  type DrivingMessage,
  type MovedMessage,
  type PendingMessage,
  type PingMessage,
  type RemovedMessage,
  type RequestPayload,
  type RequestReply,
  type RequestType,
  type ServerMessageType,
  type ShareMessage,
  type SignalMessage,
  type SummonMessage,
  type StillAskMessage,
  type StillMessage,
  type StrokeMessage,
  type Refusal,
} from "../../shared/protocol.ts";
import type { z } from "zod";
import { PlantRoomState } from "../../shared/state.ts";
import { listenChecked } from "./serverReceivers.ts";

export type ConnectionState = "offline" | "joining" | "live" | "reconnecting" | "closed" | "left";

export async function fetchPlantModel(plantId: string, token: TokenSource): Promise<PlantModel> {
  const res = await authFetch(`/api/plants/${encodeURIComponent(plantId)}`, token);
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const msg = body && typeof body === "object" && "error" in body ? String(body.error) : res.statusText;
    throw new Error(`Cannot load plant "${plantId}": ${msg}`);
  }
  const parsed = PlantModel.safeParse(body);
  if (!parsed.success) throw new Error(`The server sent a plant model this page does not understand. Reload the page.`);
  return parsed.data;
}

export async function fetchDefaultPlant(token: TokenSource): Promise<string> {
  const res = await authFetch("/api/plants", token);
  if (!res.ok) throw new Error(`The server did not list its plants: ${await refusalText(res)}`);
  const body = (await res.json()) as { default?: unknown };
  if (typeof body.default !== "string")
    throw new Error("You may not see any plant on this server; ask an administrator for access.");
  return body.default;
}

/** A video message from the room, tagged with its type. */
export type VideoRoomMessage =
  { type: "still"; m: StillMessage } | { type: "stillAsk"; m: StillAskMessage } | { type: "stroke"; m: StrokeMessage };

export interface SessionEvents {
  onState(state: PlantRoomState): void;
  onConnection(state: ConnectionState, detail?: string): void;
  onError(message: string): void;
  onPing?(m: PingMessage): void;
  onSummon?(m: SummonMessage): void;
  onShare?(m: ShareMessage): void;
  onSignal?(m: SignalMessage): void;
  /** The call's camera: stills, still requests and strokes on frames (client/video). */
  onVideo?(m: VideoRoomMessage): void;
  onPending?(m: PendingMessage): void;
  onDriving?(m: DrivingMessage): void;
  onMoved?(m: MovedMessage): void;
  /** An admin removed this participant: the sentence to show; the session does not join again. */
  onRemoved?(message: string): void;
}

/** "You were removed from the room by Ada: <reason>" (the reason is optional). */
export function removedSentence(m: RemovedMessage | null): string {
  const by = m?.by ? m.by : "an administrator";
  return `You were removed from the room by ${by}${m?.reason ? `: ${m.reason}` : "."}`;
}

export interface JoinExtras {
  /** Continue a session: the handoff ticket's token or code, and the room it lives in. */
  handoff?: string;
  roomId?: string;
  separate?: boolean;
}

export class PlantSession {
  room: Room<unknown, PlantRoomState> | null = null;
  seatId: string | null = null;
  /** STUN/TURN for the voice call, from the room's welcome (the server's ICE_SERVERS); [] = LAN only. */
  iceServers: RTCIceServer[] = [];
  private readonly client: Client;

  /** A sign-in token for `name` (client/auth): asked before every join, so a rejoin after expiry signs in again. */
  tokenFor: (name: string) => Promise<string> = () => Promise.reject(new Error("Not signed in."));

  constructor(
    private readonly events: SessionEvents,
    endpoint = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}`,
  ) {
    this.client = new Client(endpoint);
  }

  async join(plant: string, name: string, device: DeviceKind, extras: JoinExtras = {}): Promise<void> {
    this.events.onConnection("joining");
    this.plant = plant;
    this.name = name;
    this.device = device;
    const options: JoinOptions = { protocol: PROTOCOL_VERSION, plant, name, device };
    if (extras.handoff) options.handoff = extras.handoff;
    if (extras.separate) options.separate = true;
    let room: Room<unknown, PlantRoomState>;
    try {
      this.client.auth.token = await this.tokenFor(name);
      room = extras.roomId
        ? await this.client.joinById<PlantRoomState>(extras.roomId, options, PlantRoomState)
        : await this.client.joinOrCreate<PlantRoomState>(PLANT_ROOM, options, PlantRoomState);
    } catch (e) {
      this.events.onConnection("offline");
      throw new Error((e as Error).message || "Cannot join the plant room.");
    }
    this.room = room;
    let removed: RemovedMessage | null = null;
    listenChecked(
      room,
      {
        welcome: (m) => {
          this.seatId = m.seat || null;
          this.iceServers = m.iceServers ?? [];
        },
        pending: (m) => this.events.onPending?.(m),
        driving: (m) => {
          this.seatId = m.seat;
          this.moved = false;
          this.events.onDriving?.(m);
        },
        moved: (m) => {
          this.moved = true;
          this.events.onMoved?.(m);
        },
        error: (m) => this.events.onError(m.message),
        ping: (m) => this.events.onPing?.(m),
        summon: (m) => this.events.onSummon?.(m),
        share: (m) => this.events.onShare?.(m),
        signal: (m) => this.events.onSignal?.(m),
        still: (m) => this.events.onVideo?.({ type: "still", m }),
        stillAsk: (m) => this.events.onVideo?.({ type: "stillAsk", m }),
        stroke: (m) => this.events.onVideo?.({ type: "stroke", m }),
        removed: (m) => (removed = m),
        // Two minutes before the sign-in token ends the server warns; a fresh token keeps the seat (docs/SECURITY.md).
        "signin-expiring": () => void this.renewSignIn(room),
      },
      this.misunderstood,
      (sentence) => this.events.onError(sentence),
    );
    // Reconnect soon after a drop (headset sleep, Wi-Fi roaming): the server holds the seat for RECONNECT_SECONDS.
    room.reconnection.minUptime = 1000;
    room.onStateChange((s) => this.events.onState(s));
    room.onDrop(() => this.events.onConnection("reconnecting", "Connection lost; reconnecting…"));
    room.onReconnect(() => this.events.onConnection("live"));
    room.onLeave((code, reason) => {
      if (this.leaving) return;
      if (code === CloseCode.KICKED) {
        // Removed by an admin: no reconnection and no new join; the person reloads if they are let back in.
        this.leaving = true;
        const sentence = removedSentence(removed);
        this.events.onConnection("closed", sentence);
        this.events.onRemoved?.(sentence);
        return;
      }
      // The room is gone (server restart, reconnection window passed): join again as the same person.
      this.events.onConnection("reconnecting", reason || `Disconnected (code ${code}); joining again…`);
      void this.rejoin();
    });
    this.events.onConnection("live");
  }

  /** Server messages that failed the shared schema, by type (serverReceivers.ts). */
  readonly misunderstood: Partial<Record<ServerMessageType, number>> = {};

  /** Send a fresh token for this seat; the SDK's own reconnection presents it too (it reuses its first URL). */
  private async renewSignIn(room: Room<unknown, PlantRoomState>): Promise<void> {
    try {
      const token = await this.tokenFor(this.name);
      this.client.auth.token = token;
      await room.request("signin", { token });
      const conn = room.connection as unknown as { url?: string };
      if (conn.url) {
        const url = new URL(conn.url);
        url.searchParams.set("_authToken", token);
        conn.url = url.toString();
      }
    } catch (e) {
      const why = (e as { reason?: Partial<Refusal> }).reason?.message ?? (e as Error).message;
      this.events.onError(`Your sign-in could not be renewed: ${why}`);
    }
  }

  private plant = "";
  private name = "";
  private device: DeviceKind = "desktop";
  private leaving = false;
  /** True once this device handed its seat to another one. */
  moved = false;

  private async rejoin(): Promise<void> {
    for (let attempt = 1; attempt <= 30; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * attempt)));
      try {
        await this.join(this.plant, this.name, this.device);
        return;
      } catch {
        // keep trying: the server may still be starting
      }
    }
    this.events.onConnection("closed", "Could not reconnect to the server. Reload the page to try again.");
  }

  /** Leave with consent: the server frees the seat at once (no reconnection hold) and no rejoin follows. */
  async leave(): Promise<void> {
    this.leaving = true;
    const room = this.room;
    if (!room) return;
    // A connection that is down cannot say goodbye (the server frees the seat when its hold ends): do not wait on it.
    if (!room.connection.isOpen) {
      void room.leave(false);
      return;
    }
    await room.leave();
  }

  select(twin: string | null): void {
    this.room?.send("select", { twin });
  }

  /** Fire-and-forget message (validated by the server; a refusal arrives as an "error" message). */
  send<K extends ClientEventType>(type: K, payload: z.input<(typeof ClientMessage)[K]>): void {
    this.room?.send(type, payload);
  }

  /** Send a request; it resolves with the declared reply, and a refusal becomes an Error with the server's sentence. */
  async ask<K extends RequestType>(type: K, payload: RequestPayload<K>): Promise<RequestReply<K>> {
    const room = this.room;
    if (!room) throw new Error("Not connected.");
    let reply: unknown;
    try {
      reply = await room.request<object, unknown>(type, payload as object);
    } catch (e) {
      const reason = (e as { reason?: Partial<Refusal> }).reason;
      const message = reason?.message ?? (e as Error).message;
      this.events.onError(message);
      throw new Error(message);
    }
    const p = ClientRequest[type].reply.safeParse(reply);
    if (!p.success)
      throw new Error(`The server answered "${type}" in a way this page does not understand. Reload the page.`);
    return p.data as RequestReply<K>;
  }

  /**
   * A request whose payload was put together without its static type (the XR hooks pass plain objects): checked
   * against the shared schema here, so a wrong shape is a clear error on this page rather than a refusal later.
   */
  async askChecked(type: RequestType, payload: unknown): Promise<unknown> {
    const p = ClientRequest[type].payload.safeParse(payload);
    if (!p.success)
      throw new Error(
        `This page built a "${type}" request the server would refuse: ${p.error.issues[0]?.message ?? "invalid"}.`,
      );
    return this.ask(type, payload as RequestPayload<typeof type>);
  }

  async ack(alarm: string): Promise<void> {
    await this.ask("ack", { alarm });
  }

  async shelve(alarm: string, minutes: number, reason: string): Promise<void> {
    await this.ask("shelve", { alarm, minutes, reason });
  }

  async unshelve(alarm: string): Promise<void> {
    await this.ask("unshelve", { alarm });
  }
}
