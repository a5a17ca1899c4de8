/** Pins and ink on assets: create, edit or resolve, delete. The book checks who may change what and journals it. */
import { refuse, type RequestHandlers } from "./handlerTable.ts";
import type { RoomScope } from "./RoomScope.ts";

export function annotationHandlers(room: RoomScope) {
  const notes = room.runtime.annotations;

  const requests: Pick<RequestHandlers, "annotate" | "annotationUpdate" | "annotationDelete"> = {
    annotate(client, msg) {
      const seat = room.seatFor(client);
      if (!seat) return refuse("forbidden", "You have no seat in this room.");
      if (room.runtime.twin.twinIndex(msg.twin) === undefined)
        return refuse("not-found", `There is no asset "${msg.twin}".`);
      const r = notes.create(
        { ...room.actorOf(seat), color: seat.color },
        {
          kind: msg.kind,
          twin: msg.twin,
          offset: msg.offset,
          points: msg.points ?? [],
          text: msg.text,
          alarm: msg.alarm ?? "",
        },
      );
      if (!r.ok) {
        if (r.code === "forbidden") room.record("denied", seat, { action: "annotate", twin: msg.twin });
        return refuse(r.code, r.message);
      }
      return { id: r.id, journalId: r.journalId };
    },
    annotationUpdate(client, msg) {
      const seat = room.seatFor(client);
      if (!seat) return refuse("forbidden", "You have no seat in this room.");
      const r = notes.update(room.actorOf(seat), msg.id, { text: msg.text, status: msg.status });
      return r.ok ? { id: r.id, journalId: r.journalId } : refuse(r.code, r.message);
    },
    annotationDelete(client, msg) {
      const seat = room.seatFor(client);
      if (!seat) return refuse("forbidden", "You have no seat in this room.");
      const r = notes.delete(room.actorOf(seat), msg.id);
      return r.ok ? { id: r.id, journalId: r.journalId } : refuse(r.code, r.message);
    },
  };

  return { events: {}, requests };
}
