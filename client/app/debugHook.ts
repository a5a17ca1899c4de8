/** The test and debugging hook `window.__gemba`: a read-only view of what the page shows. */
import type { PlantRoomState } from "../../shared/state.ts";
import type { PlantScene } from "../scene/PlantScene.ts";

export interface GembaDebugHook {
  ready: boolean;
  joined: boolean;
  seat: () => string | null;
  state: () => PlantRoomState | null;
  scene: () => PlantScene | null;
  following: () => string | null;
  posesSent: () => number;
  /** World position of an annotation's mark (pin head), or null. */
  noteWorld: (id: string) => [number, number, number] | null;
  /** Handoffs this page took the seat in: when the person accepted and when this page was live (epoch ms). */
  handoffs: { accept: number; live: number }[];
}

declare global {
  interface Window {
    __gemba?: GembaDebugHook;
  }
}

/** The hook with nothing known yet; the features fill in their parts as they start. */
export function installDebugHook(): GembaDebugHook {
  const hook: GembaDebugHook = {
    ready: false,
    joined: false,
    seat: () => null,
    state: () => null,
    scene: () => null,
    following: () => null,
    posesSent: () => 0,
    noteWorld: () => null,
    handoffs: [],
  };
  window.__gemba = hook;
  return hook;
}
