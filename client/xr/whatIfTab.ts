/**
 * What if… on the wrist (docs/WHAT-IF.md), as plain data like the other tabs: for the selected asset, the change the
 * desktop form offers (set, stuck or drifting on a point the process model can change, or a catalogue fault it can
 * answer for; a press picks the next one), its value or drift with −/+ steps, how far to look ahead with −/+
 * minutes, and Predict; below, the room's what-ifs with what each predicts at that look-ahead, Show (draw it as
 * the ghost in the plant) and Remove, and under the drawn one how far its prediction was from what happened, in the
 * desktop's sentence (shared/whatIfMiss.ts). The server predicts and checks; this keeps only the person's draft and
 * which what-if is drawn. The room's what-ifs come from the page's RoomView snapshot, like everything else on the
 * wrist; the samples a prediction is compared with from the history request the desktop chart makes.
 */
import { can } from "../../shared/permissions.ts";
import type { PlantModel, PointDef } from "../../shared/plant.ts";
import type { ProcessLink } from "../../shared/processModel.ts";
import { askFor, changesFor, type WhatIfAsk, type WhatIfChange } from "../ui/whatIfChanges.ts";
import { inputsOf, movesOf, pointDef, rangeOf, WHATIF_HORIZONS_MIN } from "../ui/whatIfInputs.ts";
import { timeLeftText } from "../ui/forecastText.ts";
import { num, valueAhead, whatIfLimitText } from "../ui/whatIfWords.ts";
import { predictionMissText, type PredictionMiss } from "../../shared/whatIfMiss.ts";
import { wrapTitle } from "./titleWrap.ts";
import type { MissAsk } from "./WhatIfMissFeed.ts";
import { VISIBLE_ROWS, type Me, type PanelRow, type TabModel, type WhatIfOp } from "./panelModels.ts";

const DEFAULT_AHEAD_MIN = 10;
/** A what-if's title on one row beside its two buttons (42 px bold in 564 px); longer wraps onto the line below. */
const TITLE_CHARS = 22;
/** Fault words that say what happens to a point ("stuck where it is", "drifting +200 rpm/min"): the point is named. */
const ON_POINT = /^(?:stuck|drifting)\b/;

/** A step a thumb can press to cross the range in about ten presses: 1, 2 or 5 × a power of ten. */
export function valueStep(range: [number, number]): number {
  const raw = (range[1] - range[0]) / 10;
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [5, 2, 1].map((k) => k * p).find((s) => s <= raw) ?? p;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

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
  values: readonly number[];
  limit: string;
  limitValue: number;
  limitAfterS: number;
}
export interface WhatIfLike {
  id: string;
  twin: string;
  point: string;
  value: number;
  /** The fault in words ("cavitation", "stuck where it is"); "" or absent for a plain set. */
  fault?: string;
  /** Plant time of the fork (ms). */
  from: number;
  horizonS: number;
  stepS: number;
  series: ReadonlyMap<string, WhatIfSeriesLike>;
}
/** The parts of the page's RoomView snapshot the tab reads. */
export interface WhatIfView {
  past: boolean;
  /** The instant shown (epoch ms): now, or the shared playback time. */
  at: number;
  twins: ReadonlyMap<string, { points?: ReadonlyMap<string, { v: number; ts: number }> | undefined }>;
  room: { whatIfs: ReadonlyMap<string, WhatIfLike> };
}

/** Where the tab reads how far a prediction was off (WhatIfMissFeed.ts: the samples come from the page). */
export interface MissSource {
  read(ask: MissAsk, to: number): PredictionMiss | null;
}

/** A request the tab makes of the room, and the words for its success. */
export interface WhatIfRequest {
  type: "whatIf" | "whatIfRemove";
  payload: object;
  done: string;
}

/** One choice the wrist's first button steps through: a change of the desktop form, on a point where it needs one. */
interface Choice {
  change: WhatIfChange;
  point: PointDef | null;
}

export class WristWhatIf {
  /** The draft: for which asset, which of its choices, and its number (null: start from the live value). */
  private twin: string | null = null;
  private choice = 0;
  /** The value to set or hold, or the drift per minute (which starts at 0). */
  private value: number | null = null;
  private aheadMin = DEFAULT_AHEAD_MIN;
  /** The what-if drawn as the ghost; the newest when nobody picked one. */
  private picked: string | null = null;

