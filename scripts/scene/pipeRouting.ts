/** Routing of decorative pipes: L-shaped product lines that avoid equipment footprints, utility lines over the rack. */
import { PIPE_RADIUS } from "./parts/pipe.ts";
import { TANK } from "./parts/tank.ts";
import { PIPE_Y, RACK_Y, type PlacedTwin, toWorld, UTILITY_PORT } from "./placement.ts";
import type { Vec3 } from "./plantJson.ts";

/** Distance in the xz plane from point p to segment ab. */
export function segmentDistance(a: [number, number], b: [number, number], p: [number, number]): number {
  const dx = b[0] - a[0];
  const dz = b[1] - a[1];
  const l2 = dx * dx + dz * dz;
  const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dz) / l2));
  return Math.hypot(a[0] + dx * t - p[0], a[1] + dz * t - p[1]);
}

/** Number of footprints (other than the end points') that a horizontal segment crosses. */
function hits(a: [number, number], b: [number, number], obstacles: PlacedTwin[], skip: PlacedTwin[]): number {
  let n = 0;
  for (const o of obstacles) {
    if (skip.includes(o)) continue;
    if (segmentDistance(a, b, [o.position[0], o.position[2]]) < o.radius + PIPE_RADIUS) n++;
  }
  return n;
}

/** Chooses between the two L-shaped routes a → b (x first or z first), fewest crossings wins. */
function lRoute(
  a: [number, number],
  b: [number, number],
  obstacles: PlacedTwin[],
  skip: PlacedTwin[],
): Array<[number, number]> {
  if (Math.abs(a[0] - b[0]) < 1e-6 || Math.abs(a[1] - b[1]) < 1e-6) return [a, b];
  const viaX: [number, number] = [b[0], a[1]];
  const viaZ: [number, number] = [a[0], b[1]];
  const hx = hits(a, viaX, obstacles, skip) + hits(viaX, b, obstacles, skip);
  const hz = hits(a, viaZ, obstacles, skip) + hits(viaZ, b, obstacles, skip);
  return hz < hx ? [a, viaZ, b] : [a, viaX, b];
}

/** Product line from a's outlet to b's inlet at pipe height; tanks drain from the cone and fill from the top. */
export function routeFeed(a: PlacedTwin, b: PlacedTwin, all: PlacedTwin[]): Vec3[] | undefined {
  const skip = [a, b];
  const out: Vec3[] = [];
  const ax = a.position[0];
  const az = a.position[2];
  if (a.kind === "Tank") {
    const tipY = TANK.coneTip * a.tankScale[1];
    out.push([ax, tipY, az]);
    if (Math.abs(tipY - PIPE_Y) > 0.05) out.push([ax, PIPE_Y, az]);
  } else {
    out.push([ax, PIPE_Y, az]);
  }
  const bx = b.position[0];
  const bz = b.position[2];
  if (b.kind === "Tank") {
    // Run to a riser beside the shell, climb over the head and drop into the top.
    const R = TANK.radius * b.tankScale[0] + 0.25;
    const sh = b.tankScale[1];
    const topY = (TANK.shellTop + TANK.domeH) * sh + 0.3;
    const alignedX = Math.abs(az - bz) < 1e-6;
    const alignedZ = Math.abs(ax - bx) < 1e-6;
    const riserX: [number, number] = alignedX ? [bx - Math.sign(bx - ax) * R, bz] : [bx, bz - Math.sign(bz - az) * R];
    const riserZ: [number, number] = alignedZ ? [bx, bz - Math.sign(bz - az) * R] : [bx - Math.sign(bx - ax) * R, bz];
    const routeX = lRoute([ax, az], riserX, all, skip);
    const routeZ = lRoute([ax, az], riserZ, all, skip);
    const cost = (r: Array<[number, number]>): number =>
      r.reduce((n, p, i) => (i === 0 ? 0 : n + hits(r[i - 1]!, p, all, skip)), 0);
    const route = cost(routeZ) < cost(routeX) ? routeZ : routeX;
    for (const p of route.slice(1)) out.push([p[0], PIPE_Y, p[1]]);
    const riser = route[route.length - 1]!;
    out.push([riser[0], topY, riser[1]]);
    const ix = bx + (riser[0] - bx) * 0.3;
    const iz = bz + (riser[1] - bz) * 0.3;
    out.push([ix, topY, iz]);
    out.push([ix, TANK.shellTop * sh + TANK.domeH * sh * 0.8, iz]);
    return out;
  }
  const route = lRoute([ax, az], [bx, bz], all, skip);
  for (const p of route.slice(1)) out.push([p[0], PIPE_Y, p[1]]);
  return out;
}

/** Heating/cooling medium line: up from a's utility port, over (overhead rack if long), down into b's port. */
export function routeUtility(a: PlacedTwin, b: PlacedTwin): Vec3[] | undefined {
  const pa = toWorld(a, UTILITY_PORT[a.kind] ?? [0, 1.2, 0]);
  const pb = toWorld(b, UTILITY_PORT[b.kind] ?? [0, 1.2, 0]);
  const span = Math.abs(pa[0] - pb[0]) + Math.abs(pa[2] - pb[2]);
  const y = span > 6 ? RACK_Y : Math.max(pa[1], pb[1]) + 0.5;
  const out: Vec3[] = [pa, [pa[0], y, pa[2]]];
  // Over the rack: x first, then z (overhead, so equipment is not in the way).
  if (Math.abs(pa[0] - pb[0]) > 1e-6) out.push([pb[0], y, pa[2]]);
  out.push([pb[0], y, pb[2]]);
  out.push(pb);
  return out;
}
