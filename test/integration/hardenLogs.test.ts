/**
 * Issue #18, item 7: the server's log is JSON lines with levels, carries the request id or the room and seat a line
 * is about, and never the credentials it handled. A real `npm start` process (kit/appServer.ts) with LOG_FORMAT=json;
 * the test signs in, joins, moves its seat by handoff code, sends a forged token, then reads the whole log.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, type Room } from "@colyseus/sdk";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { devSignIn } from "../../kit/devSignIn.ts";
import { PLANT_ROOM, PROTOCOL_VERSION, type HandoffTicketInfo } from "../../shared/protocol.ts";
import { PlantRoomState } from "../../shared/state.ts";

type R = Room<unknown, PlantRoomState>;
interface LogLine {
  level: string;
  time: number;
  msg: string;
  req?: string;
  room?: string;
  seat?: string;
}

let server: RunningServer;
beforeAll(async () => {
  server = await startAppServer({ LOG_FORMAT: "json", SIM: "off" });
});
afterAll(async () => {
  await server?.stop();
});

async function joinWith(token: string, options: Record<string, unknown>, roomId?: string): Promise<R> {
  const client = new Client(server.url.replace(/^http/, "ws"));
  client.auth.token = token;
  const opts = { protocol: PROTOCOL_VERSION, plant: "demo", device: "desktop", ...options };
  const room = roomId
    ? await client.joinById<PlantRoomState>(roomId, opts, PlantRoomState)
    : await client.joinOrCreate<PlantRoomState>(PLANT_ROOM, opts, PlantRoomState);
  room.onMessage("*", () => {});
  return room;
}

describe("the server's log (JSON, levels, ids, no secrets)", () => {
  it("a run that used a development token, a handoff code and a forged token logs the events and none of them", async () => {
    const ada = await devSignIn(server.url, "Ada", "operator");
    const laptopSignIn = await devSignIn(server.url, "Ada", "operator");
    // A token this server never signed: Ada's, with its signature swapped for another.
    const forged = ada.token.replace(/\.[^.]+$/, ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

    const headset = await joinWith(ada.token, { name: "Ada", device: "headset" });
    const ticket = await headset.request<object, HandoffTicketInfo>("handoffCreate", {});
    const preview = await fetch(`${server.url}/api/handoff/${ticket.code}`);
    expect(preview.status).toBe(200);
    expect(preview.headers.get("x-request-id")).toMatch(/^[\w-]{8}$/);
    const laptop = await joinWith(laptopSignIn.token, { name: "Ada", handoff: ticket.code }, headset.roomId);
    await laptop.request("handoffAccept", {});
    await expect(joinWith(forged, { name: "Ada" })).rejects.toThrow(/not signed by this server/);
    const refusedHttp = await fetch(`${server.url}/api/plants`, { headers: { authorization: `Bearer ${forged}` } });
    expect(refusedHttp.status).toBe(401);
    await Promise.all([laptop.leave(), headset.leave()]);
    await server.stop();

    const text = server.output();
    const lines = text
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as LogLine);
    for (const l of lines) {
      expect(["info", "warn", "error"]).toContain(l.level);
      expect(typeof l.time).toBe("number");
    }
    // The events are there, with their ids.
    const joined = lines.find((l) => /^room [\w-]+: Ada joined from headset \(seat [\w-]+\)$/.test(l.msg));
    expect(joined).toMatchObject({ level: "info", room: headset.roomId });
    expect(joined!.msg).toContain(`(seat ${joined!.seat})`);
    const moved = lines.find((l) => / moved from headset to desktop \(ticket\)$/.test(l.msg));
    expect(moved).toMatchObject({ level: "info", room: headset.roomId, seat: joined!.seat });
    const refused = lines.filter((l) => /^auth: refused .* forged$/.test(l.msg));
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) {
      expect(r.level).toBe("warn");
      expect(r.req).toMatch(/^[\w-]{8}$/);
    }
    expect(lines.find((l) => l.msg.startsWith("Gemba is running. Open "))).toMatchObject({ level: "info" });

    // And none of the credentials, whole or as their signature.
    for (const secret of [ada.token, laptopSignIn.token, forged, ticket.token, ticket.code]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.split(".").pop()!);
    }
  });
});