  constructor(
    private readonly model: PlantModel | undefined,
    private readonly links: readonly ProcessLink[],
    private readonly misses: MissSource | null = null,
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

  /**
   * What the asset offers, in the desktop form's order (client/ui/whatIfChanges.ts decides, so the wrist offers
   * exactly the faults the server accepts): Set, Stuck and Drifts on each point the model can change, then the
   * catalogue faults the model can answer for.
   */
  private choices(): Choice[] {
    if (!this.twin) return [];
    const inputs = inputsOf(this.model, this.links, this.twin);
    return changesFor(this.links, this.twin).flatMap((change): Choice[] =>
      change.needsPoint ? inputs.map((point) => ({ change, point })) : [{ change, point: null }],
    );
  }

  private sync(selected: string | null): void {
    if (selected === this.twin) return;
    this.twin = selected;
    this.choice = 0;
    this.value = null;
  }

  /** The draft's number: a drift as stepped (from 0); a value as set, else the live value rounded to a step. */
  private draftValue(view: WhatIfView | null, c: Choice): number | null {
    if (!this.twin || !c.point || c.change.number === null) return null;
    if (c.change.number === "per minute") return this.value ?? 0;
    if (this.value !== null) return this.value;
    const range = rangeOf(this.links, this.twin, c.point.name);
    const live = view?.twins.get(this.twin)?.points?.get(c.point.name);
    if (!range || !live || live.ts <= 0) return null;
    const step = valueStep(range);
    return Math.min(range[1], Math.max(range[0], Math.round(live.v / step) * step));
  }

  /** The request Predict would make, or why it cannot (the reason a greyed Predict shows). */
  private ask(view: WhatIfView | null, c: Choice): WhatIfAsk | string {
    const v = this.draftValue(view, c);
    if (c.point && v === null) return `No live ${c.point.displayName.toLowerCase()} on ${this.twin} to start from`;
    if (c.change.number === "per minute" && v === 0) return "Step the drift with − or + first";
    return askFor(c.change, this.twin!, c.point?.name ?? "", v === null ? "" : String(v), this.aheadMin * 60);
  }

  tab(view: WhatIfView, selected: string | null, me: Me): TabModel {
    this.sync(selected);
    const m: TabModel = { header: "", actions: [null, null, null], rows: [], more: 0 };
    const choices = this.choices();
    const c = choices[this.choice];
    if (!this.twin) {
      m.header = "Select an asset to ask what if";
      m.rows.push(row("Point at it, pull the trigger", "what-ifs in the room are listed below", "#b8c7d1"));
    } else if (!c) {
      m.header = `What if on ${this.twin}`;
      m.rows.push(row("Nothing to change here", "the process model has no input on it", "#b8c7d1"));
    } else if (!can(me.role, "whatIf")) {
      m.header = `What if on ${this.twin}`;
      m.rows.push(row("Operators and up ask", "everyone sees the room's what-ifs", "#b8c7d1"));
    } else {
      m.header = `What if on ${this.twin}${view.past ? " (from the playback instant)" : ""}`;
      this.controls(m, view, c, choices.length);
    }
    this.list(m, view, me);
    return m;
  }

  /** "Speed", "Speed stuck", "Speed drifts", "Cavitation": what the first button says the draft is. */
  private label(c: Choice): string {
    if (!c.point) return c.change.short;
    return c.change.id === "set" ? c.point.displayName : `${c.point.displayName} ${c.change.short.toLowerCase()}`;
  }

  private controls(m: TabModel, view: WhatIfView, c: Choice, choices: number): void {
    const ask = this.ask(view, c);
    const label = this.label(c);
    m.actions = [
      { label: choices > 1 ? `${label} ▸` : label, action: { kind: "whatif", op: { op: "point" } } },
      {
        label: "Predict",
        action: { kind: "whatif", op: { op: "predict" } },
        ...(typeof ask === "string" ? { disabled: ask } : {}),
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
    const moved = c.point?.name ?? c.change.acts?.point ?? "";
    if (c.point) {
      const def = c.point;
      const range = rangeOf(this.links, this.twin!, def.name)!;
      const v = this.draftValue(view, c);
      const live = view.twins.get(this.twin!)?.points?.get(def.name);
      const unit = def.symbol ? ` ${def.symbol}` : "";
      const text =
        v === null
          ? `${def.displayName}: no value yet`
          : c.change.number === "per minute"
            ? `Drifts ${v > 0 ? "+" : ""}${v}${unit}/min`
            : `${c.change.id === "stuck" ? "Stuck at" : "Set to"} ${num(def, v)}`;
      m.rows.push(
        row(
          text,
          clip(`now ${live && live.ts > 0 ? num(def, live.v) : "—"} · ${range[0]} to ${num(def, range[1])}`, 40),
          "#ffb454",
          [step(-1, "−"), step(1, "+")],
        ),
      );
    } else {
      m.rows.push(
        row(c.change.label, clip(`as the model sees it: ${moved} ${c.change.acts?.how ?? ""}`, 40), "#ffb454"),
      );
    }
    m.rows.push(
      row(
        `Look ahead ${this.aheadMin} min`,
        clip(`moves ${movesOf(this.links, this.twin!, moved).join(", ")}`, 40),
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
      const name = def?.displayName ?? w.point;
      const { title, rest } = wrapTitle(
        w.fault
          ? `${w.twin} ${ON_POINT.test(w.fault) ? `${name} ` : ""}${w.fault}`
          : `${w.twin} ${name} → ${num(def, w.value)}`,
        TITLE_CHARS,
      );
      m.rows.push(
        row(
          title,
          clip(`${rest ? `${rest} · ` : ""}+${Math.round(aheadS / 60)} min: ${values}`, 32),
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
      if (isShown) this.missRow(m, view, w, moved[0]);
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

  /**
   * Under the drawn what-if, once a value came in after its fork: how far the prediction of the first point it moves
   * was from what happened, the desktop's sentence ("L101 Flow: At +45 s: predicted 12.00 L/s, was 7.21 L/s, off by
   * 4.79 L/s"), on two lines. Before the time to an alarm: once time has passed, how good the prediction was is what
   * says whether to trust that time.
   */
  private missRow(m: TabModel, view: WhatIfView, w: WhatIfLike, s: WhatIfSeriesLike | undefined): void {
    if (!s || !this.misses || m.rows.length >= VISIBLE_ROWS) return;
    const ask = { id: w.id, twin: s.twin, point: s.point, from: w.from, stepMs: w.stepS * 1000, values: s.values };
    const miss = this.misses.read(ask, view.at);
    if (!miss) return;
    const d = pointDef(this.model, s.twin, s.point);
    m.rows.push({ ...row(`${s.twin} ${d?.displayName ?? s.point}: ${predictionMissText(d, miss)}`), wrap: true });
  }

  /** A press: change the draft (null back), or the request to make of the room. */
  act(op: WhatIfOp, view: WhatIfView | null): WhatIfRequest | null {
    const choices = this.choices();
    const c = choices[this.choice];
    switch (op.op) {
      case "point":
        this.choice = (this.choice + 1) % Math.max(1, choices.length);
        this.value = null;
        return null;
      case "value": {
        const range = this.twin && c?.point ? rangeOf(this.links, this.twin, c.point.name) : null;
        const v = c ? this.draftValue(view, c) : null;
        if (!range || v === null) return null;
        const next = v + op.dir * valueStep(range);
        // A drift is a rate: at most the whole range per minute either way; a value stays inside the range.
        const span = range[1] - range[0];
        this.value =
          c!.change.number === "per minute"
            ? Math.min(span, Math.max(-span, next))
            : Math.min(range[1], Math.max(range[0], next));
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
        if (!c) return null;
        const ask = this.ask(view, c);
        if (typeof ask === "string") return null;
        return { type: "whatIf", payload: ask, done: `Predicted ${this.twin} ${this.doneWords(c, ask)}` };
      }
    }
  }

  /** "Speed at 2500 rpm", "Speed stuck at 2500 rpm", "Speed drifting -200 rpm/min", "cavitation". */
  private doneWords(c: Choice, ask: WhatIfAsk): string {
    const def = c.point;
    if (!def) return c.change.short.toLowerCase();
    if (ask.perMinute !== undefined)
      return `${def.displayName} drifting ${ask.perMinute > 0 ? "+" : ""}${ask.perMinute}${def.symbol ? ` ${def.symbol}` : ""}/min`;
    return `${def.displayName}${c.change.id === "stuck" ? " stuck" : ""} at ${num(def, ask.value!)}`;
  }

  /** The room accepted a what-if this headset asked: draw it. */
  created(id: string): void {
    this.picked = id;
  }
}
