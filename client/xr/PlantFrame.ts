/**
 * The device's plant→local transform: one TransformNode (`_plantFrame`) that
 * parents everything drawn in plant coordinates (the glTF `__root__`, status
 * discs, selection ring). Identity on the desktop and in walk-in XR; a placement
 * (position, yaw, scale) for tabletop and AR. Poses leave this device in plant
 * coordinates, through the inverse of this transform.
 *
 * PlantScene freezes the plant's world matrices and stops syncing bounds (a big
 * CPU win for static geometry); whenever the frame moves, `sync()` re-freezes
 * those meshes once so rendering, culling and picking follow. Nothing allocates.
 */
import { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh.js";
import { Matrix, Quaternion, Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { Node } from "@babylonjs/core/node.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { PlantScene } from "../scene/PlantScene.ts";
import { copyPlacement, frameTranslation, placement, type Placement } from "./placementMath.ts";
import type { Pose7 } from "./xrContract.ts";

/** Top-level nodes PlantScene creates in plant coordinates (besides the glTF root). */
const PLANT_NODES = ["__root__", "_status", "_selection"];

export class PlantFrame {
  readonly node: TransformNode;
  /** Plant point that sits at the placement position: the floor centre of the assets' bounds. */
  readonly centre = new Vector3();
  /** Horizontal extent of the assets (plant metres): sizes the virtual table. */
  readonly size = { x: 10, z: 10 };
  readonly current: Placement = placement();
  private readonly applied = new Matrix();
  private readonly inv = new Matrix();
  private readonly tmp = new Matrix();
  private readonly tmpScale = new Vector3();
  private readonly tmpPos = new Vector3();
  private readonly tmpQ = new Quaternion();
  private syncs = 0;
  private readonly t3: [number, number, number] = [0, 0, 0];
  private readonly order: AbstractMesh[] = [];
  private orderFor = -1;

  constructor(
    private readonly scene: Scene,
    plant: PlantScene,
  ) {
    this.node = new TransformNode("_plantFrame", scene);
    this.node.rotationQuaternion = null;
    for (const name of PLANT_NODES) {
      const n = scene.getMeshByName(name) ?? scene.getTransformNodeByName(name);
      // The frame is identity here, so re-parenting moves nothing on screen.
      if (n && !n.parent) n.parent = this.node;
    }
    // Everything under the frame (floor slab, fences, assets): sizes the table and centres the miniature on it.
    this.node.computeWorldMatrix(true);
    const { min, max } = this.node.getHierarchyBoundingVectors(true);
    if (Number.isFinite(min.x) && max.x - min.x > 0.1) {
      this.centre.set((min.x + max.x) / 2, 0, (min.z + max.z) / 2);
      this.size.x = max.x - min.x;
      this.size.z = max.z - min.z;
    } else if (plant.twinList.length) {
      for (const t of plant.twinList) {
        min.minimizeInPlace(t.center);
        max.maximizeInPlace(t.center);
      }
      this.centre.set((min.x + max.x) / 2, 0, (min.z + max.z) / 2);
    }
    this.applied.copyFrom(this.node.getWorldMatrix());
  }

  /** Number of times frozen plant meshes were re-synced (a test and budget counter). */
  get syncCount(): number {
    return this.syncs;
  }

  /** Put the plant at `pl` (local space). Takes effect on screen at `sync()`. */
  set(pl: Placement): void {
    copyPlacement(pl, this.current);
    const t = frameTranslation(pl, this.centre.x, this.centre.y, this.centre.z, this.t3);
    this.node.position.set(t[0], t[1], t[2]);
    this.node.rotation.set(0, pl.yaw, 0);
    this.node.scaling.setAll(pl.scale);
  }

  reset(): void {
    this.set(placement(this.centre.x, this.centre.y, this.centre.z, 0, 1));
  }

  get isIdentity(): boolean {
    return this.node.getWorldMatrix().isIdentity();
  }

  /** If the frame moved since the last call, re-freeze the plant's frozen meshes under it. */
  sync(): boolean {
    const world = this.node.computeWorldMatrix(true);
    if (world.equals(this.applied)) return false;
    this.applied.copyFrom(world);
    if (this.orderFor !== this.scene.meshes.length) this.collectFrozen();
    // Parents first: a frozen parent hands its (stale) cached matrix to its children.
    const order = this.order;
    for (let i = 0; i < order.length; i++) refreeze(order[i]!);
    this.syncs++;
    return true;
  }

  /** Frozen meshes under the frame in depth-first order (rebuilt only when meshes come or go). */
  private collectFrozen(): void {
    this.order.length = 0;
    this.orderFor = this.scene.meshes.length;
    const walk = (n: Node): void => {
      if (n instanceof AbstractMesh && n.isWorldMatrixFrozen) this.order.push(n);
      for (const c of n.getChildren()) walk(c);
    };
    walk(this.node);
  }

  /** Write the plant-frame pose of a world matrix (position + rotation, scale dropped). */
  poseOf(world: Matrix, out: Pose7): Pose7 {
    this.node.getWorldMatrix().invertToRef(this.inv);
    world.multiplyToRef(this.inv, this.tmp);
    this.tmp.decompose(this.tmpScale, this.tmpQ, this.tmpPos);
    this.tmpQ.normalize();
    out[0] = this.tmpPos.x;
    out[1] = this.tmpPos.y;
    out[2] = this.tmpPos.z;
    out[3] = this.tmpQ.x;
    out[4] = this.tmpQ.y;
    out[5] = this.tmpQ.z;
    out[6] = this.tmpQ.w;
    return out;
  }

  /** A local-space point into plant coordinates. */
  toPlant(local: Vector3, out: Vector3): Vector3 {
    this.node.getWorldMatrix().invertToRef(this.inv);
    return Vector3.TransformCoordinatesToRef(local, this.inv, out);
  }

  /** A plant-frame point into local space. */
  toLocal(plant: Vector3, out: Vector3): Vector3 {
    return Vector3.TransformCoordinatesToRef(plant, this.node.getWorldMatrix(), out);
  }

  dispose(): void {
    this.reset();
    this.sync();
    for (const child of this.node.getChildren()) (child as TransformNode).parent = null;
    this.node.dispose(true);
  }
}

/** Recompute a frozen mesh's world matrix and bounds once, then freeze it again. */
function refreeze(m: AbstractMesh): void {
  const noSync = m.doNotSyncBoundingInfo;
  m.doNotSyncBoundingInfo = false;
  m.freezeWorldMatrix();
  m.getBoundingInfo();
  m.doNotSyncBoundingInfo = noSync;
}
