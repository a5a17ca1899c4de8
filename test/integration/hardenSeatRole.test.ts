/**
 * Issue #18, item 4: a seat acts with the role of its CURRENT token and the plant's access list, at join, reconnect
 * and handoff; it ends (after a warning) when its token expires, a fresh token keeps it, and a demotion (a new token,
 * the access list) takes effect within a minute. The server runs on a clock the test moves (tokens, seat checks).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Room } from "@colyseus/sdk";
import { devClient, devToken } from "../../kit/devSignIn.ts";
import { matchMaker } from "@colyseus/core";
import { CloseCode, PLANT_ROOM, PROTOCOL_VERSION, type HandoffTicketInfo } from "../../shared/protocol.ts";
import type { MessageCounters } from "../../server/rooms/messagePolicy.ts";
import type { SignInExpiring, SignInRefreshed } from "../../shared/auth.ts";
import { PlantRoomState } from "../../shared/state.ts";
import { DEV_TOKEN_SECONDS } from "../../server/auth/DevTokens.ts";
import { ManualClock, join, refusalOf, startServer, waitForState, type Harness } from "./harness.ts";

type R = Room<unknown, PlantRoomState>;
const MIN = 60_000;
const TOKEN_MS = DEV_TOKEN_SECONDS * 1000;

const clock = new ManualClock(Date.UTC(2026, 11, 6, 6, 0, 0));
const accessFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gemba-seatrole-")), "access.json");
function writeAccess(entry: { users?: string[]; maxRole: string }): void {
  fs.writeFileSync(accessFile, JSON.stringify({ demo: entry }));
}
let h: Harness;

beforeAll(async () => {
  writeAccess({ maxRole: "admin" });
  h = await startServer({ RECONNECT_SECONDS: "10", ACCESS_FILE: accessFile }, { clock });
});
afterAll(async () => {
  await h?.server.stop();
});

const seatOf = (room: R, name: string) => [...room.state.seats.values()].find((s) => s.name === name);

/** Ack an alarm that does not exist: a role that may acknowledge hears "invalid"; one that may not is refused first. */
async function ackRefusal(room: R): Promise<{ code: string; message: string }> {
  try {
    await room.request("ack", { alarm: "no-such-alarm" });
  } catch (e) {
    return (e as { reason: { code: string; message: string } }).reason;
  }
  throw new Error("an ack of an unknown alarm was accepted");
}

const closeOf = (room: R) =>
  new Promise<{ code: number; reason: string | undefined }>((resolve) =>
    room.onLeave((code, reason) => resolve({ code, reason })),
  );

/** Drop the connection the way a network does; the SDK comes back presenting `token` (a crafted or demoted client). */
function dropAndComeBackWith(room: R, token: string): void {
  const conn = room.connection as unknown as { url: string; close(code: number, reason: string): void };
  const url = new URL(conn.url);
  url.searchParams.set("_authToken", token);
  conn.url = url.toString();
  room.reconnection.minUptime = 0;
  conn.close(4010, "network blip"); // not a consented leave: the SDK reconnects
}

