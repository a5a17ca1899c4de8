/** Bad input has one fate for requests too: a refusal with a sentence for the sender, and a counter for operators. */
import { describe, expect, it } from "vitest";
import { matchMaker } from "@colyseus/core";
import { PLANT_ROOM } from "../../shared/protocol.ts";
import type { MessageCounters } from "../../server/rooms/messagePolicy.ts";
import { join, refusalOf, useServerAndPublisher } from "./harness.ts";

const ctx = useServerAndPublisher();

async function roomCounters(): Promise<MessageCounters> {
  const [listing] = await matchMaker.query({ name: PLANT_ROOM });
  return (matchMaker.getLocalRoomById(listing!.roomId) as unknown as { counters: MessageCounters }).counters;
}

describe("request counters", () => {
  it("count a request refused by its schema as rejected and a well-formed one as accepted", async () => {
    const room = await join(ctx.h, "Counter", { role: "operator" });
    const refusal = await refusalOf(
      room.request("annotate", { kind: "pin", twin: "T101", offset: [0, Number.NaN, 0], text: "x" }),
    );
    expect(refusal).toMatchObject({ code: "invalid" });
    expect(refusal!.message).toMatch(/offset/);
    await room.request("bookmark", { name: "start of shift", t: Date.now() - 1000 });
    const c = await roomCounters();
    expect(c.rejected["annotate"]).toBe(1);
    expect(c.accepted["bookmark"]).toBe(1);
    await room.leave();
  });
});
