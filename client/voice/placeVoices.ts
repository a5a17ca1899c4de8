/**
 * Per frame, for the spatial mix: the listener at the active camera (looking along its forward axis, its up
 * axis up), each voice at its talker's avatar head. Allocates nothing.
 */
import type { Scene } from "@babylonjs/core/scene.js";
import type { SpatialMixer } from "./SpatialMixer.ts";

export function placeVoices(
  scene: Scene,
  mixer: SpatialMixer,
  headOf: (seat: string) => { x: number; y: number; z: number } | null,
): void {
  if (mixer.voices.length === 0) return;
  const cam = scene.activeCamera;
  if (!cam) return;
  const m = cam.getWorldMatrix().m;
  // A camera looks along its local -Z in a right-handed scene (+Z in a left-handed one).
  const s = scene.useRightHandedSystem ? -1 : 1;
  let fx = s * m[8]!;
  let fy = s * m[9]!;
  let fz = s * m[10]!;
  const fl = Math.hypot(fx, fy, fz) || 1;
  fx /= fl;
  fy /= fl;
  fz /= fl;
  let ux = m[4]!;
  let uy = m[5]!;
  let uz = m[6]!;
  const ul = Math.hypot(ux, uy, uz) || 1;
  ux /= ul;
  uy /= ul;
  uz /= ul;
  // Entering XR, the camera's matrix holds NaN for a frame or two; an AudioParam throws on a non-finite
  // value, and a throw here would abort the frame (and the XR entry it belongs to). Keep the last placement.
  if (!Number.isFinite(m[12]! + m[13]! + m[14]! + fx + fy + fz + ux + uy + uz)) return;
  mixer.placeListener(m[12]!, m[13]!, m[14]!, fx, fy, fz, ux, uy, uz);
  const voices = mixer.voices;
  for (let i = 0; i < voices.length; i++) {
    const v = voices[i]!;
    const h = headOf(v.seat);
    if (h && Number.isFinite(h.x + h.y + h.z)) mixer.placeVoice(v, h.x, h.y, h.z);
  }
}
