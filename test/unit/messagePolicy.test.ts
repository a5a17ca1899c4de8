/** The bad-input policy's counters: one count per message type, whatever name a client sends. */
import type { Client } from "@colyseus/core";
import { describe, expect, it } from "vitest";
import { MessageCounters } from "../../server/rooms/messagePolicy.ts";

describe("message counters", () => {
  it("count made-up types named like Object members as plain counts (regression: fuzz found 'constructor')", () => {
    const counters = new MessageCounters();
    const told: unknown[] = [];
    const client = { send: (_type: string, m: unknown) => told.push(m) } as unknown as Client;
    for (const type of ["constructor", "toString", "__proto__", "hasOwnProperty", "constructor"]) {
      counters.reject(client, type, "unknown message type.", 10_000);
    }
    expect(Object.entries(counters.rejected)).toEqual([
      ["constructor", 2],
      ["toString", 1],
      ["__proto__", 1],
      ["hasOwnProperty", 1],
    ]);
    expect(Object.values(counters.rejected).every(Number.isInteger)).toBe(true);
    // The sender hears once per distinct refusal within a second.
    expect(told).toHaveLength(4);
  });
});
