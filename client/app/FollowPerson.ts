/**
 * Following someone on the desktop: the walk camera rides a little behind and beside their head (riding on the
 * head itself put their avatar across the whole view), eased so their head bob does not shake the view, and
 * pulled in front of any wall or vessel between them and the camera. The room is told (so they see who
 * follows), and the "following" bar offers to stop, which puts the camera back in the mode and place it had.
 */
import { Vector3, type Quaternion } from "@babylonjs/core/Maths/math.vector.js";
import type { Avatars } from "../scene/Avatars.ts";
import { pullInFront } from "../scene/cameraClearance.ts";
import type { PlantScene, SavedView } from "../scene/PlantScene.ts";
import type { PlantSession } from "../session/PlantSession.ts";
import { byId } from "../ui/dom.ts";
import type { RoomView } from "./RoomView.ts";

/** Where the camera rides relative to the leader's head (metres): behind, to the right, above. */
export const FOLLOW_OFFSET = { back: 2.4, right: 0.7, up: 0.45 } as const;
/** The camera never comes closer to the leader's head than this, even against a wall. */
const FOLLOW_MIN_DISTANCE = 0.6;
/** Easing rate (1/s): the camera closes ~95 % of the gap in half a second. */
const EASE_PER_SECOND = 6;
/** The scene is right-handed: a camera looks down -z. */
const LOOK_AXIS = new Vector3(0, 0, -1);

export class FollowPerson {
  /** The seat followed, or null. */
  following: string | null = null;
  private before: SavedView | null = null;
  private fresh = false;
  // Per-frame scratch (nothing allocated in the render loop).
  private readonly forward = new Vector3();
  private readonly right = new Vector3();
  private readonly wanted = new Vector3();
  private readonly clear = new Vector3();
  private readonly look = new Vector3();

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
      if (h) this.ride(h.pos, h.rot, scene.engine.getDeltaTime() / 1000);
    });
  }

  /** Move the walk camera one frame toward its spot behind the leader, looking where they look. */
  private ride(head: Vector3, rot: Quaternion, dt: number): void {
    const { forward, right, wanted, clear, look } = this;
    // Only the heading matters for the offset: a leader looking at the floor must not swing the camera overhead.
    LOOK_AXIS.rotateByQuaternionToRef(rot, forward);
    forward.y = 0;
    if (forward.lengthSquared() < 1e-6) forward.set(0, 0, -1);
    forward.normalize();
    right.set(-forward.z, 0, forward.x);
    wanted
      .copyFrom(head)
      .addInPlaceFromFloats(
        -forward.x * FOLLOW_OFFSET.back + right.x * FOLLOW_OFFSET.right,
        FOLLOW_OFFSET.up,
        -forward.z * FOLLOW_OFFSET.back + right.z * FOLLOW_OFFSET.right,
      );
    pullInFront(this.scene.scene, head, wanted, FOLLOW_MIN_DISTANCE, clear);
    const cam = this.scene.walk;
    // The first frame jumps (easing from across the plant would fly through it); later frames ease.
    const k = this.fresh ? 1 : 1 - Math.exp(-EASE_PER_SECOND * Math.min(0.25, Math.max(0, dt)));
    this.fresh = false;
    cam.position.addInPlace(clear.subtractInPlace(cam.position).scaleInPlace(k));
    look.copyFrom(head).addInPlaceFromFloats(forward.x * 4, -0.3, forward.z * 4);
    cam.setTarget(look);
  }

  follow(seat: string): void {
    const { scene } = this;
    // Following someone else after someone: come back to where you were before the first.
    if (!this.following) this.before = scene.saveView();
    this.following = seat;
    this.fresh = true;
    this.session.send("follow", { seat });
    const s = this.roomView.room?.seats.get(seat);
    byId("following-name").textContent = s?.name ?? "";
    byId("following").hidden = false;
    scene.setWalkMode(true);
    scene.walk.detachControl();
  }

  stop(): void {
    if (!this.following) return;
    this.following = null;
    this.session.send("follow", { seat: null });
    byId("following").hidden = true;
    const before = this.before;
    this.before = null;
    if (before) {
      this.scene.restoreView(before);
      byId("btn-walk").setAttribute("aria-pressed", String(before.walking));
    }
    if (this.scene.scene.activeCamera === this.scene.walk) this.scene.walk.attachControl(true);
  }
}
