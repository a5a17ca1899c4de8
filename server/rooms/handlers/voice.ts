/** The room's voice call: WebRTC signalling relayed seat to seat, and each seat's call state (in call, muted, speaking). */
import { sendTo } from "../send.ts";
import type { EventHandlers } from "./handlerTable.ts";
import type { RoomScope } from "./RoomScope.ts";

export function voiceHandlers(room: RoomScope) {
  /** Seat id -> the connection whose microphone is the seat's voice (it can lag the driver during a handoff). */
  const voiceDevice = new Map<string, string>();

  const events: Pick<EventHandlers, "signal" | "voice"> = {
    signal(client, msg, seat) {
      const driver = room.seats.driverOf(msg.to);
      const target = driver === undefined ? undefined : room.connection(driver);
      if (!target || msg.to === seat.id) {
        sendTo(client, "error", { code: "unknown-seat", message: "That participant is not in the room (any more)." });
        return;
      }
      // `from` is stamped here: a client cannot speak for another seat.
      sendTo(target, "signal", { from: seat.id, kind: msg.kind, data: msg.data });
    },
    voice(client, msg, seat) {
      if (seat.inCall !== msg.inCall) room.record(msg.inCall ? "voice.join" : "voice.leave", seat, {});
      // A device joining the call for this seat (first time, or the seat's new device after a handoff).
      if (msg.inCall && (!seat.inCall || voiceDevice.get(seat.id) !== client.sessionId)) {
        seat.voiceEpoch = ((seat.voiceEpoch ?? 0) + 1) >>> 0;
        voiceDevice.set(seat.id, client.sessionId);
      }
      seat.inCall = msg.inCall;
      // The camera travels in the call: out of the call, no camera.
      if (!msg.inCall) seat.camera = "";
      seat.muted = msg.muted;
      seat.speaking = msg.inCall && !msg.muted && msg.speaking;
    },
  };

  return { events, requests: {}, forgetSeat: (id: string) => voiceDevice.delete(id) };
}
