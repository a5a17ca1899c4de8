/**
 * Meta's WebXR emulator (iwer, + @iwer/sem for AR rooms) inside a Playwright page.
 * An init script cannot import npm modules, so this bundles them once per test
 * process with esbuild into an IIFE that installs an emulated Quest 3 before the
 * app starts, and exposes `window.__iwer` with small helpers that drive it:
 * pose a controller or hand, aim it at a point of the Babylon scene, press.
 *
 * Nothing here reaches the network: @iwer/sem's bundled room captures are
 * replaced by an empty registry (its UMD build would fetch them from a CDN);
 * tests pass a room's JSON read from node_modules to `loadRoom`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import type { Page } from "@playwright/test";

const ROOT = path.resolve(import.meta.dirname, "..");

/** The synthetic rooms @iwer/sem ships (captures of real rooms: planes, meshes, semantic labels). */
export type SemRoom = "office_small" | "office_large" | "meeting_room" | "living_room" | "music_room";

// Runs in the page. Coordinates: "device" = iwer's global space (= the session's local-floor space),
// "world" = the Babylon scene (the plant frame when walking 1:1).
const PAGE_SOURCE = `
import { XRDevice, XRReferenceSpace, metaQuest3, lookRotation, P_SESSION, P_SPACE } from "iwer";
import { SyntheticEnvironmentModule } from "@iwer/sem";
import { mat4, vec3 } from "gl-matrix";

// iwer 2.5 bug: getOffsetReferenceSpace(originOffset) hands the XRRigidTransform itself to mat4.clone,
// which yields NaNs, so any teleport (Babylon moves the viewer through offset reference spaces) is lost.
// The WebXR spec passes an XRRigidTransform; give iwer its matrix.
const offsetSpace = XRReferenceSpace.prototype.getOffsetReferenceSpace;
XRReferenceSpace.prototype.getOffsetReferenceSpace = function (t) {
  return offsetSpace.call(this, t && t.matrix ? t.matrix : t);
};

const config = window.__iwerConfig || {};
const device = new XRDevice(metaQuest3, { stereoEnabled: false });
if (config.sem) device.installSEM(SyntheticEnvironmentModule);
device.installRuntime({ forceInstall: true });

function input(kind) {
  const [type, side] = kind.split("-");
  return type === "hand" ? device.hands[side] : device.controllers[side];
}

/** A Babylon world point into device space, through the XR camera and the emulated headset pose. */
function worldToDevice(p) {
  const scene = window.__gemba.scene().scene;
  const cam = scene.activeCamera;
  const inv = mat4.invert(mat4.create(), cam.getWorldMatrix().m);
  const local = vec3.transformMat4(vec3.create(), p, inv);
  if (!scene.useRightHandedSystem) local[2] = -local[2];
  const head = mat4.fromRotationTranslation(mat4.create(), device.quaternion.quat, device.position.vec3);
  return Array.from(vec3.transformMat4(vec3.create(), local, head));
}

/** A point in a scene node's frame (e.g. "_plantFrame": plant coordinates) into Babylon world. */
function nodeToWorld(name, p) {
  const scene = window.__gemba.scene().scene;
  const node = scene.getTransformNodeByName(name) || scene.getMeshByName(name);
  return Array.from(vec3.transformMat4(vec3.create(), p, node.computeWorldMatrix(true).m));
}

window.__iwer = {
  device,
  worldToDevice,
  nodeToWorld,
  setInputMode(mode) {
    device.primaryInputMode = mode;
  },
  /** Put a controller or hand at a device-space position, pointing at a device-space target. */
  pose(kind, at, target) {
    const t = input(kind);
    t.position.set(at[0], at[1], at[2]);
    if (target) {
      const q = lookRotation({ x: target[0] - at[0], y: target[1] - at[1], z: target[2] - at[2] });
      t.quaternion.set(q.x, q.y, q.z, q.w);
    }
  },
  /** Point an input at a Babylon world point from where it is. */
  aimAtWorld(kind, worldPoint) {
    const t = input(kind);
    const target = worldToDevice(worldPoint);
    const at = [t.position.x, t.position.y, t.position.z];
    window.__iwer.pose(kind, at, target);
    return target;
  },
  headset(at, target) {
    device.position.set(at[0], at[1], at[2]);
    if (target) {
      const q = lookRotation({ x: target[0] - at[0], y: target[1] - at[1], z: target[2] - at[2] });
      device.quaternion.set(q.x, q.y, q.z, q.w);
    }
  },
  /** Press (1) or release (0) a controller button, or pinch a hand. */
  button(kind, id, value) {
    const t = input(kind);
    if (kind.startsWith("hand")) t.updatePinchValue(value);
    else t.updateButtonValue(id, value);
  },
  stick(kind, x, y) {
    input(kind).updateAxes("thumbstick", x, y);
  },
  loadRoom(json) {
    device.sem.loadEnvironment(json);
    // The hit test ray-casts against world matrices that only SEM's own render (AR passthrough) refreshes.
    device.sem.scene.updateMatrixWorld(true);
  },
  /**
   * Where this headset booted in the loaded room: the room's surfaces sit at \`at\` in device space, turned by
   * \`yaw\` (radians about +y). Two headsets in one real room each see it from their own boot pose.
   */
  placeRoom(at, yaw) {
    for (const g of [device.sem.planes, device.sem.boxes, device.sem.meshes]) {
      g.position.set(at[0], at[1], at[2]);
      g.rotation.set(0, yaw, 0);
      g.updateMatrixWorld(true);
    }
  },
  /**
   * The headset refines its tracking: every anchor the session keeps moves by \`delta\` (device space, metres), as
   * a real device moves anchors it re-localises. iwer has no public call for this; its anchor's space offset is
   * reachable through the private-state symbols it exports. Returns how many anchors moved.
   */
  moveAnchors(delta) {
    const session = device.activeSession;
    if (!session) return 0;
    let moved = 0;
    for (const anchor of session[P_SESSION].trackedAnchors) {
      const m = anchor.anchorSpace[P_SPACE].offsetMatrix;
      m[12] += delta[0];
      m[13] += delta[1];
      m[14] += delta[2];
      moved++;
    }
    return moved;
  },
  endSession() {
    return device.activeSession ? device.activeSession.end() : Promise.resolve();
  },
};
`;

