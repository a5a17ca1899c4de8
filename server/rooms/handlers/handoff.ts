/**
 * Moving a seat between devices (make-before-break): the driving device creates a ticket; a device that joined
 * pending on the seat accepts it (ticket) or pulls the seat over (same person); or joins separately; a device the
 * seat moved away from takes it back. Who holds what is SeatRegistry's; this file asks it and tells the devices.
 */
import { refuse, type RequestHandlers } from "./handlerTable.ts";
import type { RoomScope } from "./RoomScope.ts";

export function handoffHandlers(room: RoomScope) {
  const { ctx, seats, state } = room;

  /** The seat this connection waits on, with its pending details. */
  function pendingOn(sessionId: string) {
    const c = seats.connection(sessionId);
    const seat = c?.state === "pending" ? state.seats.get(c.seat) : undefined;
    return seat && c ? { seat, device: c.device, ticket: c.ticket } : undefined;
  }

  const requests: Pick<
    RequestHandlers,
    "handoffCreate" | "handoffAccept" | "handoffPull" | "handoffSeparate" | "handoffTakeBack"
  > = {
    async handoffCreate(client, msg) {
      const seat = room.seatFor(client);
      if (!seat) return refuse("forbidden", "Only the device that holds the seat can move it.");
      const t = await ctx.tickets.create({
        seat: seat.id,
        user: seat.user,
        name: seat.name,
        room: room.roomId,
        plant: state.plant,
        fromDevice: seat.device,
        draft: msg.draft ?? "",
      });
      room.record("handoff.ticket", seat, { expiresAt: t.expiresAt });
      return { token: t.token, code: t.code, expiresAt: t.expiresAt };
    },
    async handoffAccept(client) {
      const p = pendingOn(client.sessionId);
      if (!p?.ticket) return refuse("invalid", "There is no handoff waiting on this device.");
      const r = await ctx.tickets.claim(p.ticket.token, p.seat.user, client.sessionId);
      if (!r.ok) return refuse(r.code === "wrong-user" ? "forbidden" : "invalid", r.message);
      const seat = room.switchDriver(client, p.device, "ticket", r.ticket.draft);
      return seat ? { seat: seat.id } : refuse("not-found", "That session has ended.");
    },
    handoffPull(client) {
      const p = pendingOn(client.sessionId);
      if (!p) return refuse("invalid", "There is no session of yours to move here.");
      const seat = room.switchDriver(client, p.device, "pull");
      return seat ? { seat: seat.id } : refuse("not-found", "That session has ended.");
    },
    handoffSeparate(client) {
      const p = pendingOn(client.sessionId);
      if (!p) return refuse("invalid", "This device already has a seat.");
      const own = room.createSeat(client, {
        name: p.seat.name,
        user: p.seat.user,
        // The new device's own sign-in decides its role, never the seat it was offered (issue #18).
        role: room.tokenRole(client.sessionId),
        device: p.device,
      });
      return { seat: own.id };
    },
    handoffTakeBack(client) {
      const c = seats.connection(client.sessionId);
      if (c?.state !== "moved") return refuse("invalid", "This device has nothing to take back.");
      const seat = room.switchDriver(client, c.device, "take-back");
      return seat ? { seat: seat.id } : refuse("not-found", "That session has ended.");
    },
  };

  return { events: {}, requests };
}
