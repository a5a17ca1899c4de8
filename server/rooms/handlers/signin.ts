/**
 * `signin`: a fresh token for the seat this connection holds (after "signin-expiring", or a new sign-in on the page).
 * The guard checks and counts it itself: a forged or someone else's token is refused and counted as rejected, like a
 * malformed one (docs/SECURITY.md).
 */
import { Refused, type RequestHandlers } from "./handlerTable.ts";
import type { RoomScope } from "./RoomScope.ts";

export function signInHandlers(room: RoomScope) {
  const requests: Pick<RequestHandlers, "signin"> = {
    signin: {
      validatesItself: true,
      async handle(client, raw) {
        const r = await room.signIns.refresh(client.sessionId, raw, "room");
        room.counters.count(r.ok ? "accepted" : "rejected", "signin");
        return r.ok ? r.value : new Refused(r.refusal);
      },
    },
  };
  return { events: {}, requests };
}
