/**
 * Moving a seat between devices (handoff): "Move to another device" makes a ticket; a device that takes the
 * seat over starts where the other one was (head pose, selection, an unfinished note) and takes the call
 * along; the device that gave it away stops sending and offers "Take it back"; a second device of the same
 * person is offered to pull the seat or sit separately. The debug hook records when each takeover was
 * accepted and when this page was live.
 */
import { Quaternion, Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { PlantScene, SavedView } from "../scene/PlantScene.ts";
import type { PlantSession, SessionEvents } from "../session/PlantSession.ts";
import type { PresenceSender } from "../session/PresenceSender.ts";
import type { InterestSender } from "../session/InterestSender.ts";
import { byId, toast } from "../ui/dom.ts";
import { closeMoveDialog, offerPull, showMoved, showMoveDialog } from "../ui/Handoff.ts";
import { showRemoved } from "../ui/Participants.ts";
import type { VoiceController } from "../voice/voiceContract.ts";
import type { XrController } from "../xr/index.ts";
import type { GembaDebugHook } from "./debugHook.ts";
import type { RoomView } from "./RoomView.ts";
import type { Selection } from "./Selection.ts";

type Arg<K extends keyof SessionEvents> = Parameters<NonNullable<SessionEvents[K]>>[0];

/** Wall time comparable across pages of one browser (the handoff bench lines up two pages with it). */
const wallNow = () => performance.timeOrigin + performance.now();

export class HandoffFlow {
  private acceptedAt = 0;
  /** The camera when this page gave its seat away: taking it back returns there. */
  private viewWhenMoved: SavedView | null = null;

  constructor(
    private readonly session: PlantSession,
    private readonly hook: GembaDebugHook,
    private readonly scene: PlantScene,
    private readonly roomView: RoomView,
    private readonly selection: Selection,
    private readonly sender: PresenceSender,
    private readonly interest: InterestSender,
    private readonly voice: VoiceController,
    private readonly xr: XrController,
  ) {
    byId("btn-move").addEventListener("click", () => {
      const draftBox = byId<HTMLTextAreaElement>("note-text");
      const draft = byId<HTMLDialogElement>("note-dialog").open ? draftBox.value.trim().slice(0, 1000) : "";
      void showMoveDialog(() => session.ask("handoffCreate", draft ? { draft } : {}));
    });
  }

  /** The person said yes to taking a seat over (the clock for the handoff bench starts here). */
  accepting(): void {
    this.acceptedAt = wallNow();
  }

  /** Another device holds this person's seat: pull it here, or sit separately. */
  pending(m: Arg<"onPending">): void {
    const { session } = this;
    if (m.reason === "ticket") {
      // The user already said "Continue" before joining: take the seat over now.
      this.accepting();
      session.ask("handoffAccept", {}).catch((e: Error) => toast(e.message));
      return;
    }
    void offerPull(m.fromDevice).then((choice) => {
      if (choice === "pull") this.accepting();
      return session
        .ask(choice === "pull" ? "handoffPull" : "handoffSeparate", {})
        .catch((e: Error) => toast(e.message));
    });
  }

  /** This device drives the seat now. */
  driving(m: Arg<"onDriving">): void {
    const { hook } = this;
    if (this.acceptedAt > 0) hook.handoffs.push({ accept: this.acceptedAt, live: wallNow() });
    if (hook.handoffs.length > 1000) hook.handoffs.shift();
    this.acceptedAt = 0;
    closeMoveDialog();
    this.sender.start();
    this.interest.reset();
    // The call moves with the seat: join it here if the seat is in it (the other device hangs up once we are in).
    this.voice.continueCall();
    this.startWhereTheOtherWas(m.fromDevice, m.draft);
  }

  removed(message: string): void {
    this.sender.stop();
    if (this.voice.inCall) this.voice.leave();
    showRemoved(message);
  }

  /** The seat went to another device. */
  moved(m: Arg<"onMoved">): void {
    this.viewWhenMoved = this.scene.saveView();
    closeMoveDialog();
    this.sender.stop();
    // A headset handing its seat away leaves the immersive view, so the page's "Moved" dialog (and Take it back) shows.
    void this.leaveXr();
    showMoved(m.toDevice, async () => {
      this.accepting();
      await this.session.ask("handoffTakeBack", {});
    });
  }

  private async leaveXr(): Promise<void> {
    if (this.xr.mode) await this.xr.exitAsync?.().catch(() => undefined);
  }

  /**
   * Start where the other device was: its last head pose becomes this camera's viewpoint, in the mode this page
   * is in (a laptop in orbit stays in orbit, looking from there). A page taking its own seat back returns to the
   * mode and place it had when it gave the seat away.
   */
  private startWhereTheOtherWas(fromDevice: string, draft: string): void {
    const { session, scene } = this;
    const seat = session.seatId ? this.roomView.room?.seats.get(session.seatId) : undefined;
    const mine = this.viewWhenMoved;
    this.viewWhenMoved = null;
    if (mine) {
      scene.restoreView(mine);
      byId("btn-walk").setAttribute("aria-pressed", String(mine.walking));
    } else if (seat) {
      const h = seat.head;
      const eye = new Vector3(h.x, h.y, h.z);
      const ahead = new Vector3(0, 0, -1).rotateByQuaternionToRef(
        new Quaternion(h.qx, h.qy, h.qz, h.qw),
        new Vector3(),
      );
      if (scene.scene.activeCamera === scene.walk) {
        scene.walk.position.copyFrom(eye);
        scene.walk.setTarget(eye.add(ahead));
      } else {
        // Orbit cannot look level or up (its beta limit): aim a little below eye height, the camera stays at the eye.
        const target = eye.add(ahead.scale(10));
        target.y = Math.min(target.y, eye.y - 0.6);
        scene.orbit.setTarget(target);
        scene.orbit.setPosition(eye);
      }
    }
    if (seat?.selection) this.selection.select(seat.selection, false);
    if (draft) byId<HTMLTextAreaElement>("note-text").dataset["draft"] = draft;
    toast(`Continuing here from ${fromDevice}.${draft ? " Your unfinished note is waiting in “Pin note”." : ""}`, 5000);
  }
}
