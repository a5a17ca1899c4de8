/**
 * Tells the room which areas (and which few assets) this client wants full-rate values for, a few times a
 * second and only when that changes. The decision is the pure logic in Interest.ts; this class keeps the
 * hysteresis state and the last message, and re-sends after a (re)join or a handoff, when the server's copy
 * may be gone or belong to another device.
 */
import { MAX_INTEREST_AREAS, MAX_INTEREST_TWINS, type InterestMessage } from "../../shared/protocol.ts";
import { nextAreas, sameInterest, type AreaBox, type GroundPoint } from "./Interest.ts";

export interface Vec3Like {
  x: number;
  y: number;
  z: number;
}

/** How far ahead a gaze counts when it does not meet the ground (looking level or up). */
const GAZE_AHEAD_M = 15;
/** The farthest ground point a gaze counts (a glance at the horizon is not "looking at" that area). */
const GAZE_MAX_M = 40;

/** Where a viewer is and looks: their position on the ground and where their gaze meets it (bounded). */
export function gazePoints(eye: Vec3Like, forward: Vec3Like): GroundPoint[] {
  const pts: GroundPoint[] = [{ x: eye.x, z: eye.z }];
  const len = Math.hypot(forward.x, forward.y, forward.z) || 1;
  const fx = forward.x / len;
  const fy = forward.y / len;
  const fz = forward.z / len;
  let t = fy < -1e-3 ? eye.y / -fy : GAZE_AHEAD_M;
  t = Math.min(Math.max(t, 0), GAZE_MAX_M);
  pts.push({ x: eye.x + fx * t, z: eye.z + fz * t });
  return pts;
}

export class InterestSender {
  private areas = new Set<string>();
  private last: { areas: string[]; twins: string[] } | null = null;
  private lastTick = -Infinity;
  sent = 0;

  constructor(
    private readonly boxes: readonly AreaBox[],
    private readonly send: (m: InterestMessage) => void,
    private readonly periodMs = 250,
  ) {}

  /** The areas this client currently watches. */
  get current(): ReadonlySet<string> {
    return this.areas;
  }

  /** The server may not hold our interest (new connection, handoff): send it again on the next tick. */
  reset(): void {
    this.last = null;
    this.lastTick = -Infinity;
  }

  tick(now: number, viewpoints: readonly GroundPoint[], forcedAreas: ReadonlySet<string>, twins: readonly string[]) {
    if (now - this.lastTick < this.periodMs || this.boxes.length === 0) return;
    this.lastTick = now;
    this.areas = nextAreas(this.boxes, viewpoints, forcedAreas, this.areas);
    const msg = {
      areas: [...this.areas].slice(0, MAX_INTEREST_AREAS),
      twins: [...new Set(twins)].slice(0, MAX_INTEREST_TWINS),
    };
    if (this.last && sameInterest(this.last, msg)) return;
    this.last = msg;
    this.sent++;
    this.send(msg);
  }
}