let bundle: Promise<string> | null = null;

async function bundleAsync(): Promise<string> {
  const result = await build({
    stdin: { contents: PAGE_SOURCE, resolveDir: ROOT, loader: "js", sourcefile: "iwer-page.js" },
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
    define: { __IS_UMD__: "false" },
    plugins: [
      {
        name: "no-sem-captures",
        setup(b) {
          // The registry lazily imports ~4.6 MB of room captures; tests load rooms explicitly instead.
          b.onResolve({ filter: /\/registry\.js$/ }, (a) =>
            a.importer.includes("@iwer/sem") ? { path: "sem-registry", namespace: "stub" } : undefined,
          );
          b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "export const Environments = {};" }));
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
}

/** Install the emulated headset in the page before any of its scripts run. */
export async function installIwer(page: Page, opts: { sem?: boolean } = {}): Promise<void> {
  bundle ??= bundleAsync();
  const code = await bundle;
  await page.addInitScript({ content: `window.__iwerConfig = ${JSON.stringify(opts)};\n${code}` });
}

/** A synthetic room's scene JSON, read from the installed @iwer/sem package. */
export function semRoom(name: SemRoom): unknown {
  return JSON.parse(readFileSync(path.join(ROOT, "node_modules/@iwer/sem/captures", `${name}.json`), "utf8"));
}

/** Wait until the XR loop has run `n` more frames (no sleeps: frames are what input polling needs). */
export async function xrFrames(page: Page, n = 3): Promise<void> {
  const start = await page.evaluate(() => window.__gemba_xr?.frames ?? 0);
  await page.waitForFunction((until) => (window.__gemba_xr?.frames ?? 0) >= until, start + n, { timeout: 60_000 });
}

export type InputKind = "controller-left" | "controller-right" | "hand-left" | "hand-right";

/** Typed view of the page helpers for page.evaluate callbacks. */
export interface IwerPage {
  device: unknown;
  worldToDevice(p: [number, number, number]): [number, number, number];
  nodeToWorld(node: string, p: [number, number, number]): [number, number, number];
  setInputMode(mode: "controller" | "hand"): void;
  pose(kind: InputKind, at: [number, number, number], target?: [number, number, number]): void;
  aimAtWorld(kind: InputKind, worldPoint: [number, number, number]): [number, number, number];
  headset(at: [number, number, number], target?: [number, number, number]): void;
  button(kind: InputKind, id: string, value: number): void;
  stick(kind: InputKind, x: number, y: number): void;
  loadRoom(json: unknown): void;
  placeRoom(at: [number, number, number], yaw: number): void;
  moveAnchors(delta: [number, number, number]): number;
  endSession(): Promise<void>;
}

declare global {
  interface Window {
    __iwer?: IwerPage;
    __iwerConfig?: { sem?: boolean };
  }
}

/** Press and release an input's select (trigger or pinch), letting the XR loop see each state. */
export async function click(page: Page, kind: InputKind, id = "trigger"): Promise<void> {
  await page.evaluate(([k, b]) => window.__iwer!.button(k, b, 1), [kind, id] as const);
  await xrFrames(page, 3);
  await page.evaluate(([k, b]) => window.__iwer!.button(k, b, 0), [kind, id] as const);
  await xrFrames(page, 3);
}

/** Aim the right controller at `twin`'s centre and pull the trigger; waits until the headset has it selected. */
export async function selectWithRay(page: Page, twin: string, timeout = 60_000): Promise<void> {
  await page.evaluate((id) => {
    const t = window.__gemba!.scene()!.twins.get(id)!;
    const w = window.__iwer!.nodeToWorld("_plantFrame", [t.center.x, t.center.y, t.center.z]);
    window.__iwer!.aimAtWorld("controller-right", w);
  }, twin);
  await xrFrames(page, 3);
  await click(page, "controller-right");
  await page.waitForFunction((id) => window.__gemba_xr?.selected === id, twin, { timeout });
}
