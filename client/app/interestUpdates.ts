/**
 * Interest management from the page's side: full-rate values for the areas around the viewer (their gaze on
 * the ground, the orbit target, or the headset's gaze), the area of whoever they follow, and the selected
 * assets (client/session/Interest.ts). 4 Hz is plenty: hysteresis adds an area 8 m before you reach it.
 */
import { Quaternion, Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { PlantModel } from "../../shared/plant.ts";
import type { PlantScene } from "../scene/PlantScene.ts";
import { areaAt, areaBoxes, type GroundPoint } from "../session/Interest.ts";
import { gazePoints, InterestSender } from "../session/InterestSender.ts";
import type { PlantSession } from "../session/PlantSession.ts";
import type { XrController } from "../xr/index.ts";
import type { FollowPerson } from "./FollowPerson.ts";
import type { RoomView } from "./RoomView.ts";
import type { Selection } from "./Selection.ts";

const TICK_MS = 250;

export function startInterestUpdates(
  model: PlantModel,
  scene: PlantScene,
  session: PlantSession,
  xr: XrController,
  selection: Selection,
  follow: FollowPerson,
  roomView: RoomView,
): InterestSender {
  const boxes = areaBoxes(
    model.areas,
    scene.twinList.map((t) => ({
      area: model.twins[t.index]?.area ?? "",
      x: t.center.x,
      z: t.center.z,
      radius: t.radius,
    })),
  );
  const interest = new InterestSender(boxes, (m) => session.send("interest", m), 0);
  const gazeFwd = new Vector3();
  const headQ = new Quaternion();
  const viewpoints = (): GroundPoint[] => {
    const xp = xr.poses();
    if (xp) {
      const [x, y, z, qx, qy, qz, qw] = xp.head;
      headQ.set(qx, qy, qz, qw);
      new Vector3(0, 0, -1).rotateByQuaternionToRef(headQ, gazeFwd);
      return gazePoints({ x, y, z }, gazeFwd);
    }
    const cam = scene.scene.activeCamera;
    if (!cam) return [];
    const pts = gazePoints(cam.globalPosition, cam.getForwardRay(1).direction);
    if (cam === scene.orbit) pts.push({ x: scene.orbit.target.x, z: scene.orbit.target.z });
    return pts;
  };
  const tick = () => {
    if (!session.seatId || session.moved) return;
    const forced = new Set<string>();
    const twins: string[] = selection.current ? [selection.current] : [];
    const followed = follow.following ? roomView.room?.seats.get(follow.following) : undefined;
    if (followed) {
      const a = areaAt(boxes, { x: followed.head.x, z: followed.head.z });
      if (a) forced.add(a);
      if (followed.selection) twins.push(followed.selection);
    }
    interest.tick(performance.now(), viewpoints(), forced, twins);
  };
  setInterval(tick, TICK_MS);
  return interest;
}
