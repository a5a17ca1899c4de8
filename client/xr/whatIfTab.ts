/**
 * What if… on the wrist (docs/WHAT-IF.md), as plain data like the other tabs: for the selected asset, the point the
 * process model can change (a press picks the next one), the new value with −/+ steps, how far to look ahead with
 * −/+ minutes, and Predict; below, the room's what-ifs with what each predicts at that look-ahead, Show (draw it as
 * the ghost in the plant) and Remove. The server predicts and checks; this keeps only the person's draft and which
 * what-if is drawn. The room's what-ifs come from the page's RoomView snapshot, like everything else on the wrist.
 */
import { can } from "../../shared/permissions.ts";
import type { PlantModel, PointDef } from "../../shared/plant.ts";
import type { ProcessLink } from "../../shared/processModel.ts";
import { inputsOf, movesOf, pointDef, rangeOf, WHATIF_HORIZONS_MIN } from "../ui/whatIfInputs.ts";
import { timeLeftText } from "../ui/forecastText.ts";
import { valueAhead, whatIfLimitText } from "../ui/whatIfWords.ts";
import { VISIBLE_ROWS, type Me, type PanelRow, type TabModel, type WhatIfOp } from "./panelModels.ts";

const DEFAULT_AHEAD_MIN = 10;

/** A step a thumb can press to cross the range in about ten presses: 1, 2 or 5 × a power of ten. */
export function valueStep(range: [number, number]): number {
  const raw = (range[1] - range[0]) / 10;
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [5, 2, 1].map((k) => k * p).find((s) => s <= raw) ?? p;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function num(def: PointDef | undefined, v: number): string {
  const n = v.toFixed(def?.decimals ?? 2);
  return def?.symbol ? `${n} ${def.symbol}` : n;
}

const row = (text: string, sub = "", color = "#e8eef2", buttons: PanelRow["buttons"] = [null, null]): PanelRow => ({
  text,
  sub,
  color,
  buttons,
});

/** The parts of a room what-if the tab reads (structural: the room state's WhatIfState, or plain objects in tests). */
export interface WhatIfSeriesLike {
  twin: string;
  point: string;
  values: ArrayLike<number>;
  limit: string;
  limitValue: number;
  limitAfterS: number;
}
export interface WhatIfLike {
  id: string;
  twin: string;
  point: string;
  value: number;
  horizonS: number;
  stepS: number;
  series: ReadonlyMap<string, WhatIfSeriesLike>;
}
/** The parts of the page's RoomView snapshot the tab reads. */
export interface WhatIfView {
  past: boolean;
  twins: ReadonlyMap<string, { points?: ReadonlyMap<string, { v: number; ts: number }> | undefined }>;
  room: { whatIfs: ReadonlyMap<string, WhatIfLike> };
}

/** A request the tab makes of the room, and the words for its success. */
export interface WhatIfRequest {
  type: "whatIf" | "whatIfRemove";
  payload: object;
  done: string;
}

export class WristWhatIf {
  /** The draft: for which asset and point, the value to set (null: start from the live value). */
  private twin: string | null = null;
  private point: string | null = null;
  private value: number | null = null;
  private aheadMin = DEFAULT_AHEAD_MIN;
  /** The what-if drawn as the ghost; the newest when nobody picked one. */
  private picked: string | null = null;

  constructor(
    private readonly model: PlantModel | undefined,
    private readonly links: readonly ProcessLink[],
  ) {}

  /** Seconds ahead the ghosts and the list show, within the what-if's own horizon. */
  aheadS(w: { horizonS: number }): number {
    return Math.min(this.aheadMin * 60, w.horizonS);
  }

  /** The what-if drawn in the plant: the one picked, or the newest in the room. */
  shown<W extends WhatIfLike>(view: { room: { whatIfs: ReadonlyMap<string, W> } } | null): W | undefined {
    const all = view?.room.whatIfs;
    if (!all || all.size === 0) return undefined;
    return (this.picked ? all.get(this.picked) : undefined) ?? [...all.values()].at(-1);
  }

  private sync(selected: string | null): void {
    if (selected === this.twin) return;
    this.twin = selected;
    this.point = selected ? (inputsOf(this.model, this.links, selected)[0]?.name ?? null) : null;
    this.value = null;
  }

  /** The draft's value: as set, else the live value rounded to a step, inside the range. */
  private draftValue(view: WhatIfView | null): number | null {
    if (!this.twin || !this.point) return null;
    if (this.value !== null) return this.value;
    const range = rangeOf(this.links, this.twin, this.point);
    const live = view?.twins.get(this.twin)?.points?.get(this.point);
    if (!range || !live || live.ts <= 0) return null;
    const step = valueStep(range);
    return Math.min(range[1], Math.max(range[0], Math.round(live.v / step) * step));
  }

  tab(view: WhatIfView, selected: string | null, me: Me): TabModel {
    this.sync(selected);
    const m: TabModel = { header: "", actions: [null, null, null], rows: [], more: 0 };
    const inputs = this.twin ? inputsOf(this.model, this.links, this.twin) : [];
    const def = inputs.find((p) => p.name === this.point);
    if (!this.twin) {
      m.header = "Select an asset to ask what if";
      m.rows.push(row("Point at it, pull the trigger", "what-ifs in the room are listed below", "#b8c7d1"));
    } else if (!def || !this.point) {
      m.header = `What if on ${this.twin}`;
      m.rows.push(row("Nothing to change here", "the process model has no input on it", "#b8c7d1"));
    } else if (!can(me.role, "whatIf")) {
      m.header = `What if on ${this.twin}`;
      m.rows.push(row("Operators and up ask", "everyone sees the room's what-ifs", "#b8c7d1"));
    } else {
      m.header = `What if on ${this.twin}${view.past ? " (from the playback instant)" : ""}`;
      this.controls(m, view, def, inputs.length);
    }
    this.list(m, view, me);
    return m;
  }

  private controls(m: TabModel, view: WhatIfView, def: PointDef, choices: number): void {
    const range = rangeOf(this.links, this.twin!, def.name)!;
    const v = this.draftValue(view);
    const live = view.twins.get(this.twin!)?.points?.get(def.name);
    m.actions = [
      {
        label: choices > 1 ? `${def.displayName} ▸` : def.displayName,
        action: { kind: "whatif", op: { op: "point" } },
      },
      {
        label: "Predict",
        action: { kind: "whatif", op: { op: "predict" } },
        ...(v === null ? { disabled: `No live ${def.displayName.toLowerCase()} on ${this.twin} to start from` } : {}),
      },
      null,
    ];
    const step = (dir: 1 | -1, label: string) => ({
      label,
      action: { kind: "whatif" as const, op: { op: "value" as const, dir } },
    });
    const ahead = (dir: 1 | -1, label: string) => ({
      label,
      action: { kind: "whatif" as const, op: { op: "ahead" as const, dir } },
    });
    m.rows.push(
      row(
        v === null ? `${def.displayName}: no value yet` : `Set to ${num(def, v)}`,
        clip(`now ${live && live.ts > 0 ? num(def, live.v) : "—"} · ${range[0]} to ${num(def, range[1])}`, 40),
        "#ffb454",
        [step(-1, "−"), step(1, "+")],
      ),
      row(
        `Look ahead ${this.aheadMin} min`,
        clip(`moves ${movesOf(this.links, this.twin!, def.name).join(", ")}`, 40),
        "#e8eef2",
        [ahead(-1, "−"), ahead(1, "+")],
      ),
    );
  }

  /** The room's what-ifs, the drawn one first: what each sets and what it predicts at the look-ahead. */
  private list(m: TabModel, view: WhatIfView, me: Me): void {
    const all = [...view.room.whatIfs.values()].reverse();
    const shown = this.shown(view);
    const ordered = shown ? [shown, ...all.filter((w) => w.id !== shown.id)] : all;
    if (ordered.length === 0) {
      if (m.rows.length < VISIBLE_ROWS) m.rows.push(row("No what-ifs in the room yet", "", "#9fb3c1"));
      return;
    }
    // What the controls leave of the panel's rows (two under the controls, three under a one-line note).
    let listed = 0;
    for (const w of ordered) {
      if (m.rows.length >= VISIBLE_ROWS) break;
      listed++;
      const def = pointDef(this.model, w.twin, w.point);
      const aheadS = this.aheadS(w);
      const moved = [...w.series.values()].filter((s) => !(s.twin === w.twin && s.point === w.point));
      const values = moved
        .map((s) => {
          const d = pointDef(this.model, s.twin, s.point);
          return `${s.twin} ${d?.displayName ?? s.point} ${num(d, valueAhead(s, w.stepS, aheadS))}`;
        })
        .join(" · ");
      const isShown = w.id === shown?.id;
      const show = { kind: "whatif" as const, op: { op: "show" as const, id: w.id } };
      m.rows.push(
        row(
          clip(`${w.twin} ${def?.displayName ?? w.point} → ${num(def, w.value)}`, 24),
          clip(`+${Math.round(aheadS / 60)} min: ${values}`, 32),
          isShown ? "#ffa726" : "#b8c7d1",
          [
            isShown
              ? { label: "Shown", action: show, disabled: "Drawn in the plant now" }
              : { label: "Show", action: show },
            can(me.role, "whatIf")
              ? { label: "Remove", action: { kind: "whatif", op: { op: "remove", id: w.id } } }
              : null,
          ],
        ),
      );
      // The drawn what-if's first limit crossing gets a row of its own: the time to an alarm is what people act on.
      const first = isShown ? moved.find((s) => s.limit) : undefined;
      if (first && m.rows.length < VISIBLE_ROWS) {
        const d = pointDef(this.model, first.twin, first.point);
        m.rows.push(
          row(
            clip(`${first.twin} ${d?.displayName ?? first.point} ${timeLeftText(first.limitAfterS * 1000)}`, 40),
            clip(whatIfLimitText(first, d), 54),
            "#ff9f43",
          ),
        );
      }
    }
    m.more = ordered.length - listed;
  }

  /** A press: change the draft (null back), or the request to make of the room. */
  act(op: WhatIfOp, view: WhatIfView | null): WhatIfRequest | null {
    switch (op.op) {
      case "point": {
        const inputs = this.twin ? inputsOf(this.model, this.links, this.twin) : [];
        const i = inputs.findIndex((p) => p.name === this.point);
        this.point = inputs[(i + 1) % Math.max(1, inputs.length)]?.name ?? null;
        this.value = null;
        return null;
      }
      case "value": {
        const range = this.twin && this.point ? rangeOf(this.links, this.twin, this.point) : null;
        const v = this.draftValue(view);
        if (range && v !== null) this.value = Math.min(range[1], Math.max(range[0], v + op.dir * valueStep(range)));
        return null;
      }
      case "ahead": {
        const i = WHATIF_HORIZONS_MIN.indexOf(this.aheadMin) + op.dir;
        this.aheadMin = WHATIF_HORIZONS_MIN[Math.min(WHATIF_HORIZONS_MIN.length - 1, Math.max(0, i))]!;
        return null;
      }
      case "show":
        this.picked = op.id;
        return null;
      case "remove":
        return { type: "whatIfRemove", payload: { id: op.id }, done: "Removed from the room" };
      case "predict": {
        const v = this.draftValue(view);
        if (!this.twin || !this.point || v === null) return null;
        const def = pointDef(this.model, this.twin, this.point);
        return {
          type: "whatIf",
          payload: { twin: this.twin, point: this.point, value: v, horizonS: this.aheadMin * 60 },
          done: `Predicted ${this.twin} ${def?.displayName ?? this.point} at ${num(def, v)}`,
        };
      }
    }
  }

  /** The room accepted a what-if this headset asked: draw it. */
  created(id: string): void {
    this.picked = id;
  }
}
