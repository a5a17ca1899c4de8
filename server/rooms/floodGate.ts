/**
 * Per-connection message rate limit with our own close code. Colyseus' built-in
 * `maxMessagesPerSecond` closes a flooding client with 4002 (its generic
 * "closed with error", also used for failed joins and duplicate reconnections),
 * so neither the page nor an operator could tell a flood from a server fault,
 * and the seat would be held for reconnection as after a network drop. Here
 * every frame a connection sends is counted before Colyseus decodes it; above
 * the limit the connection is closed with CloseCode.FLOODING (4429, README) and
 * nothing it sent after that is processed.
 */
import type { Client, Room } from "@colyseus/core";
import { CloseCode } from "../../shared/protocol.ts";

/** Fixed one-second windows per connection (Colyseus counts the same way). Pure: time is passed in. */
export class MessageRateLimit {
  private readonly windows = new WeakMap<object, { endsAt: number; count: number }>();

  constructor(readonly perSecond: number) {}

  /** Count one message from `conn`; false once it is over the limit in the current window. */
  admit(conn: object, now: number): boolean {
    let w = this.windows.get(conn);
    if (!w || now >= w.endsAt) this.windows.set(conn, (w = { endsAt: now + 1000, count: 0 }));
    return ++w.count <= this.perSecond;
  }
}

/** The seam Colyseus itself patches for latency simulation (Server.applySimulatedLatency): one call per frame received. */
interface FrameHook {
  _onMessage?: (client: Client, buffer: Buffer) => void;
}

/**
 * Install the limit on a room (call in onCreate, before anyone joins: Colyseus binds
 * `_onMessage` per connection at join). `onFlood` runs once per closed connection.
 */
export function closeFlooders(
  room: Room,
  limit: MessageRateLimit,
  now: () => number,
  onFlood: (client: Client) => void,
): void {
  const hook = room as unknown as FrameHook;
  const original = hook._onMessage;
  // Fail at start-up, not silently, if a Colyseus upgrade renames the seam.
  if (typeof original !== "function")
    throw new Error("Colyseus Room._onMessage is gone: see server/rooms/floodGate.ts");
  room.maxMessagesPerSecond = Infinity;
  hook._onMessage = (client, buffer) => {
    if (limit.admit(client, now())) return original.call(room, client, buffer);
    onFlood(client);
    // kickClient stops reading the socket at once (later frames are dropped unread), runs onDrop/onLeave, then closes with our code.
    room.kickClient(client.sessionId, CloseCode.FLOODING, "Too many messages per second.");
  };
}
