/**
 * The join path's requester: a real address per requester (TRUST_PROXY=1 here, so the test can speak from
 * several), handoff codes that give a guesser no oracle, and a cool-down for a connection closed for flooding.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@colyseus/sdk";
import { CloseCode, PLANT_ROOM, PROTOCOL_VERSION, type HandoffTicketInfo } from "../../shared/protocol.ts";
import { startGemba } from "../../server/app.ts";
import { systemClock } from "../../server/twin/Clock.ts";
import { HANDOFF_REFUSED } from "../../server/http/handoffRefusal.ts";
import { join, testConfig, type Harness } from "./harness.ts";
import { TICKET_TTL_MS } from "../../server/handoff/HandoffTickets.ts";
import { devToken } from "../../kit/devSignIn.ts";

// A clock the test can move forward, so a ticket expires without a 60 s wait.
let skew = 0;
const clock = { ...systemClock, now: () => Date.now() + skew };
let h: Harness;
beforeAll(async () => {
  const config = testConfig({ TRUST_PROXY: "1", FLOOD_COOLDOWN_SECONDS: "30" });
  const logs: string[] = [];
  const server = await startGemba(config, { log: (m) => logs.push(m), clock });
  h = { server, config, logs, endpoint: `ws://127.0.0.1:${server.port}` };
});
afterAll(async () => h?.server.stop());

const preview = async (code: string, from: string) => {
  const res = await fetch(`http://127.0.0.1:${h.server.port}/api/handoff/${code}`, {
    headers: { "x-forwarded-for": from },
  });
  return { status: res.status, body: await res.text() };
};

describe("attack: guessing handoff codes", () => {
  it("wrong, used, expired and someone else's codes answer identically (same status, same body)", async () => {
    const ada = await join(h, "Ada");
    const used = await ada.request<object, HandoffTicketInfo>("handoffCreate", {});
    const laptop = await join(h, "Ada", { handoff: used.code });
    await laptop.request("handoffAccept", {});
    const live = await laptop.request<object, HandoffTicketInfo>("handoffCreate", {});
    expect((await preview(live.code, "198.51.100.1")).status).toBe(200);
    const wrong = String((Number(live.code) + 1) % 1_000_000).padStart(6, "0");

    const answers = [await preview(wrong, "198.51.100.1"), await preview(used.code, "198.51.100.1")];
    skew += TICKET_TTL_MS + 1000;
    answers.push(await preview(live.code, "198.51.100.1"));
    for (const a of answers) expect(a).toEqual({ status: 404, body: JSON.stringify({ error: HANDOFF_REFUSED }) });

    // Through a room join too, for a code that is someone else's: the same sentence as a wrong one.
    skew = 0;
    const fresh = await laptop.request<object, HandoffTicketInfo>("handoffCreate", {});
    const mallory = new Client(h.endpoint);
    mallory.auth.token = await devToken(h.endpoint, "Mallory");
    const theirs = await mallory
      .joinOrCreate(PLANT_ROOM, { protocol: PROTOCOL_VERSION, plant: "demo", name: "Mallory", handoff: fresh.code })
      .then(
        () => null,
        (e: { code: number; message: string }) => ({ code: e.code, message: e.message }),
      );
    const nonsense = await mallory
      .joinOrCreate(PLANT_ROOM, { protocol: PROTOCOL_VERSION, plant: "demo", name: "Mallory", handoff: wrong })
      .then(
        () => null,
        (e: { code: number; message: string }) => ({ code: e.code, message: e.message }),
      );
    expect(theirs).toEqual(nonsense);
    expect(theirs?.message).toBe(HANDOFF_REFUSED);
    await laptop.leave();
    await ada.leave();
  });

  it("wrong codes are limited per address: one guesser is cut off, another address is not", async () => {
    let cut = 0;
    for (let i = 0; i < 12; i++) if ((await preview(String(900000 + i), "203.0.113.50")).status === 429) cut++;
    expect(cut).toBeGreaterThan(0);
    expect(await preview("900099", "203.0.113.51")).toEqual({
      status: 404,
      body: JSON.stringify({ error: HANDOFF_REFUSED }),
    });
  });
});

describe("attack: rejoining at once after being closed for flooding", () => {
  it("the closed flooder waits out a cool-down (429); someone else from the same address joins", async () => {
    const flooder = await join(h, "Flooder");
    const closed = new Promise<number>((resolve) => flooder.onLeave((code) => resolve(code)));
    for (let i = 0; i < 200; i++) flooder.send("select", { twin: i % 2 ? "T101" : null });
    expect(await closed).toBe(CloseCode.FLOODING);

    const again = await join(h, "Flooder").then(
      () => null,
      (e: { code?: number; message: string }) => e,
    );
    expect(again?.message).toMatch(/closed for sending too fast; wait before joining again/);
    const other = await join(h, "Patient");
    await other.leave();
  });
});
