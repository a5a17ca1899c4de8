/**
 * Leaving the plant on purpose. The Leave button hangs up the call, leaves an immersive session, and leaves the
 * room with consent, so the server frees the seat at once (no reconnection hold) and the others see the person go.
 * Closing or navigating away from the page does the same: without it the server takes a closed tab for a dropped
 * connection and keeps the seat, "reconnecting" and still "in call", for RECONNECT_SECONDS.
 */
import type { PlantSession } from "../session/PlantSession.ts";
import type { PresenceSender } from "../session/PresenceSender.ts";
import { byId } from "../ui/dom.ts";
import { showLeft } from "../ui/LeftRoom.ts";
import type { VoiceController } from "../voice/voiceContract.ts";
import type { XrController } from "../xr/index.ts";
import { rememberName } from "./joinDialog.ts";
import { setConnection } from "./pageChrome.ts";

/** `name`: who this page is in the room (a session continued here from another device joined without typing it). */
export function installLeave(
  name: string,
  session: PlantSession,
  sender: PresenceSender,
  voice: VoiceController,
  xr: XrController,
): void {
  const button = byId<HTMLButtonElement>("btn-leave");
  button.addEventListener("click", () => {
    button.disabled = true;
    sender.stop();
    if (voice.inCall) voice.leave();
    if (xr.mode) void xr.exitAsync?.().catch(() => undefined);
    void session.leave().finally(() => {
      setConnection("left");
      showLeft(() => {
        rememberName(name);
        location.reload();
      });
    });
  });
  // The page is going away (tab closed, reload, another address): tell the room now, while the socket is open.
  window.addEventListener("pagehide", () => void session.leave());
  // Brought back from the back-forward cache after that: the room is gone, so start again with the join dialog.
  window.addEventListener("pageshow", (e) => {
    if (e.persisted) location.reload();
  });
}
