/**
 * The page's side of the table: it listens for every server message the protocol declares (once each, nothing
 * else), a well-formed message reaches its receiver, and a malformed one is counted and told in a sentence instead of
 * reaching the UI half-understood.
 */
import { describe, expect, it } from "vitest";
import { ServerMessage, type ServerMessageType } from "../../shared/protocol.ts";
import { listenChecked, type ServerReceivers } from "../../client/session/serverReceivers.ts";

/** An SDK room stand-in that records registrations and lets the test deliver a message. */
function fakeRoom() {
  const handlers = new Map<string, ((m: unknown) => void)[]>();
  return {
    handlers,
    onMessage(type: string, cb: (m: unknown) => void) {
      handlers.set(type, [...(handlers.get(type) ?? []), cb]);
    },
    deliver(type: string, m: unknown) {
      for (const cb of handlers.get(type) ?? []) cb(m);
    },
  };
}

function recording() {
  const got: [ServerMessageType, unknown][] = [];
  const receivers = Object.fromEntries(
    Object.keys(ServerMessage).map((t) => [t, (m: unknown) => got.push([t as ServerMessageType, m])]),
  ) as unknown as ServerReceivers;
  return { got, receivers };
}

describe("the page receives server messages through the shared table", () => {
  it("listens once for each declared server message and for nothing else", () => {
    const room = fakeRoom();
    listenChecked(room, recording().receivers, {}, () => {});
    expect([...room.handlers.keys()].sort()).toEqual(Object.keys(ServerMessage).sort());
    expect([...room.handlers.values()].every((h) => h.length === 1)).toBe(true);
  });

  it("hands a well-formed message to its receiver", () => {
    const room = fakeRoom();
    const { got, receivers } = recording();
    const errors: string[] = [];
    listenChecked(room, receivers, {}, (s) => errors.push(s));
    room.deliver("removed", { by: "Ada", reason: "wrong plant" });
    expect(got).toEqual([["removed", { by: "Ada", reason: "wrong plant" }]]);
    expect(errors).toEqual([]);
  });

  it("counts a malformed message and says so, without passing it on", () => {
    const room = fakeRoom();
    const { got, receivers } = recording();
    const errors: string[] = [];
    const misunderstood = {};
    listenChecked(room, receivers, misunderstood, (s) => errors.push(s));
    room.deliver("driving", { seat: 42, fromDevice: "headset", draft: "" });
    room.deliver("pending", { seat: "s1", name: "Ada", fromDevice: "headset", reason: "because" });
    expect(got).toEqual([]);
    expect(misunderstood).toEqual({ driving: 1, pending: 1 });
    expect(errors[0]).toBe('The server sent a "driving" message this page does not understand. Reload the page.');
  });
});
