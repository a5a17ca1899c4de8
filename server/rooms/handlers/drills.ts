/**
 * Drills in the room (docs/TRAINING.md): list the plant's scenarios, start one for trainees chosen among the room's
 * seats, end one, replay one to its room (the debrief). Instructors are experts and up (`drill` in
 * shared/permissions.ts); a drill is started from the plant's own room and runs in its own sandbox room. A refusal is
 * a sentence; a refused start (a replay, a busy trainee, a role that may not) is counted (rejected.drillStart).
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

  /** A refused request is bad input like any other: counted beside the schema's refusals. */
  function counted<T>(type: string, answer: T | Refused): T | Refused {
    if (answer instanceof Refused) room.counters.count("rejected", type);
    return answer;
  }

  async function start(client: Client, scenario: string, chosen: string[], request: string | undefined) {
    const seat = instructor(client, "drill.start");
    if (seat instanceof Refused) return seat;
    if (drillOf(room.state.plant) !== null) return refuse("invalid", "Start a drill from the plant's own room.");
    const trainees = [];
    for (const id of new Set(chosen)) {
      const s = room.state.seats.get(id);
      if (!s) return refuse("not-found", "One of the chosen trainees has left the room; choose again.");
      trainees.push({ user: s.user, name: s.name });
    }
    try {
      const r = await room.ctx.drills!.start(
        room.runtime.plant,
        scenario,
        { user: seat.user, name: seat.name },
        trainees,
        request,
      );
      if (typeof r === "string") return refuse("invalid", r);
      return { drill: r.id, plant: r.plant };
    } catch (e) {
      room.ctx.log(`room ${room.roomId}: drill start failed: ${(e as Error).message}`);
      return refuse("failed", "The drill could not start; nothing changed. Try again.");
    }
  }

  /** The debrief: replay the drill from its start to its own room, playing; its instructor or a scored trainee. */
  function debrief(client: Client, id: string) {
    const seat = room.seatFor(client);
    if (!seat) return refuse("forbidden", "You have no seat in this room.");
    const d = room.ctx.drills?.byPlant(room.state.plant);
    if (!d || d.id !== id) return refuse("invalid", "Start the debrief from the drill's own room.");
    const trainee = d.trainees.find((t) => t.user === seat.user);
    if (!can(seat.role, "drill") && !trainee?.scored) {
      room.record("denied", seat, { action: "drill.debrief" });
      return refuse(
        "forbidden",
        trainee ? "The debrief opens once you are scored." : "Only the instructor or a trainee starts the debrief.",
      );
    }
    // From the drill's start, or the oldest value working memory has of it when that is later.
    const from = Math.max(d.startedAt, room.playback.horizon());
    const at = room.playback.seek(from);
    if (!at.ok) return refuse("invalid", at.message);
    const r = room.playback.play(1, seat.id);
    if (!r.ok) return refuse("invalid", r.message);
    room.record("playback.play", seat, { t: at.t, debrief: d.id });
    room.state.playbackBy = seat.id;
    return { t: at.t };
  }

  const requests: Pick<RequestHandlers, "drills" | "drillStart" | "drillEnd" | "drillDebrief"> = {
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
      return counted("drillStart", await start(client, msg.scenario, msg.trainees, msg.request));
    },
    drillEnd(client, msg) {
      const seat = instructor(client, "drill.end");
      if (seat instanceof Refused) return seat;
      const why = room.ctx.drills!.end(msg.drill, { user: seat.user, name: seat.name });
      return why === null ? {} : refuse("invalid", why);
    },
    drillDebrief(client, msg) {
      return counted("drillDebrief", debrief(client, msg.drill));
    },
  };

  return { events: {}, requests };
}
