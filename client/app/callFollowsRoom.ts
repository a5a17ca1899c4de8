/**
 * The call follows the room state, not the render loop: a hidden tab (a headset taken off, a laptop in the
 * background) renders no frames, yet must still hang up after a handoff and keep its links right. ≤ 10 Hz.
 */
import type { VoiceController } from "../voice/voiceContract.ts";
import type { RoomView } from "./RoomView.ts";

const SEATS_TO_CALL_MS = 100;

/** Call after every patch: the call hears the room's seats at most every 100 ms. */
export function seatsToCall(voice: () => VoiceController, roomView: RoomView): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    timer ??= setTimeout(() => {
      timer = null;
      const state = roomView.room;
      if (state) voice().onSeats(state.seats.values());
    }, SEATS_TO_CALL_MS);
  };
}
