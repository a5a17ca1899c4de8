/**
 * What-ifs in the room (docs/WHAT-IF.md): operators and up fork the twin and predict; the prediction goes to the
 * room state for everyone. Refusals are sentences and are counted (a bad what-if is bad input like any other).
 */
import type { Client } from "@colyseus/core";
import { aRole, can } from "../../../shared/permissions.ts";
import type { Actor } from "../../journal/JournalEntry.ts";
import type { WhatIfRefusal } from "../WhatIfRoom.ts";
import { refuse, Refused, type RequestHandlers } from "./handlerTable.ts";
import type { RoomScope } from "./RoomScope.ts";

export function whatIfHandlers(room: RoomScope) {
  function permitted(client: Client, type: string): Actor | Refused {
    const seat = room.seatFor(client);
    if (!seat) return refused(type, refuse("forbidden", "You have no seat in this room."));
    if (can(seat.role, "whatIf")) return room.actorOf(seat);
    room.record("denied", seat, { action: type });
    return refused(type, refuse("forbidden", `${aRole(seat.role)} cannot run what-ifs; ask an operator.`));
  }

  function refused(type: string, r: Refused): Refused {
    room.counters.count("rejected", type);
    return r;
  }

  /** A journal write that fails is the request's failure; nothing was added to the room. */
  function stored<T extends object>(type: string, fn: () => T | WhatIfRefusal): T | Refused {
    try {
      const r = fn();
      return "code" in r && "message" in r ? refused(type, refuse(r.code, r.message)) : r;
    } catch (e) {
      room.ctx.log(`room ${room.roomId}: what-if journal write failed: ${(e as Error).message}`);
      return refuse("failed", "The journal could not record this what-if; nothing changed. Try again.");
    }
  }

  const requests: Pick<RequestHandlers, "whatIf" | "whatIfRemove"> = {
    whatIf(client, msg) {
      const actor = permitted(client, "whatIf");
      if (actor instanceof Refused) return actor;
      // During shared playback the fork is the instant the room looks at.
      const at = room.state.viewTime > 0 ? room.state.viewTime : null;
      return stored("whatIf", () => room.whatIfs.create(actor, msg, at));
    },
    whatIfRemove(client, msg) {
      const actor = permitted(client, "whatIfRemove");
      if (actor instanceof Refused) return actor;
      return stored("whatIfRemove", () => room.whatIfs.remove(actor, msg.id));
    },
  };
  return { events: {}, requests };
}
