/**
 * A stroke on this device's camera frame, projected onto the asset under it (docs/VIDEO.md). Only meaningful when
 * the device's view is registered to the plant (AR with the plant placed, or co-located): then the camera and the
 * active Babylon camera share a pose, and a ray through a frame point (pinhole model, horizontal field of view of
 * the device camera) hits the asset the person filmed. The asset most of the stroke falls on wins; the points that
 * hit it become an ink annotation in its local frame.
 */
import { Ray } from "@babylonjs/core/Culling/ray.js";
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { PlantScene } from "../scene/PlantScene.ts";

/** A phone's main rear camera and a headset's passthrough camera see about this wide (degrees). */
export const CAMERA_HFOV_DEG = 64;
/** Farthest a stroke is projected (metres): a camera does not film an asset across the site. */
const MAX_RANGE = 200;

export interface ProjectedStroke {
  twin: string;
  /** World points on the asset (Babylon world), in stroke order. */
  world: Vector3[];
}

/** The ray from the active camera through frame point (u, v) (0..1, v down) of a frame `aspect` wide per unit high. */
export function rayThrough(
  scene: PlantScene,
  u: number,
  v: number,
  aspect: number,
  hfovDeg = CAMERA_HFOV_DEG,
): Ray | null {
  const cam = scene.scene.activeCamera;
  if (!cam) return null;
  const rh = scene.scene.useRightHandedSystem;
  const forward = cam.getDirection(Vector3.Forward(rh));
  const up = cam.getDirection(Vector3.Up());
  const right = rh ? Vector3.Cross(forward, up) : Vector3.Cross(up, forward);
  const tx = Math.tan(((hfovDeg / 2) * Math.PI) / 180);
  const ty = tx / aspect;
  const dir = forward
    .add(right.scale((2 * u - 1) * tx))
    .add(up.scale((1 - 2 * v) * ty))
    .normalize();
  return new Ray(cam.globalPosition.clone(), dir, MAX_RANGE);
}

export function projectStroke(
  scene: PlantScene,
  points: number[],
  aspect: number,
  hfovDeg = CAMERA_HFOV_DEG,
): ProjectedStroke | null {
  const hits: { twin: string; point: Vector3 }[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const ray = rayThrough(scene, points[i]!, points[i + 1]!, aspect, hfovDeg);
    if (!ray) return null;
    const r = scene.scene.pickWithRay(ray, (m) => m.isPickable && m.isEnabled() && !m.name.startsWith("_xr"));
    const twin = r?.hit && r.pickedMesh ? scene.twinOf(r.pickedMesh) : null;
    if (twin && r?.pickedPoint) hits.push({ twin, point: r.pickedPoint.clone() });
  }
  const count = new Map<string, number>();
  for (const h of hits) count.set(h.twin, (count.get(h.twin) ?? 0) + 1);
  const best = [...count].sort((a, b) => b[1] - a[1])[0];
  if (!best) return null;
  return { twin: best[0], world: hits.filter((h) => h.twin === best[0]).map((h) => h.point) };
}
