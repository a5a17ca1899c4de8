/**
 * Which areas of the plant this client wants full-rate values for (interest management), from where the
 * viewer is and what they look at. Pure: plain numbers in the plant frame's ground plane (x, z), no Babylon.
 *
 * Seamless switching comes from hysteresis: an area joins when a viewpoint comes within `enterM` of it
 * (before you arrive, so its values are already there) and leaves only beyond `leaveM` (so walking along a
 * boundary does not make values blink in and out).
 */

/** An area's footprint on the ground, plant frame metres. */
export interface AreaBox {
  id: string;
  x0: number;
  z0: number;
  x1: number;
  z1: number;
}

export interface GroundPoint {
  x: number;
  z: number;
}

export interface InterestTuning {
  /** An area joins when a viewpoint is this close (metres; 0 = inside). */
  enterM: number;
  /** ... and leaves only when every viewpoint is farther than this. */
  leaveM: number;
}

export const DEFAULT_TUNING: InterestTuning = { enterM: 8, leaveM: 20 };

/** Distance on the ground from a point to a box; 0 inside it. */
export function distanceToBox(p: GroundPoint, b: AreaBox): number {
  const dx = Math.max(b.x0 - p.x, 0, p.x - b.x1);
  const dz = Math.max(b.z0 - p.z, 0, p.z - b.z1);
  return Math.hypot(dx, dz);
}

/**
 * The next set of areas of interest.
 * @param viewpoints where the viewer is and what they look at (camera position, orbit target, gaze point on the ground)
 * @param forced areas that must be in whatever the camera does (e.g. the followed presenter's area)
 * @param previous the current set (hysteresis)
 */
export function nextAreas(
  boxes: readonly AreaBox[],
  viewpoints: readonly GroundPoint[],
  forced: ReadonlySet<string>,
  previous: ReadonlySet<string>,
  tuning: InterestTuning = DEFAULT_TUNING,
): Set<string> {
  const out = new Set<string>();
  let nearest: AreaBox | null = null;
  let nearestD = Infinity;
  for (const b of boxes) {
    let d = Infinity;
    for (const p of viewpoints) d = Math.min(d, distanceToBox(p, b));
    if (d < nearestD) {
      nearestD = d;
      nearest = b;
    }
    if (forced.has(b.id) || d <= tuning.enterM || (previous.has(b.id) && d <= tuning.leaveM)) out.add(b.id);
  }
  // Far from everything (an overview from outside the site): the nearest area still shows values.
  if (out.size === 0 && nearest) out.add(nearest.id);
  return out;
}

/**
 * Area footprints: the plant's authored bounds where it has them, otherwise the box around the area's assets
 * (centre ± radius of each), so a plant without bounds still gets sensible areas.
 */
export function areaBoxes(
  areas: readonly { id: string; bounds?: readonly [number, number, number, number] | undefined }[],
  assets: readonly { area: string; x: number; z: number; radius: number }[],
): AreaBox[] {
  const out: AreaBox[] = [];
  for (const a of areas) {
    if (a.bounds) {
      const [x0, z0, x1, z1] = a.bounds;
      out.push({ id: a.id, x0: Math.min(x0, x1), z0: Math.min(z0, z1), x1: Math.max(x0, x1), z1: Math.max(z0, z1) });
      continue;
    }
    const mine = assets.filter((t) => t.area === a.id);
    if (mine.length === 0) continue;
    out.push({
      id: a.id,
      x0: Math.min(...mine.map((t) => t.x - t.radius)),
      z0: Math.min(...mine.map((t) => t.z - t.radius)),
      x1: Math.max(...mine.map((t) => t.x + t.radius)),
      z1: Math.max(...mine.map((t) => t.z + t.radius)),
    });
  }
  return out;
}

/** The area whose box contains (or is nearest to) a point: e.g. where a followed presenter stands. */
export function areaAt(boxes: readonly AreaBox[], p: GroundPoint): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const b of boxes) {
    const d = distanceToBox(p, b);
    if (d < bestD) {
      bestD = d;
      best = b.id;
    }
  }
  return best;
}

/** Order-insensitive equality of an interest, so the client sends only real changes. */
export function sameInterest(
  a: { areas: string[]; twins: string[] },
  b: { areas: string[]; twins: string[] },
): boolean {
  const key = (x: { areas: string[]; twins: string[] }) =>
    `${[...x.areas].sort().join(",")}|${[...x.twins].sort().join(",")}`;
  return key(a) === key(b);
}
