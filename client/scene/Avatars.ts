/**
 * Other participants in the 3D view: a head (headset) or camera-shaped body
 * (desktop, tablet, phone) at their pose, hands when tracked, and their laser
 * pointer, all in their seat colour. Poses arrive at ~20 Hz in the plant frame
 * and are smoothed here every frame with preallocated math (no per-frame allocation).
 */
import { Color3 } from "@babylonjs/core/Maths/math.color.js";
import { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import { Quaternion, Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial.js";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { Observer } from "@babylonjs/core/Misc/observable.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { PoseState, SeatState } from "../../shared/state.ts";

const UP = new Vector3(0, 1, 0);

interface Avatar {
  id: string;
  root: TransformNode;
  body: Mesh;
  hands: [Mesh, Mesh];
  beam: Mesh;
  dot: Mesh;
  mat: StandardMaterial;
  device: string;
  color: string;
  // smoothing state: current and target
  pos: Vector3;
  rot: Quaternion;
  tPos: Vector3;
  tRot: Quaternion;
  handPos: [Vector3, Vector3];
  handTarget: [Vector3, Vector3];
  handOn: [boolean, boolean];
  pointerOn: boolean;
  pFrom: Vector3;
  pTo: Vector3;
  tFrom: Vector3;
  tTo: Vector3;
  seen: boolean;
}

export class Avatars {
  private readonly avatars = new Map<string, Avatar>();
  private readonly observer: Observer<Scene>;
  private readonly tmpDir = new Vector3();
  private readonly tmpMid = new Vector3();
  private readonly tmpQ = new Quaternion();
  mySeat: string | null = null;
  /** The device's plant frame (XR tabletop/AR); poses are plant coordinates, so avatars are its children. */
  frame: TransformNode | null = null;

  /** `wake` is told while an avatar is still gliding to where its person is, so the view draws every frame meanwhile. */
  constructor(
    private readonly scene: Scene,
    private readonly wake: () => void = () => {},
  ) {
    this.observer = scene.onBeforeRenderObservable.add(() => this.tick());
  }

  /** World position of a participant's head (smoothed), for labels and follow. */
  headOf(seat: string): { pos: Vector3; rot: Quaternion } | null {
    const a = this.avatars.get(seat);
    return a ? { pos: a.pos, rot: a.rot } : null;
  }

  ids(): IterableIterator<string> {
    return this.avatars.keys();
  }

  private create(seat: SeatState): Avatar {
    const scene = this.scene;
    const root = new TransformNode(`_avatar.${seat.id}`, scene);
    const mat = new StandardMaterial(`_avatarMat.${seat.id}`, scene);
    const c = Color3.FromHexString(seat.color);
    mat.diffuseColor = c;
    mat.emissiveColor = c.scale(0.45);
    const body = this.bodyFor(seat.device, seat.id, mat);
    body.parent = root;
    const hand = (i: number) => {
      const m = MeshBuilder.CreateBox(`_avatarHand${i}.${seat.id}`, { width: 0.07, height: 0.04, depth: 0.14 }, scene);
      m.material = mat;
      m.isPickable = false;
      m.setEnabled(false);
      if (this.frame) m.parent = this.frame;
      return m;
    };
    const beam = MeshBuilder.CreateCylinder(
      `_avatarBeam.${seat.id}`,
      { height: 1, diameter: 0.025, tessellation: 6 },
      scene,
    );
    const beamMat = new StandardMaterial(`_avatarBeamMat.${seat.id}`, scene);
    beamMat.disableLighting = true;
    beamMat.emissiveColor = c;
    beamMat.alpha = 0.8;
    beam.material = beamMat;
    beam.isPickable = false;
    beam.setEnabled(false);
    beam.rotationQuaternion = new Quaternion();
    const dot = MeshBuilder.CreateSphere(`_avatarDot.${seat.id}`, { diameter: 0.16, segments: 8 }, scene);
    dot.material = beamMat;
    dot.isPickable = false;
    dot.setEnabled(false);
    root.rotationQuaternion = new Quaternion();
    if (this.frame) for (const n of [root, beam, dot]) n.parent = this.frame;
    return {
      id: seat.id,
      root,
      body,
      hands: [hand(0), hand(1)],
      beam,
      dot,
      mat,
      device: seat.device,
      color: seat.color,
      pos: new Vector3(),
      rot: new Quaternion(),
      tPos: new Vector3(),
      tRot: new Quaternion(),
      handPos: [new Vector3(), new Vector3()],
      handTarget: [new Vector3(), new Vector3()],
      handOn: [false, false],
      pointerOn: false,
      pFrom: new Vector3(),
      pTo: new Vector3(),
      tFrom: new Vector3(),
      tTo: new Vector3(),
      seen: false,
    };
  }

  /** Headsets get a head with a visor; other devices a camera-shaped body looking along -Z (right-handed). */
  private bodyFor(device: string, id: string, mat: StandardMaterial): Mesh {
    const scene = this.scene;
    let body: Mesh;
    if (device === "headset") {
      const head = MeshBuilder.CreateSphere(`_avatarHead.${id}`, { diameter: 0.24, segments: 12 }, scene);
      const visor = MeshBuilder.CreateBox(`_avatarVisor.${id}`, { width: 0.2, height: 0.09, depth: 0.08 }, scene);
      visor.position.set(0, 0.01, -0.1);
      body = Mesh.MergeMeshes([head, visor], true, true) ?? head;
    } else {
      const box = MeshBuilder.CreateBox(`_avatarCam.${id}`, { width: 0.34, height: 0.22, depth: 0.2 }, scene);
      const lens = MeshBuilder.CreateCylinder(
        `_avatarLens.${id}`,
        { height: 0.16, diameterTop: 0.16, diameterBottom: 0.07, tessellation: 16 },
        scene,
      );
      lens.rotation.x = -Math.PI / 2;
      lens.position.z = -0.17;
      body = Mesh.MergeMeshes([box, lens], true, true) ?? box;
    }
    body.name = `_avatarBody.${id}`;
    body.material = mat;
    body.isPickable = false;
    return body;
  }

  /** Sync avatars with the room's seats (call after patches). */
  update(seats: Iterable<SeatState>): void {
    for (const a of this.avatars.values()) a.seen = false;
    for (const s of seats) {
      if (s.id === this.mySeat) continue;
      let a = this.avatars.get(s.id);
      if (a && (a.device !== s.device || a.color !== s.color)) {
        this.remove(a);
        a = undefined;
      }
      const fresh = !a;
      if (!a) {
        a = this.create(s);
        this.avatars.set(s.id, a);
      }
      a.seen = true;
      setTarget(s.head, a.tPos, a.tRot);
      if (fresh) {
        a.pos.copyFrom(a.tPos);
        a.rot.copyFrom(a.tRot);
      }
      const on: [boolean, boolean] = [(s.hands & 1) !== 0, (s.hands & 2) !== 0];
      const hp = [s.left, s.right] as const;
      for (let i = 0 as 0 | 1; i < 2; i = (i + 1) as 0 | 1) {
        a.handTarget[i].set(hp[i].x, hp[i].y, hp[i].z);
        if (on[i] && !a.handOn[i]) a.handPos[i].copyFrom(a.handTarget[i]);
        a.handOn[i] = on[i];
        a.hands[i].setEnabled(on[i]);
      }
      const p = s.pointer;
      if (p.active) {
        a.tFrom.set(p.ox, p.oy, p.oz);
        a.tTo.set(p.tx, p.ty, p.tz);
        if (!a.pointerOn) {
          a.pFrom.copyFrom(a.tFrom);
          a.pTo.copyFrom(a.tTo);
        }
      }
      a.pointerOn = p.active;
      a.beam.setEnabled(p.active);
      a.dot.setEnabled(p.active);
      a.mat.alpha = s.presence === "reconnecting" ? 0.35 : 1;
    }
    for (const a of [...this.avatars.values()]) if (!a.seen) this.remove(a);
  }

  private remove(a: Avatar): void {
    a.root.dispose(false, true);
    a.hands.forEach((h) => h.dispose(false, true));
    a.beam.dispose(false, true);
    a.dot.dispose(false, true);
    this.avatars.delete(a.id);
  }

  private tick(): void {
    const dt = this.scene.getEngine().getDeltaTime() / 1000;
    // Exponential smoothing: frame-rate independent, converges in ~150 ms.
    const k = 1 - Math.exp(-dt * 14);
    let moving = false;
    for (const a of this.avatars.values()) {
      // A millimetre (head or pointer tip) or a tenth of a degree of head turn is below what anyone sees.
      if (
        Vector3.DistanceSquared(a.pos, a.tPos) > 1e-6 ||
        1 - Math.abs(Quaternion.Dot(a.rot, a.tRot)) > 1e-6 ||
        (a.pointerOn && Vector3.DistanceSquared(a.pTo, a.tTo) > 1e-6)
      )
        moving = true;
      Vector3.LerpToRef(a.pos, a.tPos, k, a.pos);
      Quaternion.SlerpToRef(a.rot, a.tRot, k, a.rot);
      a.root.position.copyFrom(a.pos);
      a.root.rotationQuaternion!.copyFrom(a.rot);
      for (let i = 0; i < 2; i++) {
        if (!a.handOn[i]) continue;
        Vector3.LerpToRef(a.handPos[i]!, a.handTarget[i]!, k, a.handPos[i]!);
        a.hands[i]!.position.copyFrom(a.handPos[i]!);
      }
      if (a.pointerOn) {
        Vector3.LerpToRef(a.pFrom, a.tFrom, k, a.pFrom);
        Vector3.LerpToRef(a.pTo, a.tTo, k, a.pTo);
        a.pTo.subtractToRef(a.pFrom, this.tmpDir);
        const len = this.tmpDir.length();
        if (len > 1e-4) {
          this.tmpDir.scaleInPlace(1 / len);
          a.pFrom.addToRef(a.pTo, this.tmpMid).scaleInPlace(0.5);
          a.beam.position.copyFrom(this.tmpMid);
          a.beam.scaling.set(1, len, 1);
          Quaternion.FromUnitVectorsToRef(UP, this.tmpDir, this.tmpQ);
          a.beam.rotationQuaternion!.copyFrom(this.tmpQ);
        }
        a.dot.position.copyFrom(a.pTo);
      }
    }
    if (moving) this.wake();
  }

  dispose(): void {
    this.scene.onBeforeRenderObservable.remove(this.observer);
    for (const a of [...this.avatars.values()]) this.remove(a);
  }
}

/**
 * Aim at the seat's pose. A pose with a missing or non-finite number (a seat the room has not filled in yet) is
 * not a target: smoothing toward it would leave the avatar at NaN for good, since every later step starts from NaN.
 */
function setTarget(p: PoseState, pos: Vector3, rot: Quaternion): void {
  const v = [p.x, p.y, p.z, p.qx, p.qy, p.qz, p.qw];
  if (!v.every((n) => Number.isFinite(n))) return;
  pos.set(p.x, p.y, p.z);
  rot.set(p.qx, p.qy, p.qz, p.qw);
  if (rot.lengthSquared() < 0.5) rot.set(0, 0, 0, 1);
  else rot.normalize();
}
