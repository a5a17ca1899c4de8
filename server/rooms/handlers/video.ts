/**
 * The call's camera (docs/VIDEO.md). Live video travels peer to peer in the voice mesh; the room only carries
 * what everyone must see the same way: which seat shares a camera (seat.camera, role-gated), sharp stills
 * ("Freeze", and the thin-link mode) as size-limited JPEG, and strokes drawn on a frame. Each is validated by
 * the shared schema, rate-limited per seat here, counted when refused, and journaled: a stroke is kept with
 * the still it was drawn on, so an incident report shows what the expert marked on what the technician saw.
 */
import { aRole, can } from "../../../shared/permissions.ts";
import type { SeatState } from "../../../shared/state.ts";
import { sendTo } from "../send.ts";
import type { EventHandlers } from "./handlerTable.ts";
import type { RoomScope } from "./RoomScope.ts";

/** Shortest time between two stills of one camera: a still is up to 150 KB sent to everyone. */
export const STILL_INTERVAL_MS = 500;
/** Shortest time between two still requests, and between two strokes, of one seat. */
export const ASK_INTERVAL_MS = 500;
export const STROKE_INTERVAL_MS = 100;
/** Stills kept per camera for strokes to refer to (the newest few: a stroke lands on what was just shown). */
const STILLS_KEPT = 4;
/** Strokes on a camera's live picture still waiting for their frame from that camera's device (the newest few). */
const LIVE_STROKES_KEPT = 20;

interface Still {
  id: string;
  jpeg: string;
  width: number;
  height: number;
  at: number;
  /** Journaled once, with the first stroke drawn on it. */
  journaled: boolean;
}

type VideoEvents = Pick<EventHandlers, "camera" | "stillAsk" | "still" | "stroke" | "strokeFrame">;

export function videoHandlers(room: RoomScope) {
  const { ctx, state } = room;
  const last = new Map<string, number>();
  const stills = new Map<string, Still[]>();
  /** Per camera seat: ids of strokes on its live picture whose frame has not come yet. */
  const unframed = new Map<string, string[]>();
  let seq = 0;

  /** Refuse (counted, told once a second) a video message; returns false so handlers can `return refuse(...)`. */
  const refuse = (client: Parameters<VideoEvents["camera"]>[0], type: string, message: string): false => {
    room.counters.reject(client, type, message, ctx.now());
    return false;
  };
  const tooSoon = (key: string, interval: number): boolean => {
    const now = ctx.now();
    if (now - (last.get(key) ?? -Infinity) < interval) return true;
    last.set(key, now);
    return false;
  };
  const cameraSeat = (id: string): SeatState | undefined => {
    const s = state.seats.get(id);
    return s && s.camera !== "" ? s : undefined;
  };

  const events: VideoEvents = {
    camera(client, msg, seat) {
      const mode = msg.mode === "off" ? "" : msg.mode;
      if (mode !== "" && !can(seat.role, "shareCamera")) {
        room.record("denied", seat, { action: "shareCamera" });
        return refuse(client, "camera", `${aRole(seat.role)} cannot share a camera; an operator can.`);
      }
      if (mode !== "" && !seat.inCall) return refuse(client, "camera", "Join the call before sharing a camera.");
      if (seat.camera === mode) return;
      if (seat.camera === "" || mode === "") room.record(mode ? "video.on" : "video.off", seat, {});
      seat.camera = mode;
      if (!mode) {
        stills.delete(seat.id);
        unframed.delete(seat.id);
      }
    },
    stillAsk(client, msg, seat) {
      const cam = cameraSeat(msg.camera);
      if (!cam) return refuse(client, "stillAsk", "That participant is not sharing a camera.");
      if (tooSoon(`ask:${seat.id}`, ASK_INTERVAL_MS))
        return refuse(client, "stillAsk", "Wait a moment between freezes.");
      const driver = room.seats.driverOf(cam.id);
      const target = driver === undefined ? undefined : room.connection(driver);
      if (target) sendTo(target, "stillAsk", { from: seat.id });
    },
    still(client, msg, seat) {
      if (seat.camera === "") return refuse(client, "still", "Share your camera before sending a still.");
      if (tooSoon(`still:${seat.id}`, STILL_INTERVAL_MS))
        return refuse(client, "still", "Stills come at most twice a second.");
      const still: Still = { id: `${seat.id}-${++seq}`, ...msg, at: ctx.now(), journaled: false };
      const kept = stills.get(seat.id) ?? [];
      kept.push(still);
      if (kept.length > STILLS_KEPT) kept.shift();
      stills.set(seat.id, kept);
      room.broadcast("still", {
        seat: seat.id,
        id: still.id,
        jpeg: msg.jpeg,
        width: msg.width,
        height: msg.height,
        at: still.at,
      });
    },
    stroke(client, msg, seat) {
      if (!can(seat.role, "annotate")) {
        room.record("denied", seat, { action: "videoStroke", camera: msg.camera });
        return refuse(client, "stroke", `${aRole(seat.role)} cannot draw on the video; an operator can.`);
      }
      const cam = cameraSeat(msg.camera);
      if (!cam) return refuse(client, "stroke", "That participant is not sharing a camera.");
      const frame = msg.still ? stills.get(msg.camera)?.find((s) => s.id === msg.still) : undefined;
      if (msg.still && !frame) return refuse(client, "stroke", "That still is no longer shown; freeze again.");
      if (tooSoon(`stroke:${seat.id}`, STROKE_INTERVAL_MS))
        return refuse(client, "stroke", "Strokes come at most ten a second.");
      const id = `${seat.id}-s${++seq}`;
      room.broadcast("stroke", {
        id,
        from: seat.id,
        camera: msg.camera,
        still: msg.still,
        points: msg.points,
        color: msg.color,
      });
      // The frame goes into the journal once, with the first stroke on it; later strokes name it.
      const still =
        frame && !frame.journaled
          ? { still: frame.id, jpeg: frame.jpeg, width: frame.width, height: frame.height, stillAt: frame.at }
          : { still: msg.still };
      if (frame) frame.journaled = true;
      if (!msg.still) {
        const waiting = unframed.get(msg.camera) ?? [];
        waiting.push(id);
        if (waiting.length > LIVE_STROKES_KEPT) waiting.shift();
        unframed.set(msg.camera, waiting);
      }
      room.record("video.stroke", seat, {
        stroke: id,
        camera: msg.camera,
        // The report names whose camera it was after the seat is long gone.
        cameraName: cam.name,
        points: msg.points,
        color: msg.color,
        ...still,
      });
    },
    strokeFrame(client, msg, seat) {
      const waiting = unframed.get(seat.id) ?? [];
      const at = waiting.indexOf(msg.stroke);
      if (at < 0)
        return refuse(client, "strokeFrame", "No stroke on your live picture is waiting for its frame by that id.");
      waiting.splice(at, 1);
      room.record("video.strokeFrame", seat, {
        stroke: msg.stroke,
        camera: seat.id,
        cameraName: seat.name,
        jpeg: msg.jpeg,
        width: msg.width,
        height: msg.height,
      });
    },
  };

  return {
    events,
    forgetSeat(id: string): void {
      stills.delete(id);
      unframed.delete(id);
      for (const k of [...last.keys()]) if (k.endsWith(`:${id}`)) last.delete(k);
    },
  };
}
