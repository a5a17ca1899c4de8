/**
 * Closing an incident (docs/TRAINING.md): operators and up; the room's IncidentRoom checks it, journals it and
 * queues the work order when WORK_ORDER_URL is set. A refusal is a sentence.
 */
import { aRole, can } from "../../../shared/permissions.ts";
import { refuse, type RequestHandlers } from "./handlerTable.ts";
import type { RoomScope } from "./RoomScope.ts";

export function incidentHandlers(room: RoomScope) {
  const requests: Pick<RequestHandlers, "incidentClose"> = {
    incidentClose(client, msg) {
      const seat = room.seatFor(client);
      if (!seat) return refuse("forbidden", "You have no seat in this room.");
      if (!can(seat.role, "closeIncident")) {
        room.record("denied", seat, { action: "incident.close" });
        return refuse("forbidden", `${aRole(seat.role)} cannot close incidents; ask an operator.`);
      }
      try {
        const r = room.incidents.close(room.actorOf(seat), msg.alarm, msg.activeAt, msg.summary);
        return typeof r === "string" ? refuse("invalid", r) : r;
      } catch (e) {
        room.ctx.log(`room ${room.roomId}: closing incident ${msg.alarm} failed: ${(e as Error).message}`);
        return refuse("failed", "The journal could not record the closing; the incident is still open. Try again.");
      }
    },
  };
  return { events: {}, requests };
}
