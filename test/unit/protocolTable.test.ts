/**
 * The wire table in shared/protocol/ and the server agree: every declared client message has exactly one handler,
 * nothing undeclared has one (unknown types fall to the one catch-all that refuses them), every request answers
 * with its declared reply or a Refusal, and every message the server sends is declared (by type, and by a scan of
 * server/rooms/ for sends that go around the typed sender).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Client, MessageContext } from "@colyseus/core";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  CLIENT_EVENT_TYPES,
  ClientEvent,
  ClientMessage,
  ClientRequest,
  REQUEST_TYPES,
  ServerMessage,
  type RequestReply,
  type ServerMessagePayload,
} from "../../shared/protocol.ts";
import { SeatState } from "../../shared/state.ts";
import { plantHandlers } from "../../server/rooms/handlers/index.ts";
import {
  registerHandlers,
  refuse,
  type HandlerTable,
  type MessageSink,
} from "../../server/rooms/handlers/handlerTable.ts";
import type { RoomScope } from "../../server/rooms/handlers/RoomScope.ts";
import { MessageCounters } from "../../server/rooms/messagePolicy.ts";
import { sendTo } from "../../server/rooms/send.ts";

type Registered = (client: Client, payload: unknown, mctx: MessageContext) => unknown;

/** A Room stand-in that records what is registered (a fake: this checks registration, not Colyseus). */
function recorder(): MessageSink & { names: string[]; handlers: Map<string, Registered> } {
  const names: string[] = [];
  const handlers = new Map<string, Registered>();
  return {
    names,
    handlers,
    onMessage(type, handler) {
      names.push(type);
      handlers.set(type, handler);
    },
  };
}

/** Enough of a room for the handler files to build their table (nothing here is called). */
const scope = { ctx: {}, state: {}, runtime: { alarms: {}, annotations: {} } } as unknown as RoomScope;

const policy = (seat?: SeatState) => ({
  counters: new MessageCounters(),
  now: () => 0,
  seatFor: () => seat,
  flushed: () => null,
});

describe("the protocol table and the server's handlers agree", () => {
  it("declares each client message once: as an event or as a request, never both", () => {
    const events = Object.keys(ClientEvent);
    const requests = Object.keys(ClientRequest);
    expect(events.filter((t) => requests.includes(t))).toEqual([]);
    expect(Object.keys(ClientMessage).sort()).toEqual([...events, ...requests].sort());
    expect([...CLIENT_EVENT_TYPES, ...REQUEST_TYPES].sort()).toEqual(Object.keys(ClientMessage).sort());
  });

  it("the plant room's table has a handler for every declared event and request, and for nothing else", () => {
    const { table } = plantHandlers(scope);
    expect(Object.keys(table.events).sort()).toEqual([...CLIENT_EVENT_TYPES].sort());
    expect(Object.keys(table.requests).sort()).toEqual([...REQUEST_TYPES].sort());
  });

  it("registers exactly one handler per declared message, plus one catch-all for undeclared types", () => {
    const room = recorder();
    registerHandlers(room, plantHandlers(scope).table, policy());
    const declared = Object.keys(ClientMessage);
    expect(room.names.filter((n) => n !== "*").sort()).toEqual(declared.sort());
    expect(new Set(room.names).size).toBe(room.names.length);
    expect(room.names.filter((n) => n === "*")).toHaveLength(1);
  });
});

/** A table whose every handler answers with what the test sets (the handlers themselves are tested end to end). */
function answering(answer: (type: string) => unknown): HandlerTable {
  const events = Object.fromEntries(CLIENT_EVENT_TYPES.map((t) => [t, () => answer(t)]));
  const requests = Object.fromEntries(REQUEST_TYPES.map((t) => [t, () => answer(t)]));
  return { events, requests } as unknown as HandlerTable;
}

