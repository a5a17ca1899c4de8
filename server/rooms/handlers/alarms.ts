/** Alarm actions (ISA-18.2): acknowledge, shelve for a while with a reason, unshelve. Each is journaled by the book. */
import type { Client } from "@colyseus/core";
import { aRole, can, type Action } from "../../../shared/permissions.ts";
import type { Actor } from "../../journal/JournalEntry.ts";
import { refuse, type RequestHandlers } from "./handlerTable.ts";
import type { RoomScope } from "./RoomScope.ts";

export function alarmHandlers(room: RoomScope) {
  const alarms = room.runtime.alarms;

  /** The acting seat when its role allows the action; otherwise the refusal sentence (and the refusal is journaled). */
  function permitted(client: Client, action: Action, subject: string): Actor | string {
    const seat = room.seatFor(client);
    if (!seat) return "You have no seat in this room.";
    const actor = room.actorOf(seat);
    if (can(seat.role, action)) return actor;
    const reason = `${aRole(seat.role)} cannot ${action === "acknowledge" ? "acknowledge alarms" : action + " alarms"}.`;
    alarms.recordDenied(subject, actor, action, reason);
    return reason;
  }

  const requests: Pick<RequestHandlers, "ack" | "shelve" | "unshelve"> = {
    ack(client, msg) {
      const actor = permitted(client, "acknowledge", msg.alarm);
      if (typeof actor === "string") return refuse("forbidden", actor);
      const r = alarms.ack(msg.alarm, actor);
      return r.ok ? { journalId: r.journalId } : refuse("invalid", r.message);
    },
    shelve(client, msg) {
      const actor = permitted(client, "shelve", msg.alarm);
      if (typeof actor === "string") return refuse("forbidden", actor);
      const r = alarms.shelve(msg.alarm, actor, msg.minutes * 60_000, msg.reason);
      return r.ok ? { journalId: r.journalId } : refuse("invalid", r.message);
    },
    unshelve(client, msg) {
      const actor = permitted(client, "shelve", msg.alarm);
      if (typeof actor === "string") return refuse("forbidden", actor);
      const r = alarms.unshelve(msg.alarm, actor);
      return r.ok ? { journalId: r.journalId } : refuse("invalid", r.message);
    },
  };

  return { events: {}, requests };
}
