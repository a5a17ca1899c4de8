/**
 * A participant joined from Node with the real SDK, signed in the way the page
 * signs in (development sign-in): an observer that records what everyone sees,
 * a seat that pins a note, a crowd for a bench.
 */
import type { Room } from "@colyseus/sdk";
import { PLANT_ROOM, PROTOCOL_VERSION, type JoinOptions } from "../shared/protocol.ts";
import { PlantRoomState } from "../shared/state.ts";
import { devClient } from "./devSignIn.ts";

/** Join the demo plant (unless `options` names another) as `name`; the welcome message is consumed. */
export async function joinPlant(
  endpoint: string,
  name: string,
  options: Partial<JoinOptions> = {},
): Promise<Room<unknown, PlantRoomState>> {
  const client = await devClient(endpoint, name, options.role);
  const room = await client.joinOrCreate<PlantRoomState>(
    PLANT_ROOM,
    { protocol: PROTOCOL_VERSION, plant: "demo", name, ...options },
    PlantRoomState,
  );
  room.onMessage("welcome", () => {});
  return room;
}