describe("role from the token, always (join, reconnect, handoff)", () => {
  it("a reconnect with a viewer's token does not keep the operator seat", async () => {
    const watch = await join(h, "Watch-1");
    const olga = await join(h, "Olga", { role: "operator" });
    await waitForState(watch, () => seatOf(watch, "Olga")?.role === "operator", "Olga as operator");
    const seat = seatOf(watch, "Olga")!.id;
    expect((await ackRefusal(olga)).code).toBe("invalid"); // an operator may ack: only the alarm is unknown

    const back = new Promise<void>((resolve) => olga.onReconnect(() => resolve()));
    dropAndComeBackWith(olga, await devToken(h.endpoint, "Olga", "viewer"));
    await back;
    await waitForState(watch, (s) => s.seats.get(seat)?.role === "viewer", "Olga's same seat, as viewer");
    expect(await ackRefusal(olga)).toEqual({ code: "forbidden", message: "A viewer cannot acknowledge alarms." });
    await Promise.all([olga.leave(), watch.leave()]);
  });

  it("a reconnect with someone else's token does not hand them the seat; the seat is freed", async () => {
    const watch = await join(h, "Watch-2");
    const ada = await join(h, "Ada", { role: "admin" });
    await waitForState(watch, () => seatOf(watch, "Ada") !== undefined, "Ada's seat");
    const seat = seatOf(watch, "Ada")!.id;
    ada.reconnection.maxRetries = 1;
    dropAndComeBackWith(ada, await devToken(h.endpoint, "Mallory", "admin"));
    await waitForState(watch, (s) => !s.seats.has(seat), "Ada's seat freed", 15_000);
    expect(seatOf(watch, "Mallory")).toBeUndefined();
    await watch.leave();
  });

  it("a handoff to a device signed in with a viewer's token does not carry the operator role over", async () => {
    const watch = await join(h, "Watch-3");
    const headset = await join(h, "Hana", { role: "operator", device: "headset" });
    await waitForState(watch, () => seatOf(watch, "Hana")?.role === "operator", "Hana as operator");
    const seat = seatOf(watch, "Hana")!.id;
    headset.onMessage("moved", () => {});
    const ticket = await headset.request<object, HandoffTicketInfo>("handoffCreate", {});
    const client = await devClient(h.endpoint, "Hana", "viewer");
    const laptop = await client.joinById<PlantRoomState>(
      headset.roomId,
      { protocol: PROTOCOL_VERSION, plant: "demo", name: "Hana", device: "desktop", handoff: ticket.code },
      PlantRoomState,
    );
    laptop.onMessage("*", () => {});
    await laptop.request("handoffAccept", {});
    await waitForState(watch, (s) => s.seats.get(seat)?.device === "desktop", "Hana's seat on the laptop");
    expect(watch.state.seats.get(seat)!.role).toBe("viewer");
    expect(await ackRefusal(laptop)).toEqual({ code: "forbidden", message: "A viewer cannot acknowledge alarms." });
    await Promise.all([laptop.leave(), headset.leave(), watch.leave()]);
  });
});

