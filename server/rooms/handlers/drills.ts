/**
 * Drills in the room (docs/TRAINING.md): list the plant's scenarios, start one for trainees chosen among the room's
 * seats, end one. Instructors are experts and up (`drill` in shared/permissions.ts); a drill is started from the
 * plant's own room and runs in its own sandbox room. A refusal is a sentence.
 */
import type { Client } from "@colyseus/core";
import { drillOf } from "../../../shared/drill.ts";
import { aRole, can } from "../../../shared/permissions.ts";
import type { SeatState } from "../../../shared/state.ts";
import { refuse, Refused, type RequestHandlers } from "./handlerTable.ts";
import type { RoomScope } from "./RoomScope.ts";

export function drillHandlers(room: RoomScope) {
  /** The acting seat when its role may run drills; otherwise the refusal (journaled as denied). */
  function instructor(client: Client, action: string): SeatState | Refused {
    const seat = room.seatFor(client);
    if (!seat) return refuse("forbidden", "You have no seat in this room.");
    if (!room.ctx.drills) return refuse("failed", "Drills are not available on this server.");
    if (can(seat.role, "drill")) return seat;
    room.record("denied", seat, { action });
    return refuse("forbidden", `${aRole(seat.role)} cannot run drills; ask an instructor (an expert).`);
  }

  const requests: Pick<RequestHandlers, "drills" | "drillStart" | "drillEnd"> = {
    drills(client) {
      const seat = instructor(client, "drill.list");
      if (seat instanceof Refused) return seat;
      return {
        drills: room.runtime.plant.drills.map((d) => ({
          id: d.id,
          title: d.title,
          brief: d.brief,
          procedure: d.expect.procedure ?? "",
          limitSeconds: d.limitSeconds,
        })),
      };
    },
    async drillStart(client, msg) {
      const seat = instructor(client, "drill.start");
      if (seat instanceof Refused) return seat;
      if (drillOf(room.state.plant) !== null) return refuse("invalid", "Start a drill from the plant's own room.");
      const trainees = [];
      for (const id of new Set(msg.trainees)) {
        const s = room.state.seats.get(id);
        if (!s) return refuse("not-found", "One of the chosen trainees has left the room; choose again.");
        trainees.push({ user: s.user, name: s.name });
      }
      try {
        const r = await room.ctx.drills!.start(
          room.runtime.plant,
          msg.scenario,
          { user: seat.user, name: seat.name },
          trainees,
        );
        if (typeof r === "string") return refuse("invalid", r);
        return { drill: r.id, plant: r.plant };
      } catch (e) {
        room.ctx.log(`room ${room.roomId}: drill start failed: ${(e as Error).message}`);
        return refuse("failed", "The drill could not start; nothing changed. Try again.");
      }
    },
    drillEnd(client, msg) {
      const seat = instructor(client, "drill.end");
      if (seat instanceof Refused) return seat;
      const why = room.ctx.drills!.end(msg.drill, { user: seat.user, name: seat.name });
      return why === null ? {} : refuse("invalid", why);
    },
  };

  return { events: {}, requests };
}
