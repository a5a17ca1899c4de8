/**
 * Small DOM tags that follow points in the 3D scene (participant names, pin
 * texts, ping arrows). One projection pass per frame with preallocated vectors;
 * a tag whose point is behind the camera is hidden, or, with `edge`, shown as an
 * arrow at the screen edge pointing toward it.
 */
import { Matrix, Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { Scene } from "@babylonjs/core/scene.js";

interface Tag {
  el: HTMLElement;
  at: () => Vector3 | null;
  edge: boolean;
  maxDist: number;
  shown: boolean;
}

export class ScreenTags {
  private readonly tags = new Map<string, Tag>();
  private readonly out = new Vector3();
  private readonly identity = Matrix.Identity();

  constructor(private readonly container: HTMLElement) {}

  set(id: string, el: HTMLElement, at: () => Vector3 | null, opts: { edge?: boolean; maxDist?: number } = {}): void {
    const old = this.tags.get(id);
    if (old && old.el !== el) old.el.remove();
    if (!el.isConnected) this.container.appendChild(el);
    el.style.position = "absolute";
    el.style.left = "0";
    el.style.top = "0";
    this.tags.set(id, { el, at, edge: opts.edge ?? false, maxDist: opts.maxDist ?? Infinity, shown: true });
  }

  has(id: string): boolean {
    return this.tags.has(id);
  }

  delete(id: string): void {
    this.tags.get(id)?.el.remove();
    this.tags.delete(id);
  }

  keys(): string[] {
    return [...this.tags.keys()];
  }

  layout(scene: Scene): void {
    const cam = scene.activeCamera;
    if (!cam) return;
    const engine = scene.getEngine();
    const w = engine.getRenderWidth();
    const h = engine.getRenderHeight();
    const cw = this.container.clientWidth || w;
    const ch = this.container.clientHeight || h;
    const sx = cw / w;
    const viewport = cam.viewport.toGlobal(w, h);
    const transform = scene.getTransformMatrix();
    for (const t of this.tags.values()) {
      const p = t.at();
      let show = !!p;
      if (p) {
        Vector3.ProjectToRef(p, this.identity, transform, viewport, this.out);
        const dist = Vector3.Distance(cam.globalPosition, p);
        const x = this.out.x * sx;
        const y = this.out.y * sx;
        const inFront = this.out.z > 0 && this.out.z < 1;
        const onScreen = inFront && x >= 0 && x <= cw && y >= 40 && y <= ch;
        if (t.edge && !onScreen) {
          // Off-view: pin an arrow to the screen edge in the direction of the point.
          let dx = x - cw / 2;
          let dy = y - ch / 2;
          if (!inFront) {
            dx = -dx;
            dy = -dy;
          }
          const s = Math.min(
            (cw / 2 - 30) / Math.max(1e-3, Math.abs(dx)),
            (ch / 2 - 30) / Math.max(1e-3, Math.abs(dy)),
          );
          const ex = cw / 2 + dx * s;
          const ey = ch / 2 + dy * s;
          const angle = Math.atan2(dy, dx);
          t.el.classList.add("offscreen");
          t.el.style.transform = `translate(${ex.toFixed(0)}px, ${ey.toFixed(0)}px) translate(-50%, -50%) rotate(${angle.toFixed(3)}rad)`;
        } else if (inFront && dist < t.maxDist) {
          t.el.classList.remove("offscreen");
          t.el.style.transform = `translate(${x.toFixed(1)}px, ${y.toFixed(1)}px) translate(-50%, -100%)`;
        } else show = false;
      }
      if (show !== t.shown) {
        t.shown = show;
        t.el.style.display = show ? "" : "none";
      }
    }
  }
}
