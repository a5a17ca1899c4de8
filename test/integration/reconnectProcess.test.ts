/**
 * Reconnection against a server started the way `npm start` starts it (its own
 * process, Node's own globals): the in-process harness cannot see a server that
 * lacks something the test process provides (here the global WebSocket, which
 * Colyseus checks when a client takes its seat back).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, type Room } from "@colyseus/sdk";
import { PLANT_ROOM, PROTOCOL_VERSION } from "../../shared/protocol.ts";
import { PlantRoomState } from "../../shared/state.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { waitForState } from "./harness.ts";

let server: RunningServer;

beforeAll(async () => {
  server = await startAppServer({ SIM: "off", RECONNECT_SECONDS: "10" });
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

async function joinAs(name: string): Promise<Room<unknown, PlantRoomState>> {
  const res = await fetch(`${server.url}/api/auth/dev`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name }),
  });
  const client = new Client(server.url.replace(/^http/, "ws"));
  // Servers from before development sign-in tokens have no such route and take the name alone.
  if (res.status !== 404) client.auth.token = ((await res.json()) as { token: string }).token;
  const room = await client.joinOrCreate<PlantRoomState>(
    PLANT_ROOM,
    { protocol: PROTOCOL_VERSION, plant: "demo", name, device: "desktop" },
    PlantRoomState,
  );
  room.onMessage("welcome", () => {});
  room.onMessage("error", () => {});
  return room;
}

describe("reconnection to a server process", () => {
  it("a participant whose connection drops gets the same seat back", async () => {
    const watcher = await joinAs("Watcher");
    const flaky = await joinAs("Flaky");
    flaky.reconnection.minUptime = 0;
    const seatOf = (s: PlantRoomState) => [...s.seats.values()].find((seat) => seat.name === "Flaky");
    const seatId = seatOf(await waitForState(watcher, (s) => seatOf(s) !== undefined, "Flaky's seat"))!.id;
    const back = new Promise<void>((resolve) => flaky.onReconnect(() => resolve()));
    flaky.connection.close(4010, "network blip"); // not a consented leave: the SDK treats it like a dropped network
    await back;
    await waitForState(watcher, (s) => s.seats.get(seatId)?.presence === "online", "online again, same seat");
    expect(server.output()).not.toContain("WebSocket is not defined");
    await flaky.leave();
    await watcher.leave();
  }, 60_000);
});
