/**
 * Pipe runs drawn along a polyline: one scaled segment per leg, elbows at bends, flanges at the ends, stands
 * below horizontal legs, where a stand would not land on equipment or on another pipe's path.
 */
import type { SceneMeshes } from "./SceneMeshes.ts";
import { PIPE_RADIUS } from "./parts/pipe.ts";
import { segmentDistance } from "./pipeRouting.ts";
import type { PlacedTwin } from "./placement.ts";
import { type PlantInstanceJson, resolveLayout, type Vec3 } from "./plantJson.ts";
import { quatFromY } from "./primitives.ts";

/** Child nodes drawing a pipe polyline (absolute points) relative to `origin`. */
export type PipeRunNodes = (
  prefix: string,
  points: Vec3[],
  origin: Vec3,
  family: "Pipe" | "Utility",
  flanges: boolean,
) => number[];

export function pipeRunDrawer(
  scene: SceneMeshes,
  plant: PlantInstanceJson,
  placed: Map<string, PlacedTwin>,
): PipeRunNodes {
  const { w, mesh } = scene;
  // Pipe stands must not land on equipment or on another pipe's path.
  const pipePaths: Vec3[][] = [];
  for (const t of plant.twins) {
    const l = resolveLayout(t);
    if (l.kind === "path") pipePaths.push(l.path);
  }
  function standIsClear(s: Vec3): boolean {
    for (const p of placed.values()) {
      if (Math.hypot(s[0] - p.position[0], s[2] - p.position[2]) < p.radius + 0.2) return false;
    }
    for (const path of pipePaths) {
      for (let i = 0; i + 1 < path.length; i++) {
        const a = path[i]!;
        const b = path[i + 1]!;
        if (Math.abs(a[1] - s[1]) < 1e-6) continue; // the pipe's own level: stands along it are fine
        if (segmentDistance([a[0], a[2]], [b[0], b[2]], [s[0], s[2]]) < 0.3) return false;
      }
    }
    return true;
  }

  /**
   * Child nodes drawing a pipe polyline (absolute points) relative to `origin`:
   * one scaled segment per leg, elbows at bends, flanges at the ends, stands below.
   */
  const pipeRunNodes: PipeRunNodes = (prefix, points, origin, family, flanges) => {
    const nodes: number[] = [];
    const pts = points.filter((p, i) => i === 0 || dist(p, points[i - 1]!) > 1e-6);
    const rel = (p: Vec3): Vec3 => [p[0] - origin[0], p[1] - origin[1], p[2] - origin[2]];
    const supports: Vec3[] = [];
    for (let i = 0; i + 1 < pts.length; i++) {
      const a = pts[i]!;
      const b = pts[i + 1]!;
      const len = dist(a, b);
      const dir: Vec3 = [(b[0] - a[0]) / len, (b[1] - a[1]) / len, (b[2] - a[2]) / len];
      nodes.push(
        w.addNode({
          name: `${prefix}.seg${i}`,
          mesh: mesh(`${family}.segment`),
          translation: rel(a),
          rotation: quatFromY(dir),
          scale: [1, len, 1],
        }),
      );
      if (i > 0)
        nodes.push(w.addNode({ name: `${prefix}.bend${i}`, mesh: mesh(`${family}.elbow`), translation: rel(a) }));
      if (flanges && i === 0)
        nodes.push(
          w.addNode({
            name: `${prefix}.flange0`,
            mesh: mesh("Pipe.flange"),
            translation: rel(a),
            rotation: quatFromY(dir),
          }),
        );
      if (flanges && i + 2 === pts.length)
        nodes.push(
          w.addNode({
            name: `${prefix}.flange1`,
            mesh: mesh("Pipe.flange"),
            translation: rel(b),
            rotation: quatFromY(dir),
          }),
        );
      // Stands along horizontal legs, ~every 3 m (6 m on the overhead rack).
      if (Math.abs(dir[1]) < 1e-6 && a[1] > 0.3) {
        const spacing = a[1] > 2 ? 6 : 3;
        const n = Math.max(1, Math.round(len / spacing));
        for (let k = 0; k < n; k++) {
          const t = (k + 0.5) / n;
          supports.push([a[0] + (b[0] - a[0]) * t, a[1], a[2] + (b[2] - a[2]) * t]);
        }
      }
    }
    supports.filter(standIsClear).forEach((s, k) => {
      const h = s[1] - PIPE_RADIUS;
      nodes.push(
        w.addNode({
          name: `${prefix}.stand${k}`,
          mesh: mesh("Pipe.support"),
          translation: rel([s[0], 0, s[2]]),
          scale: [1, h, 1],
        }),
      );
    });
    return nodes;
  };
  return pipeRunNodes;
}

function dist(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}
