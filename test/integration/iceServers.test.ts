/**
 * ICE_SERVERS on a real server: each seated participant's welcome carries the STUN/TURN servers the operator
 * configured for the voice call; none by default (the call stays on the LAN, nothing leaves the origin);
 * a malformed value stops start-up with one sentence that does not print the credential.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../server/config.ts";
import { PLANT_ROOM, PROTOCOL_VERSION } from "../../shared/protocol.ts";
import { PlantRoomState } from "../../shared/state.ts";
import { devClient } from "../../kit/devSignIn.ts";
import { startServer, testConfig, type Harness } from "./harness.ts";

let h: Harness | null = null;
afterEach(async () => {
  await h?.server.stop();
  h = null;
});

/** Join as `name` and return the room's welcome message. */
async function welcomeOf(server: Harness, name: string): Promise<Record<string, unknown>> {
  const client = await devClient(`http://127.0.0.1:${server.server.port}`, name);
  const room = await client.joinOrCreate<PlantRoomState>(
    PLANT_ROOM,
    { protocol: PROTOCOL_VERSION, plant: "demo", name, device: "desktop" },
    PlantRoomState,
  );
  room.onMessage("*", () => {});
  const welcome = await new Promise<Record<string, unknown>>((resolve) =>
    room.onMessage("welcome", (m: Record<string, unknown>) => resolve(m)),
  );
  await room.leave();
  return welcome;
}

const TURN = {
  urls: ["turn:turn.plant.lan:3478", "turns:turn.plant.lan:5349"],
  username: "gemba",
  credential: "s3cret",
};

describe("ICE servers for the voice call", () => {
  it("by default the welcome names no ICE server: the call uses the LAN only", async () => {
    h = await startServer();
    expect(h.config.iceServers).toEqual([]);
    expect((await welcomeOf(h, "Ada"))["iceServers"]).toEqual([]);
  });

  it("the operator's STUN and TURN servers reach every participant in the welcome", async () => {
    h = await startServer({ ICE_SERVERS: JSON.stringify([{ urls: "stun:stun.plant.lan:3478" }, TURN]) });
    expect((await welcomeOf(h, "Bo"))["iceServers"]).toEqual([{ urls: "stun:stun.plant.lan:3478" }, TURN]);
  });

  it.each([
    ["not JSON", "turn:turn.plant.lan", /^ICE_SERVERS must be a JSON list like .*; its value is not JSON\.$/],
    ["an object, not a list", JSON.stringify(TURN), /^ICE_SERVERS is not valid \(.*\); expected a list like/],
    [
      "an http address",
      JSON.stringify([{ urls: "https://turn.plant.lan" }]),
      /urls: an ICE server address starts with stun:/,
    ],
    [
      "TURN without a credential",
      JSON.stringify([{ urls: "turn:turn.plant.lan:3478", username: "gemba" }]),
      /a TURN server needs a username and a credential/,
    ],
    ["an unknown field", JSON.stringify([{ urls: "stun:s.lan", password: "x" }]), /^ICE_SERVERS is not valid \(0: /],
  ])("a malformed ICE_SERVERS (%s) stops start-up with one sentence", (_what, value, message) => {
    expect(() => testConfig({ ICE_SERVERS: value })).toThrow(ConfigError);
    expect(() => testConfig({ ICE_SERVERS: value })).toThrow(message);
  });

  it("the start-up error does not print the TURN credential", () => {
    const bad = `[{"urls":"turn:t.lan","username":"gemba","credential":"s3cret"`;
    expect(() => testConfig({ ICE_SERVERS: bad })).toThrow(/^(?!.*s3cret).*$/s);
  });
});
