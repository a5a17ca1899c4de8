/**
 * Where the viewer stands: the first tracked pose puts a walk-in viewer where the desktop camera was looking,
 * features move and turn the viewer (teleport, snap turn, follow, tabletop), and leaving XR gives the desktop
 * its camera back exactly as it was.
 */
import { Matrix, Quaternion, Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { Camera } from "@babylonjs/core/Cameras/camera.js";
import type { XrFeature, XrSessionStart } from "./xrFeature.ts";
import type { XrRig } from "./XrRig.ts";

interface DesktopView {
  camera: Camera | null;
  alpha: number;
  beta: number;
  radius: number;
  target: Vector3;
  walkPos: Vector3;
  walkRot: Vector3;
}

export class XrViewer implements XrFeature {
  private readonly desktop: DesktopView = {
    camera: null,
    alpha: 0,
    beta: 0,
    radius: 0,
    target: new Vector3(),
    walkPos: new Vector3(),
    walkRot: new Vector3(),
  };
  private readonly tmpV = new Vector3();
  private readonly tmpQ = new Quaternion();
  private readonly tmpM = new Matrix();

  constructor(private readonly rig: XrRig) {}

  /** Remember the desktop camera before the session takes over. */
  attach(_start: XrSessionStart): void {
    const d = this.desktop;
    const { orbit, walk, scene } = this.rig.plant;
    d.camera = scene.activeCamera;
    d.alpha = orbit.alpha;
    d.beta = orbit.beta;
    d.radius = orbit.radius;
    d.target.copyFrom(orbit.target);
    d.walkPos.copyFrom(walk.position);
    d.walkRot.copyFrom(walk.rotation);
  }

  detach(): void {
    const d = this.desktop;
    const { orbit, walk, scene } = this.rig.plant;
    orbit.target.copyFrom(d.target);
    orbit.alpha = d.alpha;
    orbit.beta = d.beta;
    orbit.radius = d.radius;
    walk.position.copyFrom(d.walkPos);
    walk.rotation.copyFrom(d.walkRot);
    if (d.camera) scene.activeCamera = d.camera;
  }

  dispose(): void {}

  /** First tracked pose: stand where the desktop camera was looking (walk-in VR only). */
  onFirstPose(): void {
    const { rig } = this;
    if (rig.mode !== "vr") return;
    const d = this.desktop;
    if (d.camera === rig.plant.walk) {
      const dir = this.tmpV;
      rig.plant.walk.getDirectionToRef(Vector3.Forward(rig.plant.scene.useRightHandedSystem), dir);
      this.placeViewer(d.walkPos.x, d.walkPos.z, Math.atan2(dir.x, dir.z));
      return;
    }
    // Orbit: stand 8 m in front of the orbit target, on the floor, facing it.
    const cam = rig.plant.orbit.position;
    let dx = d.target.x - cam.x;
    let dz = d.target.z - cam.z;
    const len = Math.hypot(dx, dz) || 1;
    dx /= len;
    dz /= len;
    const back = Math.min(8, len);
    this.placeViewer(d.target.x - dx * back, d.target.z - dz * back, Math.atan2(dx, dz));
  }

  /** Move the XR viewer (keep the real head height) and turn so the view heading is `yaw`. */
  placeViewer(x: number, z: number, yaw: number): void {
    const cam = this.rig.helper?.camera;
    if (!cam) return;
    cam.position.x = x;
    cam.position.z = z;
    this.turnBy(yaw - this.viewerYaw());
  }

  /** Heading of the XR view: the yaw that turns +z onto the horizontal view direction. */
  viewerYaw(): number {
    const cam = this.rig.helper?.camera;
    if (!cam) return 0;
    cam.rotationQuaternion.toRotationMatrix(this.tmpM);
    // Row 2 is the camera's local +z; it looks along +z (left-handed) or -z (right-handed).
    return Math.atan2(this.rig.fwd * this.tmpM.m[8]!, this.rig.fwd * this.tmpM.m[10]!);
  }

  turnBy(angle: number): void {
    const cam = this.rig.helper?.camera;
    if (!cam || angle === 0) return;
    // Yaw in world space (pre-multiply), as Babylon's own snap turn does.
    Quaternion.RotationYawPitchRollToRef(angle, 0, 0, this.tmpQ);
    this.tmpQ.multiplyToRef(cam.rotationQuaternion, cam.rotationQuaternion);
  }
}
