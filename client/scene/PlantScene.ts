/**
 * The Babylon.js scene of one plant: engine, lights, environment, the plant's
 * glTF loaded with progress, a map from twin id to its node, status discs under
 * every asset (one draw call: thin instances with a colour per instance), picking,
 * and orbit / walk navigation. Everything it registers is disposed in dispose().
 */
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import { authFetch, refusalText, type TokenSource } from "../auth/authFetch.ts";
import { ArcRotateCamera } from "@babylonjs/core/Cameras/arcRotateCamera.js";
import { Color3, Color4 } from "@babylonjs/core/Maths/math.color.js";
import { DirectionalLight } from "@babylonjs/core/Lights/directionalLight.js";
import { Engine } from "@babylonjs/core/Engines/engine.js";
import { HemisphericLight } from "@babylonjs/core/Lights/hemisphericLight.js";
import { LoadAssetContainerAsync } from "@babylonjs/core/Loading/sceneLoader.js";
import { Matrix, Quaternion, Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import { MeshBuilder } from "@babylonjs/core/Meshes/meshBuilder.js";
import { PointerEventTypes, type PointerInfo } from "@babylonjs/core/Events/pointerEvents.js";
import { ReflectionProbe } from "@babylonjs/core/Probes/reflectionProbe.js";
import { Scene } from "@babylonjs/core/scene.js";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial.js";
import { UniversalCamera } from "@babylonjs/core/Cameras/universalCamera.js";
import type { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh.js";
import type { Nullable } from "@babylonjs/core/types.js";
import type { Observer } from "@babylonjs/core/Misc/observable.js";
// The glTF 2.0 loader alone; its extensions load on demand, only when a scene declares one (the demo scene uses
// none). The package's "glTF" entry pulls every extension in, KHR_interactivity's flow graph, audio and physics
// included: about half of the first view's JavaScript before this change.
import "@babylonjs/loaders/glTF/2.0/glTFLoader.js";
import { registerBuiltInGLTFExtensions } from "@babylonjs/loaders/glTF/2.0/Extensions/dynamic.js";
// Deep imports carry only what they name; these add the scene methods we call through prototypes
// (picking: scene.pick/pickWithRay; per-instance colour discs: mesh.thinInstanceSetBuffer).
import "@babylonjs/core/Culling/ray.js";
import "@babylonjs/core/Meshes/thinInstanceMesh.js";
import type { PlantModel } from "../../shared/plant.ts";
import { buildAreaLayout } from "./AreaLayout.ts";
import { clearLine, firstHit, roomAround } from "./cameraClearance.ts";
import { FramePacer } from "./FramePacer.ts";

registerBuiltInGLTFExtensions();

export const STATUS_COLORS: readonly [number, number, number][] = [
  [0.18, 0.8, 0.44], // normal
  [0.95, 0.77, 0.06], // warning
  [0.91, 0.3, 0.24], // alarm
  [0.55, 0.6, 0.62], // unknown
];

export interface TwinNode {
  id: string;
  index: number;
  node: TransformNode;
  /** World-space top centre of the asset's bounds: where its label sits. */
  anchor: Vector3;
  center: Vector3;
  radius: number;
  /** Radius of the status disc on the floor. */
  footprint: number;
  /** Line-like assets (pipes) get their disc under the label, not at the centre of their bounds. */
  linear: boolean;
}

/** Input anywhere in the page that may move the view: it draws every frame for a while (FramePacer). */
const INPUT_EVENTS = ["pointerdown", "pointerup", "wheel", "keydown", "keyup"] as const;

/** How far (CSS px) a pin or ink start may miss an asset and still land on it. */
export const SNAP_TOLERANCE_PX = 8;

/** A camera pose to return to: which mode, and where each camera was. */
export interface SavedView {
  walking: boolean;
  orbit: { alpha: number; beta: number; radius: number; target: Vector3 };
  walk: { position: Vector3; target: Vector3 };
}

export class PlantScene {
  readonly engine: Engine;
  readonly scene: Scene;
  readonly orbit: ArcRotateCamera;
  readonly walk: UniversalCamera;
  readonly twins = new Map<string, TwinNode>();
  readonly twinList: TwinNode[] = [];
  private discs: Mesh | null = null;
  private discColors: Float32Array | null = null;
  private selectionRing: Mesh | null = null;
  private pickObserver: Nullable<Observer<PointerInfo>> = null;
  /** Full frame rate while someone acts or something moves, a calm rate otherwise (FramePacer says why). */
  readonly pacer = new FramePacer(() => performance.now());
  private readonly wakeOnInput = () => this.pacer.wake();
  private readonly invalidate = () => this.pacer.invalidate();
  private plantCenter = Vector3.Zero();
  private plantRadius = 50;
  onPick: (twinId: string | null) => void = () => {};
  /** While set, taps go here instead of selecting (pin placement). Return true to consume. */
  onTapOverride: ((hit: { twin: string; point: Vector3 } | null) => boolean) | null = null;

  constructor(readonly canvas: HTMLCanvasElement) {
    this.engine = new Engine(canvas, true, { stencil: true, preserveDrawingBuffer: false, antialias: true }, true);
    const scene = new Scene(this.engine);
    // The plant frame is glTF's (right-handed, +y up, metres): with this, Babylon world = plant frame,
    // so poses, pins and twin positions need no conversion on the wire.
    scene.useRightHandedSystem = true;
    this.scene = scene;
    scene.clearColor = new Color4(0.07, 0.09, 0.11, 1);
    scene.ambientColor = new Color3(0.3, 0.3, 0.3);
    const hemi = new HemisphericLight("sky", new Vector3(0.2, 1, 0.1), scene);
    hemi.intensity = 0.75;
    hemi.groundColor = new Color3(0.25, 0.25, 0.28);
    const sun = new DirectionalLight("sun", new Vector3(-0.4, -1, -0.3), scene);
    sun.intensity = 1.6;

    this.orbit = new ArcRotateCamera("orbit", -Math.PI / 2.4, 1.0, 80, Vector3.Zero(), scene);
    this.orbit.lowerRadiusLimit = 3;
    this.orbit.upperRadiusLimit = 400;
    this.orbit.upperBetaLimit = Math.PI / 2 - 0.03;
    this.orbit.wheelDeltaPercentage = 0.02;
    this.orbit.panningSensibility = 60;
    this.orbit.minZ = 0.1;
    this.orbit.attachControl(canvas, true);

    this.walk = new UniversalCamera("walk", new Vector3(0, 1.7, -20), scene);
    this.walk.minZ = 0.05;
    this.walk.speed = 0.5;
    this.walk.angularSensibility = 3000;
    this.walk.keysUp = [87, 38]; // W, up
    this.walk.keysDown = [83, 40]; // S, down
    this.walk.keysLeft = [65, 37]; // A, left
    this.walk.keysRight = [68, 39]; // D, right
    this.walk.checkCollisions = false;
    scene.activeCamera = this.orbit;
    // Any press in the page may move the view (a Reset view button, a key); moving over it only over the canvas.
    for (const type of INPUT_EVENTS) window.addEventListener(type, this.wakeOnInput, { passive: true, capture: true });
    canvas.addEventListener("pointermove", this.wakeOnInput, { passive: true });
    // A camera still gliding (orbit inertia, walking, following someone) keeps the full rate until it rests.
    for (const cam of [this.orbit, this.walk]) cam.onViewMatrixChangedObservable.add(this.wakeOnInput);
    // A mesh added or removed (a pin, an ink stroke, an avatar, the plant itself) is a change to show.
    scene.onNewMeshAddedObservable.add(this.invalidate);
    scene.onMeshRemovedObservable.add(this.invalidate);
    this.engine.onResizeObservable.add(this.invalidate);
  }

  /**
   * Load the plant's scene file (or, for a plant without one, lay its assets out by area); progress is 0..1 when the size is known. The scene is plant data: it is
   * fetched with the sign-in token (a loader URL cannot carry the header) and handed to the loader as bytes.
   */
  async loadAsync(model: PlantModel, token: TokenSource, onProgress: (fraction: number | null) => void): Promise<void> {
    if (model.scene === null) buildAreaLayout(model, this.scene);
    else {
      const res = await authFetch(model.scene, token);
      if (!res.ok) throw new Error(`Cannot load the plant's 3D scene: ${await refusalText(res)}`);
      const gltf = (res.headers.get("content-type") ?? "").includes("gltf+json");
      const bytes = await readWithProgress(res, onProgress);
      const container = await LoadAssetContainerAsync(bytes, this.scene, { pluginExtension: gltf ? ".gltf" : ".glb" });
      container.addAllToScene();
    }
    const byName = new Map<string, TransformNode>();
    for (const n of [...this.scene.transformNodes, ...this.scene.meshes]) byName.set(n.name, n);
    const missing: string[] = [];
    model.twins.forEach((tw, index) => {
      const node = byName.get(tw.node);
      if (!node) {
        missing.push(tw.node);
        return;
      }
      const meta = (node.metadata ?? {}) as Record<string, unknown>;
      node.metadata = { ...meta, twin: tw.id };
      node.computeWorldMatrix(true);
      const { min, max } = node.getHierarchyBoundingVectors(true);
      const footprint = Math.max(max.x - min.x, max.z - min.z);
      const center = min.add(max).scaleInPlace(0.5);
      const t: TwinNode = {
        id: tw.id,
        index,
        node,
        anchor: new Vector3(center.x, max.y + 0.35, center.z),
        center,
        radius: Math.max(0.6, Vector3.Distance(min, max) / 2),
        footprint: /:Pipe;/.test(tw.type) ? 0.6 : Math.min(4, Math.max(0.8, footprint * 0.5 + 0.25)),
        linear: /:Pipe;/.test(tw.type),
      };
      this.twins.set(tw.id, t);
      this.twinList.push(t);
    });
    if (missing.length)
      console.warn(`Gemba: scene has no node for ${missing.length} twins: ${missing.slice(0, 5).join(", ")}`);
    for (const m of this.scene.meshes) {
      m.isPickable = true;
      // Static plant geometry: freeze what never moves (large win on CPU per frame). Bounding info
      // stays synced: picking tests it first, and a stale box makes clicks miss.
      m.freezeWorldMatrix();
    }
    this.frame();
    this.buildEnvironment();
    this.buildStatusDiscs();
    this.installPicking();
  }

  private frame(): void {
    const pts = this.twinList.map((t) => t.center);
    if (!pts.length) return;
    const min = pts.reduce((a, p) => Vector3.Minimize(a, p), pts[0]!.clone());
    const max = pts.reduce((a, p) => Vector3.Maximize(a, p), pts[0]!.clone());
    this.plantCenter = min.add(max).scaleInPlace(0.5);
    this.plantCenter.y = 0;
    this.plantRadius = Math.max(10, Vector3.Distance(min, max) / 2);
    this.resetView();
  }

  /**
   * The home view: the plant framed from outside, from the first direction with a clear line to its centre,
   * and a walk spot with room around it that sees the centre (a fixed spot can land behind a pillar).
   */
  resetView(): void {
    const c = this.plantCenter;
    const R = this.plantRadius;
    this.orbit.target.copyFrom(c);
    this.orbit.beta = 0.78;
    this.orbit.radius = R * 1.6;
    const focus = new Vector3(c.x, 1.4, c.z);
    const turns = [0, 0.5, -0.5, 1, -1, 1.6, -1.6, 2.3, -2.3, Math.PI];
    const orbitAlpha = turns.find((t) => {
      // Where the orbit camera sits for this alpha (ArcRotateCamera's own spherical formula).
      const a = -Math.PI / 2.3 + t;
      const b = this.orbit.beta;
      const r = this.orbit.radius;
      const eye = new Vector3(
        c.x + r * Math.cos(a) * Math.sin(b),
        r * Math.cos(b),
        c.z + r * Math.sin(a) * Math.sin(b),
      );
      return clearLine(this.scene, eye, focus);
    });
    this.orbit.alpha = -Math.PI / 2.3 + (orbitAlpha ?? 0);
    // The walk spot: of the places around the plant with room to stand and a clear view to its centre, the one that
    // sees the most assets.
    let best: Vector3 | null = null;
    let bestSeen = -1;
    // Each look is a ray through every mesh, so looking at every asset from every spot grows with the square of
    // the plant: the 100x plant (5,100 assets, 42,587 meshes) kept the page busy for minutes before its first frame.
    // A spread sample of 64 assets ranks the spots as well.
    const every = Math.max(1, Math.ceil(this.twinList.length / 64));
    for (const dist of [0.8, 0.6, 1.0]) {
      for (const t of turns) {
        const a = -Math.PI / 2 + t;
        const p = new Vector3(c.x + Math.cos(a) * R * dist, 1.7, c.z + Math.sin(a) * R * dist);
        if (!roomAround(this.scene, p, 1)) continue;
        // The middle of the view is the plant, not a pillar or a wall: the first thing toward the centre is an asset.
        const blocker = firstHit(this.scene, p, focus);
        if (blocker && this.twinOf(blocker) === null) continue;
        const seen = this.assetsSeenFrom(p, every);
        if (seen > bestSeen) {
          best = p;
          bestSeen = seen;
        }
      }
    }
    this.walk.position.copyFrom(best ?? new Vector3(c.x, 1.7, c.z - R * 0.8));
    this.walk.setTarget(focus);
  }

  /**
   * PBR metals reflect their environment; with none they render black. A sky dome
   * rendered once into a reflection probe gives them a local, offline environment.
   */
  private buildEnvironment(): void {
    const sky = MeshBuilder.CreateSphere(
      "_sky",
      { diameter: 2000, segments: 12, sideOrientation: Mesh.BACKSIDE },
      this.scene,
    );
    const skyMat = new StandardMaterial("_skyMat", this.scene);
    skyMat.disableLighting = true;
    skyMat.emissiveColor = new Color3(0.62, 0.68, 0.74);
    skyMat.backFaceCulling = false;
    sky.material = skyMat;
    sky.isPickable = false;
    sky.infiniteDistance = true;
    const probe = new ReflectionProbe("_env", 128, this.scene);
    probe.refreshRate = 0; // RENDER_ONCE
    probe.position.copyFrom(this.plantCenter).addInPlaceFromFloats(0, 6, 0);
    probe.renderList?.push(
      sky,
      ...this.scene.meshes.filter((m) => m.name.startsWith("_environment") || m.parent?.name === "_environment"),
    );
    // The probe's own render must not read its target: metals in its render list sample the environment texture,
    // and sampling the cube being drawn is a WebGL feedback loop (six warnings, one per face). So the probe
    // renders its one time with no environment set, and becomes the environment once its last face is drawn.
    const done = probe.cubeTexture.onAfterRenderObservable.add((face) => {
      if (face !== 5) return;
      probe.cubeTexture.onAfterRenderObservable.remove(done);
      this.scene.environmentTexture = probe.cubeTexture;
      this.pacer.invalidate(); // the metals now reflect it
    });
    this.scene.environmentIntensity = 0.9;
    sky.setEnabled(true);
  }

  private buildStatusDiscs(): void {
    const disc = MeshBuilder.CreateDisc("_status", { radius: 1, tessellation: 40 }, this.scene);
    disc.rotation.x = Math.PI / 2;
    disc.bakeCurrentTransformIntoVertices();
    const mat = new StandardMaterial("_statusMat", this.scene);
    mat.disableLighting = true;
    mat.emissiveColor = Color3.White();
    mat.alpha = 0.45;
    mat.zOffset = -2;
    disc.material = mat;
    disc.isPickable = false;
    const n = this.twinList.length;
    const matrices = new Float32Array(16 * n);
    const colors = new Float32Array(4 * n);
    const m = new Matrix();
    const q = Quaternion.Identity();
    const scale = new Vector3();
    const pos = new Vector3();
    this.twinList.forEach((t, i) => {
      const r = t.footprint;
      const at = t.linear ? t.anchor : t.center;
      Matrix.ComposeToRef(scale.set(r, 1, r), q, pos.set(at.x, 0.03, at.z), m);
      m.copyToArray(matrices, i * 16);
      const c = STATUS_COLORS[3]!;
      colors.set([c[0], c[1], c[2], 1], i * 4);
    });
    disc.thinInstanceSetBuffer("matrix", matrices, 16, true);
    disc.thinInstanceSetBuffer("color", colors, 4, false);
    this.discs = disc;
    this.discColors = colors;

    const ring = MeshBuilder.CreateTorus("_selection", { diameter: 2, thickness: 0.12, tessellation: 48 }, this.scene);
    const rmat = new StandardMaterial("_selectionMat", this.scene);
    rmat.disableLighting = true;
    rmat.emissiveColor = new Color3(0.29, 0.64, 1);
    ring.material = rmat;
    ring.isPickable = false;
    ring.setEnabled(false);
    this.selectionRing = ring;
  }

  /** Set the colour of one asset's status disc (index in model.twins order of found nodes). */
  setStatus(twinId: string, status: number): void {
    const t = this.twins.get(twinId);
    if (!t || !this.discs || !this.discColors) return;
    const i = this.twinList.indexOf(t);
    const c = STATUS_COLORS[status] ?? STATUS_COLORS[3]!;
    // Every patch sets every status; only a colour that changes is something to draw.
    if (this.discColors[i * 4] === c[0] && this.discColors[i * 4 + 1] === c[1] && this.discColors[i * 4 + 2] === c[2])
      return;
    this.pacer.invalidate();
    this.discColors[i * 4] = c[0];
    this.discColors[i * 4 + 1] = c[1];
    this.discColors[i * 4 + 2] = c[2];
    this.discs.thinInstanceBufferUpdated("color");
  }

  select(twinId: string | null): void {
    const ring = this.selectionRing;
    if (!ring) return;
    this.pacer.invalidate();
    const t = twinId ? this.twins.get(twinId) : undefined;
    if (!t) {
      ring.setEnabled(false);
      return;
    }
    const r = t.footprint + 0.3;
    ring.scaling.set(r, 1, r);
    ring.position.set(t.center.x, 0.08, t.center.z);
    ring.setEnabled(true);
  }

  focus(twinId: string): void {
    const t = this.twins.get(twinId);
    if (!t) return;
    if (this.scene.activeCamera === this.orbit) {
      this.orbit.setTarget(t.center.clone());
      this.orbit.radius = Math.max(6, t.radius * 5);
    }
  }

  private installPicking(): void {
    this.pickObserver = this.scene.onPointerObservable.add((info) => {
      if (info.type !== PointerEventTypes.POINTERTAP) return;
      // Pick ourselves at the tap position: the same predicate as pointing, so what you point at is what you tap.
      const hit = this.pickAt(this.scene.pointerX, this.scene.pointerY);
      const twin = hit?.twin ?? null;
      if (this.onTapOverride) {
        // Placing a pin forgives a near miss: the asset a few pixels away is the one meant.
        const near = this.pickAssetNear(this.scene.pointerX, this.scene.pointerY);
        if (this.onTapOverride(near ? { twin: near.twin, point: near.point.clone() } : null)) return;
      }
      this.onPick(twin);
    });
  }

  twinOf(mesh: AbstractMesh): string | null {
    let n: TransformNode | null = mesh;
    while (n) {
      const id = (n.metadata as { twin?: string } | null)?.twin;
      if (id) return id;
      n = n.parent as TransformNode | null;
    }
    return null;
  }

  /** Pick what is under a screen position (CSS px): the twin and the world point, or null. */
  pickAt(x: number, y: number): { twin: string | null; point: Vector3 } | null {
    const r = this.scene.pick(x, y, (m) => m.isPickable && m.isEnabled());
    if (!r?.hit || !r.pickedPoint || !r.pickedMesh) return null;
    return { twin: this.twinOf(r.pickedMesh), point: r.pickedPoint };
  }

  /**
   * The asset under a screen position, forgiving a near miss: when the exact ray finds no asset (a thin pipe, the
   * edge of a valve), rings of rays up to `tolerance` CSS px around it are tried, nearest first.
   */
  pickAssetNear(x: number, y: number, tolerance = SNAP_TOLERANCE_PX): { twin: string; point: Vector3 } | null {
    const exact = this.pickAt(x, y);
    if (exact?.twin) return { twin: exact.twin, point: exact.point };
    for (let r = 2; r <= tolerance; r += 2) {
      const steps = Math.max(8, Math.round(r * 2));
      for (let i = 0; i < steps; i++) {
        const a = (i / steps) * Math.PI * 2;
        const hit = this.pickAt(x + Math.cos(a) * r, y + Math.sin(a) * r);
        if (hit?.twin) return { twin: hit.twin, point: hit.point };
      }
    }
    return null;
  }

  /** Where an asset's centre appears on screen (CSS px), or null when it is behind the camera. */
  screenOf(twinId: string): { x: number; y: number } | null {
    const t = this.twins.get(twinId);
    const cam = this.scene.activeCamera;
    if (!t || !cam) return null;
    const e = this.engine;
    // Fresh matrices, not the last frame's: the camera may have moved since it was drawn.
    const vp = cam.getViewMatrix(true).multiply(cam.getProjectionMatrix(true));
    const p = Vector3.Project(
      t.center,
      Matrix.IdentityReadOnly,
      vp,
      cam.viewport.toGlobal(e.getRenderWidth(), e.getRenderHeight()),
    );
    if (p.z <= 0 || p.z >= 1) return null;
    const k = this.canvas.clientWidth / e.getRenderWidth();
    return { x: p.x * k, y: p.y * k };
  }

  /**
   * How many assets a person standing at `eye` sees (the first thing on the line to its centre is the asset);
   * with `every` > 1 only every n-th asset is looked at.
   */
  assetsSeenFrom(eye: Vector3, every = 1): number {
    let n = 0;
    for (let i = 0; i < this.twinList.length; i += every) {
      const t = this.twinList[i]!;
      const m = firstHit(this.scene, eye, t.center);
      if (m && this.twinOf(m) === t.id) n++;
    }
    return n;
  }

  /** The camera as it is now, to come back to (after following someone, after handing the seat away). */
  saveView(): SavedView {
    const w = this.walk;
    return {
      walking: this.scene.activeCamera === w,
      orbit: {
        alpha: this.orbit.alpha,
        beta: this.orbit.beta,
        radius: this.orbit.radius,
        target: this.orbit.target.clone(),
      },
      walk: { position: w.position.clone(), target: w.getTarget().clone() },
    };
  }

  restoreView(v: SavedView): void {
    this.setWalkMode(v.walking);
    this.orbit.target.copyFrom(v.orbit.target);
    this.orbit.alpha = v.orbit.alpha;
    this.orbit.beta = v.orbit.beta;
    this.orbit.radius = v.orbit.radius;
    this.walk.position.copyFrom(v.walk.position);
    this.walk.setTarget(v.walk.target);
  }

  setWalkMode(on: boolean): void {
    const next = on ? this.walk : this.orbit;
    const prev = on ? this.orbit : this.walk;
    if (this.scene.activeCamera === next) return;
    prev.detachControl();
    if (on) {
      this.walk.position.copyFrom(this.orbit.position);
      this.walk.position.y = 1.7;
      this.walk.setTarget(new Vector3(this.orbit.target.x, 1.5, this.orbit.target.z));
    }
    this.scene.activeCamera = next;
    next.attachControl(true);
  }

  /** Run the frame loop: `onFrame` on every animation frame, told whether the 3D view was drawn in it. */
  start(onFrame: (drawn: boolean) => void): void {
    this.engine.runRenderLoop(() => {
      // A camera moved by code (a colleague's "look here", a handoff, following) recomputes its view matrix here,
      // which wakes the pacer through onViewMatrixChanged; an unmoved one costs a few comparisons.
      this.scene.activeCamera?.getViewMatrix();
      // In WebXR the session drives the frames (Babylon sets customAnimationFrameRequester): draw every one.
      const drawn = this.pacer.shouldDraw(this.engine.customAnimationFrameRequester !== null);
      if (drawn) this.scene.render();
      onFrame(drawn);
    });
  }

  dispose(): void {
    if (this.pickObserver) this.scene.onPointerObservable.remove(this.pickObserver);
    for (const type of INPUT_EVENTS) window.removeEventListener(type, this.wakeOnInput, { capture: true });
    this.canvas.removeEventListener("pointermove", this.wakeOnInput);
    this.engine.stopRenderLoop();
    this.scene.dispose();
    this.engine.dispose();
  }
}

/** The whole body, reporting progress when the server said how long it is. */
async function readWithProgress(res: Response, onProgress: (fraction: number | null) => void): Promise<Uint8Array> {
  const total = Number(res.headers.get("content-length") ?? 0);
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress(total > 0 ? Math.min(1, loaded / total) : null);
  }
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
