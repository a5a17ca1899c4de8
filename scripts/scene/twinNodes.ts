/**
 * A twin's node: named exactly the twin id, placed at its layout position and rotation, `extras: { twin, type }`,
 * its meshes in child nodes named "<id>.<part>" (a conveyor's bed, legs, ends and drive; a tank's vessel scaled
 * to its capacity; a pipe twin's run along its path).
 */
import type { SceneMeshes } from "./SceneMeshes.ts";
import type { PipeRunNodes } from "./pipeRunNodes.ts";
import { PIPE_Y, type PlacedTwin, type TwinPlacement, yRotation } from "./placement.ts";
import type { TwinJson, Vec3 } from "./plantJson.ts";

export function twinNode(scene: SceneMeshes, pipeRunNodes: PipeRunNodes, t: TwinPlacement): number {
  return "path" in t
    ? pipeTwinNode(scene, pipeRunNodes, t.twin, t.path)
    : placedTwinNode(scene, pipeRunNodes, t.placed, t.length);
}

function twinExtras(twin: TwinJson): Record<string, unknown> {
  return { twin: twin.id, type: twin.type };
}

function placedTwinNode(
  scene: SceneMeshes,
  pipeRunNodes: PipeRunNodes,
  p: PlacedTwin,
  length: number | undefined,
): number {
  const { w, mesh } = scene;
  const { twin, kind } = p;
  const children: number[] = [];
  const id = twin.id;
  if (kind === "Conveyor") {
    const L = length ?? 3;
    children.push(w.addNode({ name: `${id}.bed`, mesh: mesh("Conveyor.bed"), scale: [L, 1, 1] }));
    const legs = Math.max(2, Math.ceil(L / 1.5) + 1);
    for (let i = 0; i < legs; i++) {
      const x = -L / 2 + 0.2 + (i * (L - 0.4)) / (legs - 1);
      children.push(w.addNode({ name: `${id}.leg${i}`, mesh: mesh("Conveyor.leg"), translation: [x, 0, 0] }));
    }
    children.push(w.addNode({ name: `${id}.end0`, mesh: mesh("Conveyor.end"), translation: [-L / 2, 0, 0] }));
    children.push(w.addNode({ name: `${id}.end1`, mesh: mesh("Conveyor.end"), translation: [L / 2, 0, 0] }));
    children.push(w.addNode({ name: `${id}.drive`, mesh: mesh("Conveyor.drive"), translation: [L / 2 - 0.35, 0, 0] }));
  } else if (kind === "Pipe") {
    // A pipe placed by position only: a 1 m stub along local x.
    children.push(
      ...pipeRunNodes(
        id,
        [
          [-0.5, PIPE_Y, 0],
          [0.5, PIPE_Y, 0],
        ],
        [0, 0, 0],
        "Pipe",
        true,
      ),
    );
  } else if (kind === "Tank") {
    const [sr, sh] = p.tankScale;
    children.push(w.addNode({ name: `${id}.vessel`, mesh: mesh("Tank"), scale: [sr, sh, sr] }));
  } else {
    children.push(w.addNode({ name: `${id}.body`, mesh: mesh(kind) }));
  }
  return w.addNode({
    name: id,
    translation: p.position,
    rotation: yRotation(p.rotation),
    children,
    extras: twinExtras(twin),
  });
}

function pipeTwinNode(scene: SceneMeshes, pipeRunNodes: PipeRunNodes, twin: TwinJson, path: Vec3[]): number {
  const { w } = scene;
  const origin = path[0]!;
  const children = pipeRunNodes(twin.id, path, origin, "Pipe", true);
  return w.addNode({ name: twin.id, translation: origin, children, extras: twinExtras(twin) });
}
