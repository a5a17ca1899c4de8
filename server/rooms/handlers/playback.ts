/** Shared time travel (expert role): seek, play, pause, back to live; and bookmarks, named instants in the journal. */
import { aRole, can } from "../../../shared/permissions.ts";
import { refuse, type RequestHandlers } from "./handlerTable.ts";
import type { RoomScope } from "./RoomScope.ts";

/** How far ahead of the server's clock a bookmark may be stamped (clocks of two machines differ a little). */
const BOOKMARK_CLOCK_SLACK_MS = 1000;

export function playbackHandlers(room: RoomScope) {
  const { ctx, state, playback } = room;

  const requests: Pick<RequestHandlers, "playback" | "bookmark"> = {
    playback(client, msg) {
      const seat = room.seatFor(client);
      if (!seat) return refuse("forbidden", "You have no seat in this room.");
      if (!can(seat.role, "playback")) {
        room.record("denied", seat, { action: "playback" });
        return refuse(
          "forbidden",
          `${aRole(seat.role)} cannot move the room's time; ask an expert, or leave playback for yourself.`,
        );
      }
      const r =
        msg.action === "seek"
          ? playback.seek(msg.t)
          : msg.action === "play"
            ? playback.play(msg.speed, seat.id)
            : msg.action === "pause"
              ? playback.pause()
              : playback.live();
      if (!r.ok) return refuse("invalid", r.message);
      // Pausing is not journaled: it changes nothing anyone reads later.
      if (msg.action !== "pause") room.record(`playback.${msg.action}`, seat, { t: r.t });
      if (r.t > 0) state.playbackBy = seat.id;
      return { t: r.t };
    },
    bookmark(client, msg) {
      const seat = room.seatFor(client);
      if (!seat) return refuse("forbidden", "You have no seat in this room.");
      if (!can(seat.role, "annotate")) return refuse("forbidden", `${aRole(seat.role)} cannot add bookmarks.`);
      if (msg.t > ctx.now() + BOOKMARK_CLOCK_SLACK_MS) return refuse("invalid", "A bookmark cannot be in the future.");
      // Stamped at the bookmarked instant, so the timeline and "next event" find it there. A failed write fails the request.
      room.runtime.store.append(room.journal.entry("bookmark", seat, msg.name, { t: msg.t, at: ctx.now() }, msg.t));
      return { t: msg.t };
    },
  };

  return { events: {}, requests };
}
