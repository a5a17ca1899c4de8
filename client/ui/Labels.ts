/**
 * Floating DOM labels over assets: name and the type's label points, bordered in
 * the asset's status colour. Positions are projected every frame with
 * preallocated vectors (no per-frame allocation); text changes only when a value does.
 * DOM text is crisp, costs no texture per tag, and is always rendered as text.
 */
import { Matrix, Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { PlantModel, PointDef } from "../../shared/plant.ts";
import type { TwinView } from "../../shared/state.ts";
import type { TwinNode } from "../scene/PlantScene.ts";
import { el } from "./dom.ts";
import { formatValue } from "./format.ts";
import { alarmForecastText } from "./forecastText.ts";
import { declutter, labelScale, type LabelBox } from "./declutter.ts";
import { AssetStatus } from "../../shared/status.ts";

interface LabelEntry extends LabelBox {
  twin: TwinNode;
  root: HTMLDivElement;
  values: HTMLSpanElement[];
  defs: PointDef[];
  text: string[];
  status: number;
  /** Only the status is known (the asset is outside this client's interest). */
  summary: boolean;
  visible: boolean;
  /** Cached size in CSS px (measured after text changes, only once the label is on screen; never per frame). */
  w: number;
  h: number;
  x: number;
  y: number;
  dist: number;
  onScreen: boolean;
  /** Text or class changed since the size was measured. */
  sizeDue: boolean;
  /** Pipes and other secondary assets only label up close. */
  minor: boolean;
  /** The alarm forecast line ("… reaches HIGH 85 °C in ~12 min"), empty when there is none. */
  ahead: HTMLDivElement;
  aheadText: string;
  points: PointDef[];
}

export class Labels {
  private readonly entries: LabelEntry[] = [];
  private readonly out = new Vector3();
  private readonly identity = Matrix.Identity();
  private selected: string | null = null;
  private readonly order: LabelEntry[] = [];
  private readonly toMeasure: LabelEntry[] = [];
  private firstShown: () => void = () => {};
  /**
   * Resolves once a label shows a live value: what the first view is for. Code the first view does not need (XR's)
   * is fetched after it, so it never delays it (the room's first state can come before the plant is drawn).
   */
  readonly firstValue = new Promise<void>((resolve) => (this.firstShown = resolve));

  constructor(
    private readonly container: HTMLElement,
    model: PlantModel,
    twins: readonly TwinNode[],
  ) {
    const types = new Map(model.types.map((t) => [t.id, t]));
    const defs = new Map(model.twins.map((t) => [t.id, t]));
    for (const tn of twins) {
      const tw = defs.get(tn.id);
      const type = tw ? types.get(tw.type) : undefined;
      if (!tw || !type) continue;
      const root = el("div", "label s3");
      root.dataset["twin"] = tn.id;
      root.appendChild(el("div", "name", tn.id));
      const ldefs = type.label.map((n) => type.points.find((p) => p.name === n)).filter((p): p is PointDef => !!p);
      const values = ldefs.map((d) => {
        const row = el("div");
        row.appendChild(el("span", "muted", `${d.displayName} `));
        const v = el("span", "val", "—");
        v.dataset["point"] = d.name;
        row.appendChild(v);
        root.appendChild(row);
        return v;
      });
      const ahead = el("div", "ahead");
      ahead.hidden = true;
      root.appendChild(ahead);
      container.appendChild(root);
      const minor = /:Pipe;|:Valve;/.test(tw.type);
      this.entries.push({
        id: tn.id,
        show: false,
        twin: tn,
        root,
        values,
        defs: ldefs,
        text: ldefs.map(() => "—"),
        status: 3,
        summary: false,
        visible: true,
        w: 0,
        h: 0,
        x: 0,
        y: 0,
        dist: 0,
        onScreen: false,
        sizeDue: true,
        minor,
        ahead,
        aheadText: "",
        points: type.points,
      });
    }
  }

  /** Refresh text and status from room state (called after patches, throttled). */
  update(state: TwinView): void {
    for (const e of this.entries) {
      const ts = state.twins.get(e.twin.id);
      // Outside this client's interest the server sends the asset's status only: show its colour, and
      // no numbers rather than the last ones received (they would silently go stale). An asset missing from the
      // view altogether (not yet in a playback map) is unknown: numbers from another time would pass for these.
      const summary = ts?.points === undefined;
      const status = ts?.status ?? 3;
      if (status !== e.status || summary !== e.summary) {
        e.status = status;
        e.summary = summary;
        e.root.className = `label s${status}${summary ? " summary" : ""}${this.selected === e.twin.id ? " selected" : ""}`;
        e.sizeDue = true;
      }
      for (let i = 0; i < e.defs.length; i++) {
        const d = e.defs[i]!;
        const p = ts?.points?.get(d.name);
        const t = p ? formatValue(d, p.v, p.ts > 0) : "—";
        if (t !== e.text[i]) {
          if (p) this.firstShown();
          e.text[i] = t;
          e.values[i]!.textContent = t;
          e.sizeDue = true;
        }
      }
      const f = state.forecasts?.get(e.twin.id);
      const ahead = f
        ? alarmForecastText(
            e.points.find((p) => p.name === f.point),
            f,
          )
        : "";
      if (ahead !== e.aheadText) {
        e.aheadText = ahead;
        e.ahead.textContent = ahead;
        e.ahead.hidden = ahead === "";
        e.sizeDue = true;
      }
    }
  }

  setSelected(id: string | null): void {
    this.selected = id;
    for (const e of this.entries) e.root.classList.toggle("selected", e.twin.id === id);
  }

  /**
   * Project anchors to the screen and declutter (declutter.ts): where labels would overlap, the selected asset,
   * then assets in alarm, then the nearer ones keep theirs; the others hide, so the overview stays readable.
   */
  layout(scene: Scene): void {
    const cam = scene.activeCamera;
    if (!cam) return;
    const engine = scene.getEngine();
    const w = engine.getRenderWidth();
    const h = engine.getRenderHeight();
    const cw = this.container.clientWidth || w;
    const sx = cw / w;
    const viewport = cam.viewport.toGlobal(w, h);
    const transform = scene.getTransformMatrix();
    const camPos = cam.globalPosition;
    this.order.length = 0;
    for (const e of this.entries) {
      Vector3.ProjectToRef(e.twin.anchor, this.identity, transform, viewport, this.out);
      e.dist = Vector3.Distance(camPos, e.twin.anchor);
      e.x = this.out.x * sx;
      e.y = this.out.y * sx;
      // Pipes and valves label only up close, unless they are in alarm.
      const reach = e.minor && e.status !== AssetStatus.ALARM ? 30 : 160;
      e.onScreen = this.out.z > 0 && this.out.z < 1 && e.dist < reach && e.x > -50 && e.x < cw + 50;
      if (e.onScreen) this.order.push(e);
    }
    // Measure only labels on screen whose text changed: all writes, then all reads (one reflow, not one per label).
    // Measuring every label after each patch cost most of a frame on the 10x plant (bench/client.ts).
    const m = this.toMeasure;
    m.length = 0;
    for (const e of this.order) if (e.sizeDue) m.push(e);
    for (const e of m) if (!e.visible) e.root.style.display = "";
    for (const e of m) {
      e.w = e.root.offsetWidth;
      e.h = e.root.offsetHeight;
      e.sizeDue = false;
    }
    for (const e of m) if (!e.visible) e.root.style.display = "none";
    declutter(this.order, this.selected);
    for (const e of this.order) {
      if (e.show) {
        if (!e.visible) {
          e.visible = true;
          e.root.style.display = "";
        }
        const scale = labelScale(e.dist);
        e.root.style.transform = `translate(${e.x.toFixed(1)}px, ${e.y.toFixed(1)}px) translate(-50%, -100%) scale(${scale.toFixed(2)})`;
      } else if (e.visible) {
        e.visible = false;
        e.root.style.display = "none";
      }
    }
    for (const e of this.entries) {
      if (!e.onScreen && e.visible) {
        e.visible = false;
        e.root.style.display = "none";
      }
    }
  }
}
