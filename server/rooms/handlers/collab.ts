/**
 * Working together in the room: shared selection, presence poses, "look here" pings, following, summoning and
 * sharing an asset, interest areas, and the co-location reference points.
 */
import { aRole, can } from "../../../shared/permissions.ts";
import { applyPose, PoseGate } from "../presence.ts";
import { sendTo } from "../send.ts";
import type { EventHandlers, RequestHandlers } from "./handlerTable.ts";
import { refuse } from "./handlerTable.ts";
import type { RoomScope } from "./RoomScope.ts";

/** Shortest time between two pings of one seat: a ping draws everyone's eyes, so it must stay rare. */
const PING_INTERVAL_MS = 1000;

type CollabEvents = Pick<EventHandlers, "select" | "pose" | "ping" | "follow" | "summon" | "share" | "interest">;

export function collabHandlers(room: RoomScope) {
  const { ctx, state } = room;
  const poses = new PoseGate();
  const lastPing = new Map<string, number>();

  const events: CollabEvents = {
    select(client, msg, seat) {
      if (room.knownTwin(client, msg.twin)) seat.selection = msg.twin ?? "";
    },
    pose(_client, msg, seat) {
      if (poses.admit(seat.id, ctx.now())) applyPose(seat, msg);
      else room.counters.dropped["pose"] = (room.counters.dropped["pose"] ?? 0) + 1;
    },
    ping(client, msg, seat) {
      const now = ctx.now();
      if (now - (lastPing.get(seat.id) ?? 0) < PING_INTERVAL_MS || !room.knownTwin(client, msg.twin)) return;
      lastPing.set(seat.id, now);
      room.broadcast("ping", { seat: seat.id, at: msg.at, twin: msg.twin });
      room.record("ping", seat, { at: msg.at, twin: msg.twin });
    },
    follow(client, msg, seat) {
      if (msg.seat !== null && (msg.seat === seat.id || !state.seats.has(msg.seat))) {
        sendTo(client, "error", { code: "unknown-seat", message: "That participant is not in the room." });
        return;
      }
      seat.following = msg.seat ?? "";
    },
    summon(client, msg, seat) {
      if (!room.knownTwin(client, msg.twin)) return;
      if (!can(seat.role, "summon")) {
        sendTo(client, "error", { code: "forbidden", message: `${aRole(seat.role)} cannot summon everyone.` });
        room.record("denied", seat, { action: "summon", twin: msg.twin });
        return;
      }
      state.presenter = seat.id;
      room.broadcast("summon", { seat: seat.id, twin: msg.twin });
      room.record("summon", seat, { twin: msg.twin });
    },
    share(client, msg, seat) {
      if (!room.knownTwin(client, msg.twin)) return;
      seat.selection = msg.twin;
      room.broadcast("share", { seat: seat.id, twin: msg.twin }, client);
      room.record("share", seat, { twin: msg.twin });
    },
    interest(client, msg, seat) {
      const r = room.interest.set(client, msg, seat.id);
      if (!r.ok) sendTo(client, "error", { code: r.code, message: r.message });
    },
  };

  const requests: Pick<RequestHandlers, "calibrate"> = {
    // Co-location points: the book validates and counts the payload itself (bad points and refused roles alike).
    calibrate: {
      validatesItself: true,
      handle(client, raw) {
        const seat = room.seatFor(client);
        if (!seat) return refuse("forbidden", "You have no seat in this room.");
        const r = room.calibration.set(room.actorOf(seat), raw);
        return r.ok ? { journalId: r.journalId } : refuse(r.code, r.message);
      },
    },
  };

  return {
    events,
    requests,
    forgetSeat(id: string): void {
      poses.forget(id);
      lastPing.delete(id);
    },
  };
}
