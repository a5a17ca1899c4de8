/**
 * Procedure runs in the room (docs/TRAINING.md): list, start, mark the current step done, stop. Operators and up
 * act; the gate is the server's verdict on the live twin (ProcedureRoom), never the page's. A refusal is a sentence.
 */
import type { Client } from "@colyseus/core";
import { aRole, can } from "../../../shared/permissions.ts";
import type { Actor } from "../../journal/JournalEntry.ts";
import { refuse, Refused, type RequestHandlers } from "./handlerTable.ts";
import type { RoomScope } from "./RoomScope.ts";

export function procedureHandlers(room: RoomScope) {
  const procedures = room.procedures;
  /** The acting seat's actor when its role may run procedures; otherwise the refusal (journaled as denied). */
  function permitted(client: Client, action: string): Actor | Refused {
    const seat = room.seatFor(client);
    if (!seat) return refuse("forbidden", "You have no seat in this room.");
    if (can(seat.role, "runProcedure")) return room.actorOf(seat);
    room.record("denied", seat, { action });
    return refuse("forbidden", `${aRole(seat.role)} cannot run procedures; ask an operator.`);
  }

  /** A journal write that fails is the request's failure, said in a sentence; the run stays where it was. */
  function stored<T>(fn: () => T | string): T | Refused {
    try {
      const r = fn();
      return typeof r === "string" ? refuse("invalid", r) : r;
    } catch (e) {
      room.ctx.log(`room ${room.roomId}: procedure journal write failed: ${(e as Error).message}`);
      return refuse("failed", "The journal could not record this step; nothing changed. Try again.");
    }
  }

  const requests: Pick<RequestHandlers, "procedures" | "procedureStart" | "procedureDone" | "procedureStop"> = {
    procedures() {
      return {
        procedures: procedures.procedures.map((p) => ({
          id: p.id,
          title: p.title,
          steps: p.steps.length,
          assets: p.steps.map((s) => s.asset),
        })),
      };
    },
    procedureStart(client, msg) {
      const actor = permitted(client, "procedure.start");
      if (actor instanceof Refused) return actor;
      return stored(() => procedures.start(msg.procedure, actor));
    },
    procedureDone(client, msg) {
      const actor = permitted(client, "procedure.step");
      if (actor instanceof Refused) return actor;
      const run = procedures.runOf(msg.run);
      // A "done" for another run, a step already done (a replayed or stale press) or one not reached yet is bad
      // input like any other: refused with the reason, and counted (room counters, rejected.procedureDone).
      if (typeof run === "string") {
        room.counters.count("rejected", "procedureDone");
        return refuse("not-found", run);
      }
      const prepared = run.prepareDone(actor, msg.step, msg.note ?? "");
      if (!prepared.ok) room.counters.count("rejected", "procedureDone");
      return stored(() => {
        const r = procedures.apply(prepared);
        return typeof r === "string" ? r : { ...r, completed: run.status === "completed" };
      });
    },
    procedureStop(client, msg) {
      const actor = permitted(client, "procedure.stop");
      if (actor instanceof Refused) return actor;
      const run = procedures.runOf(msg.run);
      if (typeof run === "string") return refuse("not-found", run);
      return stored(() => {
        const r = procedures.apply(run.prepareStop(actor, msg.reason));
        return typeof r === "string" ? r : { journalId: r.journalId };
      });
    },
  };

  return { events: {}, requests };
}
