/**
 * The only way the server sends a message to a page: typed by shared/protocol/serverMessages.ts, so a message type
 * that is not declared there, or a payload of the wrong shape, does not compile (test/unit/protocolTable.test.ts
 * checks that nothing under server/ calls Colyseus' send or broadcast around this file).
 */
import type { Client, Room } from "@colyseus/core";
import type { ServerMessagePayload, ServerMessageType } from "../../shared/protocol.ts";

export function sendTo<K extends ServerMessageType>(client: Client, type: K, message: ServerMessagePayload<K>): void {
  client.send(type, message);
}

export function broadcastTo<K extends ServerMessageType>(
  room: Room,
  type: K,
  message: ServerMessagePayload<K>,
  options: { except?: Client } = {},
): void {
  room.broadcast(type, message, options);
}
