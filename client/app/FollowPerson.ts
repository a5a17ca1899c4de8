/**
 * Following someone on the desktop: the walk camera rides on their head, the room is told (so they see who
 * follows), and the "following" bar offers to stop. Picked from the participants list.
 */
import { Quaternion } from "@babylonjs/core/Maths/math.vector.js";
import type { Avatars } from "../scene/Avatars.ts";
import type { PlantScene } from "../scene/PlantScene.ts";
import type { PlantSession } from "../session/PlantSession.ts";
import { byId } from "../ui/dom.ts";
import type { RoomView } from "./RoomView.ts";

export class FollowPerson {
  /** The seat followed, or null. */
  following: string | null = null;

  constructor(
    private readonly scene: PlantScene,
    private readonly session: PlantSession,
    private readonly roomView: RoomView,
    avatars: Avatars,
  ) {
    byId("btn-unfollow").addEventListener("click", () => this.stop());
    byId("participant-list").addEventListener("click", (e) => {
      const b = (e.target as HTMLElement).closest("button[data-follow]");
      const seat = b?.getAttribute("data-follow");
      if (seat) this.follow(seat);
    });
    scene.scene.onBeforeRenderObservable.add(() => {
      if (!this.following) return;
      const h = avatars.headOf(this.following);
      if (!h) return;
      scene.walk.position.copyFrom(h.pos);
      scene.walk.rotationQuaternion ??= new Quaternion();
      scene.walk.rotationQuaternion.copyFrom(h.rot);
    });
  }

  follow(seat: string): void {
    const { scene } = this;
    this.following = seat;
    this.session.send("follow", { seat });
    const s = this.roomView.room?.seats.get(seat);
    byId("following-name").textContent = s?.name ?? "";
    byId("following").hidden = false;
    byId("btn-walk").setAttribute("aria-pressed", "true");
    scene.setWalkMode(true);
    scene.walk.detachControl();
  }

  stop(): void {
    if (!this.following) return;
    this.following = null;
    this.session.send("follow", { seat: null });
    byId("following").hidden = true;
    this.scene.walk.attachControl(true);
  }
}
