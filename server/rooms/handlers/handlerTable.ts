/**
 * One handler per declared client message, registered one way. The table's type has a key for every event and
 * every request in shared/protocol/ (a missing handler does not compile); `registerHandlers` registers exactly
 * those, under the one policy for bad input (messagePolicy.ts), plus a catch-all that refuses undeclared types.
 * test/unit/protocolTable.test.ts checks the registered names against the protocol table.
 */
import type { Client, MessageContext } from "@colyseus/core";
import type { z } from "zod";
import {
  ClientEvent,
  ClientRequest,
  type ClientEventType,
  type Refusal,
  type RequestReply,
  type RequestType,
} from "../../../shared/protocol.ts";
import type { SeatState } from "../../../shared/state.ts";
import { parseRequest, validated, type MessageCounters } from "../messagePolicy.ts";

/** A request's answer when it is refused: the client's promise rejects with this as `error.reason`. */
export class Refused {
  constructor(readonly refusal: Refusal) {}
}

export function refuse(code: Refusal["code"], message: string): Refused {
  return new Refused({ code, message });
}

type EventOf<K extends ClientEventType> = z.output<(typeof ClientEvent)[K]>;
type RequestOf<K extends RequestType> = z.output<(typeof ClientRequest)[K]["payload"]>;
type Answer<K extends RequestType> = RequestReply<K> | Refused;

/** A fire-and-forget message from a connection that drives a seat (others' messages are ignored). */
export type EventHandler<K extends ClientEventType> = (client: Client, msg: EventOf<K>, seat: SeatState) => void;

/** A request, validated against its schema; what it returns (once durable) answers the client's promise. */
export type RequestHandler<K extends RequestType> = (
  client: Client,
  msg: RequestOf<K>,
) => Answer<K> | Promise<Answer<K>>;

/** A request whose domain book validates (and counts) the raw payload itself. */
export interface SelfValidatingRequest<K extends RequestType> {
  validatesItself: true;
  handle(client: Client, raw: unknown): Answer<K> | Promise<Answer<K>>;
}

export type EventHandlers = { [K in ClientEventType]: EventHandler<K> };
export type RequestHandlers = { [K in RequestType]: RequestHandler<K> | SelfValidatingRequest<K> };
export interface HandlerTable {
  events: EventHandlers;
  requests: RequestHandlers;
}

/** What registration needs from the room (a Colyseus Room satisfies it; the unit test passes a recorder). */
export interface MessageSink {
  onMessage(type: string, handler: (client: Client, payload: unknown, mctx: MessageContext) => unknown): unknown;
}

export interface HandlerPolicy {
  counters: MessageCounters;
  now: () => number;
  /** The seat a connection drives, if any. */
  seatFor(client: Client): SeatState | undefined;
  /** Resolves once what a request wrote is durable (a shared journal commits in PostgreSQL after returning). */
  flushed(): Promise<void> | null;
}

export function registerHandlers(room: MessageSink, table: HandlerTable, policy: HandlerPolicy): void {
  for (const type of Object.keys(ClientEvent) as ClientEventType[]) registerEvent(room, type, table.events, policy);
  for (const type of Object.keys(ClientRequest) as RequestType[]) registerRequest(room, type, table.requests, policy);
  room.onMessage("*", (client, type) => {
    policy.counters.reject(client, String(type).slice(0, 40), "unknown message type.", policy.now());
  });
}

function registerEvent<K extends ClientEventType>(
  room: MessageSink,
  type: K,
  events: EventHandlers,
  policy: HandlerPolicy,
): void {
  const handler = events[type] as EventHandler<K>;
  const schema = ClientEvent[type] as unknown as z.ZodType<EventOf<K>>;
  room.onMessage(
    type,
    validated(type, schema, policy.counters, policy.now, (client, msg) => {
      const seat = policy.seatFor(client);
      if (seat) handler(client, msg, seat);
    }),
  );
}

function registerRequest<K extends RequestType>(
  room: MessageSink,
  type: K,
  requests: RequestHandlers,
  policy: HandlerPolicy,
): void {
  const spec = requests[type];
  const schema = ClientRequest[type].payload as unknown as z.ZodType<RequestOf<K>>;
  room.onMessage(type, (client, raw, mctx) => {
    let out: Answer<K> | Promise<Answer<K>>;
    if (typeof spec === "function") {
      const p = parseRequest(schema, raw);
      // Counted like fire-and-forget messages; the refusal itself is the answer the sender gets.
      if (!p.ok) {
        policy.counters.count("rejected", type);
        return mctx.reject(p.refusal);
      }
      policy.counters.count("accepted", type);
      out = spec(client, p.data);
    } else {
      out = spec.handle(client, raw);
    }
    return out instanceof Promise ? out.then((a) => answer(a, mctx, policy)) : answer(out, mctx, policy);
  });
}

/** The answer waits until what the request wrote is durable, a refusal too (a denied action is journaled). */
function answer<R>(
  a: R | Refused,
  mctx: MessageContext,
  policy: HandlerPolicy,
): R | Promise<R | undefined> | undefined {
  const settle = (): R | undefined => {
    if (!(a instanceof Refused)) return a;
    mctx.reject(a.refusal);
    return undefined;
  };
  const durable = policy.flushed();
  return durable ? durable.then(settle) : settle();
}
