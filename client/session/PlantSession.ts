/**
 * The client's side of a plant session: fetch the plant model (validated), join
 * the plant room with @colyseus/sdk, and tell the UI about state, connection
 * changes and errors. Holds the seat id so a reload re-binds the same seat.
 */
import { Client, type Room } from "@colyseus/sdk";
import { PlantModel } from "../../shared/plant.ts";
import {
  PLANT_ROOM,
  PROTOCOL_VERSION,
  type DeviceKind,
  type ErrorMessage,
  type JoinOptions,
  type Refusal,
  type WelcomeMessage,
} from "../../shared/protocol.ts";
import { PlantRoomState } from "../../shared/state.ts";

export type ConnectionState = "offline" | "joining" | "live" | "reconnecting" | "closed";

export async function fetchPlantModel(plantId: string): Promise<PlantModel> {
  const res = await fetch(`/api/plants/${encodeURIComponent(plantId)}`);
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const msg = body && typeof body === "object" && "error" in body ? String(body.error) : res.statusText;
    throw new Error(`Cannot load plant "${plantId}": ${msg}`);
  }
  const parsed = PlantModel.safeParse(body);
  if (!parsed.success) throw new Error(`The server sent a plant model this page does not understand. Reload the page.`);
  return parsed.data;
}

export async function fetchDefaultPlant(): Promise<string> {
  const res = await fetch("/api/plants");
  if (!res.ok) throw new Error(`The server did not list its plants (${res.status}).`);
  const body = (await res.json()) as { default?: unknown };
  return typeof body.default === "string" ? body.default : "demo";
}

export interface SessionEvents {
  onState(state: PlantRoomState): void;
  onConnection(state: ConnectionState, detail?: string): void;
  onError(message: string): void;
}

export class PlantSession {
  room: Room<unknown, PlantRoomState> | null = null;
  seatId: string | null = null;
  private readonly client: Client;

  constructor(
    private readonly events: SessionEvents,
    endpoint = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}`,
  ) {
    this.client = new Client(endpoint);
  }

  async join(plant: string, name: string, device: DeviceKind): Promise<void> {
    this.events.onConnection("joining");
    const options: JoinOptions = { protocol: PROTOCOL_VERSION, plant, name, device };
    const prev = sessionStorage.getItem(`gemba.seat.${plant}`);
    if (prev) options.seat = prev;
    let room: Room<unknown, PlantRoomState>;
    try {
      room = await this.client.joinOrCreate<PlantRoomState>(PLANT_ROOM, options, PlantRoomState);
    } catch (e) {
      this.events.onConnection("offline");
      throw new Error((e as Error).message || "Cannot join the plant room.");
    }
    this.room = room;
    room.onMessage("welcome", (m: WelcomeMessage) => {
      this.seatId = m.seat;
      sessionStorage.setItem(`gemba.seat.${plant}`, m.seat);
    });
    room.onMessage("error", (m: ErrorMessage) => this.events.onError(m.message));
    room.onStateChange((s) => this.events.onState(s));
    room.onDrop(() => this.events.onConnection("reconnecting", "Connection lost; reconnecting…"));
    room.onReconnect(() => this.events.onConnection("live"));
    room.onLeave((code, reason) => {
      this.events.onConnection("closed", reason || `Disconnected (code ${code}).`);
    });
    this.events.onConnection("live");
  }

  select(twin: string | null): void {
    this.room?.send("select", { twin });
  }

  /** Send a request; a refusal becomes an Error with the server's sentence. */
  private async ask(type: "ack" | "shelve" | "unshelve", payload: object): Promise<void> {
    const room = this.room;
    if (!room) throw new Error("Not connected.");
    try {
      await room.request(type, payload);
    } catch (e) {
      const reason = (e as { reason?: Partial<Refusal> }).reason;
      const message = reason?.message ?? (e as Error).message;
      this.events.onError(message);
      throw new Error(message);
    }
  }

  ack(alarm: string): Promise<void> {
    return this.ask("ack", { alarm });
  }

  shelve(alarm: string, minutes: number, reason: string): Promise<void> {
    return this.ask("shelve", { alarm, minutes, reason });
  }

  unshelve(alarm: string): Promise<void> {
    return this.ask("unshelve", { alarm });
  }
}
