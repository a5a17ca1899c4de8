/**
 * How the page receives server messages: one receiver per type declared in shared/protocol/serverMessages.ts (the
 * type demands them all), each message checked against its schema on arrival. One the page does not understand (a
 * server of another version, a bug) is counted and reported with a sentence, never half-applied.
 */
import { ServerMessage, type ServerMessagePayload, type ServerMessageType } from "../../shared/protocol.ts";

export type ServerReceivers = { [K in ServerMessageType]: (m: ServerMessagePayload<K>) => void };

/** What registration needs of the SDK room (a Colyseus Room satisfies it). */
export interface MessageSource {
  onMessage(type: string, callback: (payload: unknown) => void): unknown;
}

export function listenChecked(
  room: MessageSource,
  receivers: ServerReceivers,
  misunderstood: Partial<Record<ServerMessageType, number>>,
  onError: (sentence: string) => void,
): void {
  for (const type of Object.keys(ServerMessage) as ServerMessageType[]) {
    const receive = receivers[type] as (m: unknown) => void;
    room.onMessage(type, (raw) => {
      const p = ServerMessage[type].safeParse(raw);
      if (p.success) return receive(p.data);
      misunderstood[type] = (misunderstood[type] ?? 0) + 1;
      onError(`The server sent a "${type}" message this page does not understand. Reload the page.`);
    });
  }
}
