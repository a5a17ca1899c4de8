/**
 * Pure math of where the plant sits in a device's local (XR) space: a placement
 * is a gravity-aligned pose (position + yaw) and a uniform scale, applied to the
 * plant frame around the plant's floor centre. Grab (one hand), two-hand
 * scale/turn and two-point co-location all reduce to updates of a placement.
 *
 * Conventions follow Babylon's left-handed scene (+y up): a positive yaw turns
 * +z towards +x, exactly like `TransformNode.rotation.y` / `Matrix.RotationY`.
 * Every function writes into an `out` object so the XR loop allocates nothing.
 */

export interface Placement {
  /** Where the plant's floor centre sits in local space (metres). */
  x: number;
  y: number;
  z: number;
  /** Rotation about +y, radians. */
  yaw: number;
  /** Local metres per plant metre (1 = walk-in, 0.02 = 1:50 tabletop). */
  scale: number;
}

/** A hand (or any tracked point) reduced to position and heading. */
export interface HandPoint {
  x: number;
  y: number;
  z: number;
  yaw: number;
}

export const TABLETOP_SCALE = 1 / 50;
export const MIN_SCALE = 1 / 500;
export const MAX_SCALE = 1;

export function placement(x = 0, y = 0, z = 0, yaw = 0, scale = 1): Placement {
  return { x, y, z, yaw, scale };
}

export function copyPlacement(from: Placement, out: Placement): Placement {
  out.x = from.x;
  out.y = from.y;
  out.z = from.z;
  out.yaw = from.yaw;
  out.scale = from.scale;
  return out;
}

/** Rotate (x, z) by yaw about +y; returns the x and z parts through the two-slot `out`. */
export function rotateY(yaw: number, x: number, z: number, out: [number, number]): [number, number] {
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  out[0] = x * c + z * s;
  out[1] = -x * s + z * c;
  return out;
}

/** Heading of a horizontal direction: the yaw that turns +z onto (dx, dz). */
export function yawOf(dx: number, dz: number): number {
  return Math.atan2(dx, dz);
}

/** Wrap an angle to (-π, π]. */
export function wrapAngle(a: number): number {
  const t = Math.PI * 2;
  let r = a % t;
  if (r <= -Math.PI) r += t;
  else if (r > Math.PI) r -= t;
  return r;
}

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

const tmp2: [number, number] = [0, 0];

/**
 * Map a plant-frame point to local space: local = p + R(yaw)·scale·(plant − centre).
 * `cx, cy, cz` is the plant point that sits at the placement position (its floor centre).
 */
export function plantToLocal(
  pl: Placement,
  cx: number,
  cy: number,
  cz: number,
  px: number,
  py: number,
  pz: number,
  out: [number, number, number],
): [number, number, number] {
  rotateY(pl.yaw, (px - cx) * pl.scale, (pz - cz) * pl.scale, tmp2);
  out[0] = pl.x + tmp2[0];
  out[1] = pl.y + (py - cy) * pl.scale;
  out[2] = pl.z + tmp2[1];
  return out;
}

/**
 * Translation of a node with rotation.y = yaw and uniform scaling = scale that realises the
 * placement (Babylon composes scale, then rotation, then translation): p − R(yaw)·scale·centre.
 */
export function frameTranslation(
  pl: Placement,
  cx: number,
  cy: number,
  cz: number,
  out: [number, number, number],
): [number, number, number] {
  rotateY(pl.yaw, cx * pl.scale, cz * pl.scale, tmp2);
  out[0] = pl.x - tmp2[0];
  out[1] = pl.y - cy * pl.scale;
  out[2] = pl.z - tmp2[1];
  return out;
}

/** Inverse of plantToLocal. */
export function localToPlant(
  pl: Placement,
  cx: number,
  cy: number,
  cz: number,
  lx: number,
  ly: number,
  lz: number,
  out: [number, number, number],
): [number, number, number] {
  rotateY(-pl.yaw, lx - pl.x, lz - pl.z, tmp2);
  out[0] = cx + tmp2[0] / pl.scale;
  out[1] = cy + (ly - pl.y) / pl.scale;
  out[2] = cz + tmp2[1] / pl.scale;
  return out;
}

/**
 * One-hand grab: the plant moves and turns rigidly with the hand, as if held.
 * `start` is the placement when the grab began, `h0` the hand then, `h` the hand now.
 */
