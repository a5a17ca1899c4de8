/**
 * Reconnection against a server started the way `npm start` starts it (its own
 * process, Node's own globals): the in-process harness cannot see a server that
 * lacks something the test process provides (here the global WebSocket, which
 * Colyseus checks when a client takes its seat back).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlantRoomState } from "../../shared/state.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { waitForState } from "./harness.ts";
import { joinPlant } from "../../kit/observer.ts";

let server: RunningServer;

beforeAll(async () => {
  server = await startAppServer({ SIM: "off", RECONNECT_SECONDS: "10" });
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

const joinAs = (name: string) => joinPlant(server.url, name, { device: "desktop" });

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