describe("demotion within a minute", () => {
  it("a demoted operator can no longer ack: a fresh token with a lower role takes effect at once", async () => {
    const dora = await join(h, "Dora", { role: "operator" });
    expect((await ackRefusal(dora)).code).toBe("invalid");
    const r = await dora.request<object, SignInRefreshed>("signin", {
      token: await devToken(h.endpoint, "Dora", "viewer"),
    });
    expect(r.role).toBe("viewer");
    expect(await ackRefusal(dora)).toEqual({ code: "forbidden", message: "A viewer cannot acknowledge alarms." });
    await dora.leave();
  });

  it("a fresh token for another person is refused and changes nothing", async () => {
    const dan = await join(h, "Dan", { role: "operator" });
    await expect(
      dan.request("signin", { token: await devToken(h.endpoint, "Mallory", "admin") }),
    ).rejects.toMatchObject({
      reason: {
        code: "forbidden",
        message: "That sign-in is for Mallory, not Dan; a seat keeps its person. Join as Mallory instead.",
      },
    });
    expect((await ackRefusal(dan)).code).toBe("invalid");
    await dan.leave();
  });

  it("a malformed or forged fresh token is refused with a sentence, counted, and changes nothing", async () => {
    const gus = await join(h, "Gus", { role: "operator" });
    const [listing] = await matchMaker.query({ name: PLANT_ROOM });
    const room = matchMaker.getLocalRoomById(listing!.roomId) as unknown as { counters: MessageCounters };
    const before = room.counters.rejected["signin"] ?? 0;
    await expect(gus.request("signin", { token: 5 })).rejects.toMatchObject({ reason: { code: "invalid" } });
    const real = await devToken(h.endpoint, "Gus", "viewer");
    await expect(
      gus.request("signin", { token: real.replace(/\.[^.]+$/, ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") }),
    ).rejects.toMatchObject({
      reason: {
        code: "forbidden",
        message: "That sign-in token was not signed by this server; reload the page to sign in.",
      },
    });
    // An oversized token (a pasted document, a flood) is refused before any check runs, with what is wrong.
    const huge = await refusalOf(gus.request("signin", { token: "x".repeat(100_000) }));
    expect(huge?.code).toBe("invalid");
    expect(huge?.message).toMatch(/token.*8192/i);
    expect(room.counters.rejected["signin"]).toBe(before + 3);
    expect((await ackRefusal(gus)).code).toBe("invalid");
    await gus.leave();
  });

  it("a demoted operator can no longer ack: the access list lowered to viewer holds within a minute", async () => {
    const oscar = await join(h, "Oscar", { role: "operator" });
    await waitForState(oscar, () => seatOf(oscar, "Oscar")?.role === "operator", "Oscar as operator");
    writeAccess({ maxRole: "viewer" });
    clock.advance(MIN);
    await waitForState(oscar, () => seatOf(oscar, "Oscar")?.role === "viewer", "Oscar demoted to viewer");
    expect(await ackRefusal(oscar)).toEqual({ code: "forbidden", message: "A viewer cannot acknowledge alarms." });
    writeAccess({ maxRole: "admin" });
    clock.advance(MIN);
    await oscar.leave();
  });

  it("someone taken off the access list loses their seat within a minute, told why", async () => {
    const watch = await join(h, "Watch-4");
    const pia = await join(h, "Pia", { role: "operator" });
    const closed = closeOf(pia);
    await waitForState(watch, () => seatOf(watch, "Pia") !== undefined, "Pia's seat");
    writeAccess({ users: ["dev:watch-4"], maxRole: "admin" });
    clock.advance(MIN);
    expect(await closed).toEqual({
      code: CloseCode.SIGNED_OUT,
      reason: 'Pia is not on the access list of plant "demo"; ask an administrator for access.',
    });
    await waitForState(watch, () => seatOf(watch, "Pia") === undefined, "Pia's seat gone");
    writeAccess({ maxRole: "admin" });
    clock.advance(MIN);
    await watch.leave();
  });
});

describe("token expiry", () => {
  it("an expired token's seat is closed after a warning; a fresh token sent after the warning keeps the seat", async () => {
    const eve = await join(h, "Eve", { role: "operator" });
    const fred = await join(h, "Fred", { role: "operator" });
    const eveWarned = new Promise<SignInExpiring>((resolve) => eve.onMessage("signin-expiring", resolve));
    const fredWarned = new Promise<SignInExpiring>((resolve) => fred.onMessage("signin-expiring", resolve));
    const eveClosed = closeOf(eve);
    clock.advance(TOKEN_MS / 2);
    // Someone who signed in later watches the room (their token outlives Eve's).
    const watch = await join(h, "Watch-5");
    await waitForState(watch, () => !!seatOf(watch, "Eve") && !!seatOf(watch, "Fred"), "Eve and Fred");
    clock.advance(TOKEN_MS / 2 - 2 * MIN + 15_000);
    expect(await eveWarned).toMatchObject({
      message: "Your sign-in ends in two minutes; sign in again to keep your place.",
    });
    await fredWarned;
    // Still seated until the token ends.
    await waitForState(watch, () => !!seatOf(watch, "Eve"), "Eve still seated after the warning");
    const fresh = await fred.request<object, SignInRefreshed>("signin", {
      token: await devToken(h.endpoint, "Fred", "operator"),
    });
    // A development token's expiry counts from its issue second.
    expect(fresh).toEqual({ role: "operator", expiresAt: Math.floor(clock.now() / 1000) * 1000 + TOKEN_MS });
    clock.advance(2 * MIN);
    expect(await eveClosed).toEqual({
      code: CloseCode.SIGNED_OUT,
      reason: "Your sign-in has expired; sign in again to rejoin.",
    });
    await waitForState(watch, () => seatOf(watch, "Eve") === undefined, "Eve's seat gone");
    expect(seatOf(watch, "Fred")?.role).toBe("operator");
    expect((await ackRefusal(fred)).code).toBe("invalid");
    await Promise.all([fred.leave(), watch.leave()]);
  });
});
