/**
 * A participant joined from Node with the real SDK, signed in the way the page
 * signs in (development sign-in): an observer that records what everyone sees,
 * a seat that pins a note, a crowd for a bench.
 */
import type { Room } from "@colyseus/sdk";
import { PLANT_ROOM, PROTOCOL_VERSION, type JoinOptions, type Role } from "../shared/protocol.ts";
import { PlantRoomState } from "../shared/state.ts";
import { devClient } from "./devSignIn.ts";

/** Join options, plus the role the development sign-in token carries (the server takes the role from the token). */
export type TestJoinOptions = Partial<JoinOptions> & { role?: Role };

/** Join the demo plant (unless `options` names another) as `name`; the welcome and unlistened messages are consumed. */
export async function joinPlant(
  endpoint: string,
  name: string,
  options: TestJoinOptions = {},
): Promise<Room<unknown, PlantRoomState>> {
  const { role, ...join } = options;
  const client = await devClient(endpoint, name, role);
  const room = await client.joinOrCreate<PlantRoomState>(
    PLANT_ROOM,
    { protocol: PROTOCOL_VERSION, plant: "demo", name, ...join },
    PlantRoomState,
  );
  room.onMessage("welcome", () => {});
  // Messages the caller does not listen for (alarm sounds, toasts meant for a page) are not the SDK's console warnings.
  room.onMessage("*", () => {});
  return room;
}