export function grabUpdate(start: Placement, h0: HandPoint, h: HandPoint, out: Placement): Placement {
  const dYaw = wrapAngle(h.yaw - h0.yaw);
  rotateY(dYaw, start.x - h0.x, start.z - h0.z, tmp2);
  out.x = h.x + tmp2[0];
  out.y = h.y + (start.y - h0.y);
  out.z = h.z + tmp2[1];
  out.yaw = start.yaw + dYaw;
  out.scale = start.scale;
  return out;
}

/**
 * Two-hand gesture: the distance between the hands scales the plant, the turn of
 * the line between them turns it, and the plant point under the hands' midpoint
 * stays under the midpoint horizontally. Vertically the plant only follows the
 * midpoint's rise or fall: scaling never sinks it into (or lifts it off) its table.
 * Scale is clamped to [minScale, maxScale].
 */
export function twoHandUpdate(
  start: Placement,
  a0: HandPoint,
  b0: HandPoint,
  a: HandPoint,
  b: HandPoint,
  out: Placement,
  minScale = MIN_SCALE,
  maxScale = MAX_SCALE,
): Placement {
  const d0 = Math.hypot(b0.x - a0.x, b0.y - a0.y, b0.z - a0.z);
  const d = Math.hypot(b.x - a.x, b.y - a.y, b.z - a.z);
  const scale = d0 > 1e-4 ? clamp((start.scale * d) / d0, minScale, maxScale) : start.scale;
  const k = scale / start.scale;
  // Heading of the hand-to-hand line; when the hands are above each other it is undefined: keep the yaw.
  const flat0 = Math.hypot(b0.x - a0.x, b0.z - a0.z);
  const flat = Math.hypot(b.x - a.x, b.z - a.z);
  const dYaw =
    flat0 > 0.02 && flat > 0.02 ? wrapAngle(yawOf(b.x - a.x, b.z - a.z) - yawOf(b0.x - a0.x, b0.z - a0.z)) : 0;
  const m0x = (a0.x + b0.x) / 2;
  const m0y = (a0.y + b0.y) / 2;
  const m0z = (a0.z + b0.z) / 2;
  rotateY(dYaw, (start.x - m0x) * k, (start.z - m0z) * k, tmp2);
  out.x = (a.x + b.x) / 2 + tmp2[0];
  out.y = start.y + (a.y + b.y) / 2 - m0y;
  out.z = (a.z + b.z) / 2 + tmp2[1];
  out.yaw = start.yaw + dYaw;
  out.scale = scale;
  return out;
}

export interface Alignment extends Placement {
  /** Mismatch between the two measured distances (local vs plant·scale), metres: a calibration sanity check. */
  error: number;
}

/**
 * Co-location from two points known in both frames (e.g. two marked spots on the
 * real floor the user touched with a controller): the gravity-aligned placement
 * (yaw + translation, scale fixed, 1 for walk-in) that maps plantA→localA and
 * plantB→localB as well as possible. Heights are matched on average.
 * The placement is expressed about plant centre (cx, cy, cz), like the rest of this module.
 */
export function alignFromTwoPoints(
  plantA: readonly [number, number, number],
  plantB: readonly [number, number, number],
  localA: readonly [number, number, number],
  localB: readonly [number, number, number],
  centre: readonly [number, number, number] = [0, 0, 0],
  scale = 1,
): Alignment {
  const pdx = plantB[0] - plantA[0];
  const pdz = plantB[2] - plantA[2];
  const ldx = localB[0] - localA[0];
  const ldz = localB[2] - localA[2];
  const pLen = Math.hypot(pdx, pdz);
  const lLen = Math.hypot(ldx, ldz);
  if (pLen < 1e-6 || lLen < 1e-6) throw new RangeError("The two calibration points must be apart horizontally.");
  const yaw = wrapAngle(yawOf(ldx, ldz) - yawOf(pdx, pdz));
  // Map the plant midpoint onto the local midpoint.
  const pmx = (plantA[0] + plantB[0]) / 2;
  const pmy = (plantA[1] + plantB[1]) / 2;
  const pmz = (plantA[2] + plantB[2]) / 2;
  const lmx = (localA[0] + localB[0]) / 2;
  const lmy = (localA[1] + localB[1]) / 2;
  const lmz = (localA[2] + localB[2]) / 2;
  const r = rotateY(yaw, (pmx - centre[0]) * scale, (pmz - centre[2]) * scale, [0, 0]);
  return {
    x: lmx - r[0],
    y: lmy - (pmy - centre[1]) * scale,
    z: lmz - r[1],
    yaw,
    scale,
    error: Math.abs(lLen - pLen * scale),
  };
}
