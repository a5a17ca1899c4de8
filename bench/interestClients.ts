/**
 * Interest bench receivers (a child process, apart from the server's event loop): SDK clients in one plant
 * room, each watching the areas it is given (none given: every area, as with interest management off).
 * Counts the bytes read from each client's socket over the parent's window.
 */
import type { Socket } from "node:net";
import type { Room } from "@colyseus/sdk";
import { devClient } from "../kit/devSignIn.ts";
import { PLANT_ROOM, PROTOCOL_VERSION } from "../shared/protocol.ts";
import { PlantRoomState, type TwinSeen } from "../shared/state.ts";
import { nowMs, onParentMessage, toParent } from "./childSide.ts";

export type InterestClientsMsg =
  | { type: "join"; endpoint: string; plant: string; clients: { name: string; areas: string[] | null }[] }
  | { type: "window"; ms: number };

export interface InterestClientsReport {
  type: "bytes";
  /** Socket bytes per client over the window, in join order. */
  socketBytes: number[];
  messages: number[];
  /** Twins whose values each client holds at the end, and of those, points updated in the last 10 s. */
  twinsWithValues: number[];
  freshPoints: number[];
}

const joined: { room: Room<unknown, PlantRoomState>; socket: () => Socket | undefined; messages: number }[] = [];

async function join(m: Extract<InterestClientsMsg, { type: "join" }>): Promise<void> {
  for (const c of m.clients) {
    const client = await devClient(m.endpoint, c.name);
    const room = await client.joinOrCreate<PlantRoomState>(
      PLANT_ROOM,
      { protocol: PROTOCOL_VERSION, plant: m.plant, name: c.name, device: "desktop" },
      PlantRoomState,
    );
    room.onMessage("welcome", () => {});
    room.onMessage("error", (e: unknown) => console.error(`${c.name}:`, e));
    const transport = room.connection.transport as unknown as { ws?: { _socket?: Socket } };
    const entry = { room, socket: () => transport.ws?._socket, messages: 0 };
    const events = room.connection.events;
    const onmessage = events.onmessage;
    events.onmessage = (ev: { data: ArrayBuffer }) => {
      entry.messages++;
      return onmessage?.(ev) as unknown;
    };
    if (c.areas) room.send("interest", { areas: c.areas });
    joined.push(entry);
  }
}

async function measure(ms: number): Promise<InterestClientsReport> {
  const b0 = joined.map((j) => j.socket()?.bytesRead ?? 0);
  const m0 = joined.map((j) => j.messages);
  await new Promise((r) => setTimeout(r, ms));
  const now = nowMs();
  return {
    type: "bytes",
    socketBytes: joined.map((j, i) => (j.socket()?.bytesRead ?? 0) - b0[i]!),
    messages: joined.map((j, i) => j.messages - m0[i]!),
    twinsWithValues: joined.map((j) => [...j.room.state.twins.values()].filter((t: TwinSeen) => t.points).length),
    freshPoints: joined.map((j) => {
      let n = 0;
      for (const t of j.room.state.twins.values() as Iterable<TwinSeen>)
        for (const p of t.points?.values() ?? []) if (now - p.ts < 10_000) n++;
      return n;
    }),
  };
}

onParentMessage(async (raw) => {
  const m = raw as unknown as InterestClientsMsg;
  if (m.type === "join") {
    await join(m);
    toParent({ type: "ready" });
  } else if (m.type === "window") {
    toParent(await measure(m.ms));
  }
});
