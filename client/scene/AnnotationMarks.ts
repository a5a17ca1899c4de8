/**
 * Annotations in 3D: pins (a stick and a head) and ink strokes, placed from
 * their twin node's world matrix and local offset every time the set changes,
 * so a pin stays on its asset wherever the scene file puts that asset.
 */
import type { Matrix } from "@babylonjs/core/Maths/math.vector.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import { Color3 } from "@babylonjs/core/Maths/math.color.js";
import { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial.js";
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { AnnotationState } from "../../shared/state.ts";
import type { PlantScene } from "./PlantScene.ts";

interface Mark {
  meshes: Mesh[];
  world: Vector3;
  sig: string;
}

export class AnnotationMarks {
  private readonly marks = new Map<string, Mark>();
  private readonly mats = new Map<string, StandardMaterial>();

  /** The device's plant frame (XR tabletop/AR): marks are its children, placed in plant coordinates. */
  frame: TransformNode | null = null;

  constructor(private readonly plant: PlantScene) {}

  private get scene(): Scene {
    return this.plant.scene;
  }

  private material(color: string, resolved: boolean): StandardMaterial {
    const key = `${color}${resolved ? "r" : ""}`;
    let m = this.mats.get(key);
    if (!m) {
      m = new StandardMaterial(`_noteMat.${key}`, this.scene);
      const c = Color3.FromHexString(color);
      m.diffuseColor = c;
      m.emissiveColor = c.scale(resolved ? 0.15 : 0.6);
      m.alpha = resolved ? 0.45 : 1;
      this.mats.set(key, m);
    }
    return m;
  }

  /** World position of an annotation (pin head / first ink point), or null when its asset is not in the scene. */
  worldOf(id: string): Vector3 | null {
    return this.marks.get(id)?.world ?? null;
  }

  /** Local offset in a twin's frame for a world point (used when creating annotations). */
  localOffset(twin: string, world: Vector3): [number, number, number] | null {
    const t = this.plant.twins.get(twin);
    if (!t) return null;
    const inv = t.node.getWorldMatrix().clone().invert();
    const v = Vector3.TransformCoordinates(world, inv);
    return [v.x, v.y, v.z];
  }

  update(notes: Iterable<AnnotationState>): void {
    const seen = new Set<string>();
    for (const n of notes) {
      seen.add(n.id);
      const sig = `${n.status}|${n.color}|${n.points.length}|${n.twin}`;
      const existing = this.marks.get(n.id);
      if (existing && existing.sig === sig) continue;
      if (existing) this.dispose(n.id);
      const t = this.plant.twins.get(n.twin);
      if (!t) continue;
      // Twin node → plant frame: the node's world matrix with the device's frame transform taken out.
      const w: Matrix = this.frame
        ? t.node.getWorldMatrix().multiply(this.frame.getWorldMatrix().clone().invert())
        : t.node.getWorldMatrix();
      const mat = this.material(n.color || "#4aa3ff", n.status === "resolved");
      const meshes: Mesh[] = [];
      const at = Vector3.TransformCoordinates(new Vector3(n.ox, n.oy, n.oz), w);
      if (n.kind === "ink" && n.points.length >= 6) {
        const pts: Vector3[] = [];
        for (let i = 0; i + 2 < n.points.length; i += 3) {
          pts.push(Vector3.TransformCoordinates(new Vector3(n.points[i], n.points[i + 1], n.points[i + 2]), w));
        }
        const tube = MeshBuilder.CreateTube(
          `_ink.${n.id}`,
          { path: pts, radius: 0.025, tessellation: 6, cap: Mesh.CAP_ALL },
          this.scene,
        );
        tube.material = mat;
        meshes.push(tube);
        at.copyFrom(pts[0]!);
      } else {
        const stick = MeshBuilder.CreateCylinder(
          `_pinStick.${n.id}`,
          { height: 0.5, diameter: 0.03, tessellation: 6 },
          this.scene,
        );
        stick.position.copyFrom(at).addInPlaceFromFloats(0, 0.25, 0);
        const head = MeshBuilder.CreateSphere(`_pinHead.${n.id}`, { diameter: 0.16, segments: 8 }, this.scene);
        head.position.copyFrom(at).addInPlaceFromFloats(0, 0.55, 0);
        stick.material = mat;
        head.material = mat;
        meshes.push(stick, head);
        at.y += 0.55;
      }
      for (const m of meshes) {
        if (this.frame) m.parent = this.frame;
        m.isPickable = false;
        m.metadata = { annotation: n.id };
      }
      this.marks.set(n.id, { meshes, world: at, sig });
    }
    for (const id of [...this.marks.keys()]) if (!seen.has(id)) this.dispose(id);
  }

  private dispose(id: string): void {
    const m = this.marks.get(id);
    if (!m) return;
    for (const mesh of m.meshes) mesh.dispose();
    this.marks.delete(id);
  }
}
