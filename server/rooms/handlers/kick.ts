/** `kick` (admin): close every connection of a seat with CloseCode.KICKED and free the seat now (no reconnection hold). */
import { aRole, can } from "../../../shared/permissions.ts";
import { CloseCode } from "../../../shared/protocol.ts";
import { sendTo } from "../send.ts";
import { refuse, type RequestHandlers } from "./handlerTable.ts";
import type { RoomScope } from "./RoomScope.ts";

export function kickHandlers(room: RoomScope) {
  const requests: Pick<RequestHandlers, "kick"> = {
    kick(client, msg) {
      const admin = room.seatFor(client);
      if (!admin) return refuse("forbidden", "You have no seat in this room.");
      if (!can(admin.role, "kick")) {
        room.record("denied", admin, { action: "kick", target: msg.seat });
        return refuse("forbidden", `${aRole(admin.role)} cannot remove people; ask an administrator.`);
      }
      if (msg.seat === admin.id) return refuse("invalid", "You cannot remove yourself; leave the room instead.");
      const target = room.state.seats.get(msg.seat);
      if (!target) return refuse("not-found", `Nobody in this room has seat "${msg.seat}".`);
      const reason = msg.reason ?? "";
      // Journal first: the record of who removed whom must exist even if closing fails half-way.
      room.record("kick", admin, { target: target.id, name: target.name, user: target.user, reason });
      room.ctx.log(`room ${room.roomId}: ${admin.name} removed ${target.name} (seat ${target.id})`);
      const kicked = room.seats.kick(target.id);
      // The seat goes now, with or without live connections (a driver inside its reconnection hold has none).
      room.releaseSeat(target.id);
      for (const sessionId of kicked.ok ? kicked.value.connections : []) {
        const c = room.connection(sessionId);
        if (!c) continue;
        sendTo(c, "removed", { by: admin.name, reason });
        // KICKED is not a reconnect code: onDrop returns at once (no hold); a kicked connection coming back is closed.
        room.close(sessionId, CloseCode.KICKED, "Removed by an administrator.");
      }
      return { seat: target.id };
    },
  };

  return { events: {}, requests };
}