function context(): MessageContext & { rejected: unknown } {
  const c = {
    rejected: undefined as unknown,
    reject(reason: unknown) {
      c.rejected = reason;
    },
  };
  return c as unknown as MessageContext & { rejected: unknown };
}

const client = { sessionId: "c1", send: () => {} } as unknown as Client;

describe("registered handlers follow the one policy for bad input", () => {
  it("a request whose payload fails its schema is refused with the schema's sentence and counted; the handler never runs", () => {
    const room = recorder();
    const p = policy();
    let ran = false;
    registerHandlers(
      room,
      answering(() => (ran = true)),
      p,
    );
    const mctx = context();
    room.handlers.get("shelve")!(client, { alarm: "a", minutes: 5, reason: " " }, mctx);
    expect(mctx.rejected).toEqual({ code: "invalid", message: "reason: Give a reason for shelving." });
    expect([ran, p.counters.rejected["shelve"]]).toEqual([false, 1]);
  });

  it("a request's handler answers with its reply, or rejects the promise with its Refusal", () => {
    const room = recorder();
    let next: unknown = { journalId: 7 };
    registerHandlers(
      room,
      answering(() => next),
      policy(),
    );
    const ok = context();
    expect(room.handlers.get("ack")!(client, { alarm: "r1:pump" }, ok)).toEqual({ journalId: 7 });
    expect(ok.rejected).toBeUndefined();
    next = refuse("forbidden", "A viewer cannot acknowledge alarms.");
    const no = context();
    room.handlers.get("ack")!(client, { alarm: "r1:pump" }, no);
    expect(no.rejected).toEqual({ code: "forbidden", message: "A viewer cannot acknowledge alarms." });
  });

  it("an event reaches its handler only from a connection that drives a seat", () => {
    const seat = new SeatState();
    let calls = 0;
    const seated = recorder();
    registerHandlers(
      seated,
      answering(() => calls++),
      policy(seat),
    );
    seated.handlers.get("select")!(client, { twin: null }, context());
    const unseated = recorder();
    registerHandlers(
      unseated,
      answering(() => calls++),
      policy(undefined),
    );
    unseated.handlers.get("select")!(client, { twin: null }, context());
    expect(calls).toBe(1);
  });
});

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("the server sends only declared messages", () => {
  it("types each send by the table (a wrong type or payload does not compile)", () => {
    expectTypeOf<Parameters<typeof sendTo<"welcome">>[2]>().toEqualTypeOf<ServerMessagePayload<"welcome">>();
    expectTypeOf<ServerMessagePayload<"removed">>().toEqualTypeOf<{ by: string; reason: string }>();
    expectTypeOf<RequestReply<"handoffCreate">>().toEqualTypeOf<{ token: string; code: string; expiresAt: number }>();
    const sent: unknown[] = [];
    const c = { send: (...a: unknown[]) => sent.push(a) } as unknown as Client;
    // @ts-expect-error: "welcomed" is not a declared server message
    sendTo(c, "welcomed", { seat: "s", protocol: 1 });
    // @ts-expect-error: a welcome's seat is a string
    sendTo(c, "welcome", { seat: 1, protocol: 1 });
    sendTo(c, "welcome", { seat: "s", protocol: 1 });
    expect(sent).toHaveLength(3);
  });

  it("nothing in server/rooms/ sends around the typed sender, and every declared server message is sent somewhere", () => {
    const dir = join(import.meta.dirname, "../../server/rooms");
    const sentTypes = new Set<string>();
    const around: string[] = [];
    for (const file of sources(dir)) {
      if (file.endsWith(join("rooms", "send.ts"))) continue;
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:sendTo\(\w+, |broadcast\()"([\w-]+)"/g)) sentTypes.add(m[1]!);
      for (const m of text.matchAll(/\.send\(|this\.broadcast\(/g)) around.push(`${file}: ${m[0]}`);
    }
    expect(around).toEqual([]);
    expect([...sentTypes].sort()).toEqual(Object.keys(ServerMessage).sort());
  });
});
