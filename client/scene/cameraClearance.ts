/**
 * Keeping a camera out of the plant's geometry: a camera inside a vessel or behind a pillar shows a wall, not
 * the plant. Both checks cast a ray through the pickable plant meshes (avatars, pins and discs are not
 * pickable, so a leader's own body never pushes the camera away).
 */
import { Ray } from "@babylonjs/core/Culling/ray.js";
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh.js";
import type { Scene } from "@babylonjs/core/scene.js";

/** How far in front of a surface the camera stops (metres): the near plane must not cut into it. */
export const SURFACE_MARGIN = 0.35;

const ray = new Ray(Vector3.Zero(), new Vector3(0, 0, 1), 1);
const toCentre = new Vector3();

/**
 * Plant geometry that can block `r`. Babylon moves the ray into every candidate mesh's own space before it tests
 * the mesh's bounds, which on the 100x plant (42,587 meshes) made each line check tens of milliseconds and the home
 * view's search minutes; the world bounding sphere rules out almost every mesh for a few multiplications first.
 */
function solidNear(r: Ray): (m: AbstractMesh) => boolean {
  return (m) => {
    if (!m.isPickable || !m.isVisible || !m.isEnabled()) return false;
    const sphere = m.getBoundingInfo().boundingSphere;
    sphere.centerWorld.subtractToRef(r.origin, toCentre);
    const along = Math.min(r.length, Math.max(0, Vector3.Dot(toCentre, r.direction)));
    const off = toCentre.lengthSquared() - 2 * along * Vector3.Dot(toCentre, r.direction) + along * along;
    return off <= sphere.radiusWorld * sphere.radiusWorld;
  };
}

/**
 * Where a camera wanting to be at `wanted`, looking at `from`, can be: `wanted` itself when the segment between
 * them is clear, else the point SURFACE_MARGIN in front of the first surface hit (never closer than `minDistance`
 * to `from`). Writes into `out` (no allocation per frame).
 */
export function pullInFront(scene: Scene, from: Vector3, wanted: Vector3, minDistance: number, out: Vector3): Vector3 {
  wanted.subtractToRef(from, ray.direction);
  const length = ray.direction.length();
  if (length < 1e-6) return out.copyFrom(wanted);
  ray.direction.scaleInPlace(1 / length);
  ray.origin.copyFrom(from);
  ray.length = length;
  const hit = scene.pickWithRay(ray, solidNear(ray), true);
  if (!hit?.hit || hit.distance >= length) return out.copyFrom(wanted);
  const d = Math.max(minDistance, hit.distance - SURFACE_MARGIN);
  return out.copyFrom(from).addInPlace(ray.direction.scaleInPlace(d));
}

/** The first plant mesh on the straight line from a to b, or null when the line is clear. */
export function firstHit(scene: Scene, a: Vector3, b: Vector3): AbstractMesh | null {
  const dir = b.subtract(a);
  const length = dir.length();
  if (length < 1e-6) return null;
  const line = new Ray(a.clone(), dir.scaleInPlace(1 / length), length);
  const hit = scene.pickWithRay(line, solidNear(line), false);
  return hit?.hit ? hit.pickedMesh : null;
}

/** Whether the straight line between two points passes through no plant geometry. */
export function clearLine(scene: Scene, a: Vector3, b: Vector3): boolean {
  return firstHit(scene, a, b) === null;
}

/** Whether a point has no geometry within `radius` metres along the six axes (standing inside a mesh hits it). */
export function roomAround(scene: Scene, p: Vector3, radius: number): boolean {
  const dirs = [
    [1, 0, 0],
    [-1, 0, 0],
    [0, 0, 1],
    [0, 0, -1],
    [0, 1, 0],
  ] as const;
  return dirs.every(([x, y, z]) => clearLine(scene, p, p.add(new Vector3(x * radius, y * radius, z * radius))));
}
