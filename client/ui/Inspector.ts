/** The asset inspector: every live point of the selected asset with unit, quality and age. */
import { alarmStateWords } from "../../shared/alarmWords.ts";
import type { PlantModel, PointDef, TwinDef, TypeDef } from "../../shared/plant.ts";
import type { TwinView } from "../../shared/state.ts";
import { QUALITY_NAMES, Severity, severityOf } from "../../shared/status.ts";
import { authFetch, type TokenSource } from "../auth/authFetch.ts";
import { byId, el } from "./dom.ts";
import { drawSparkChart } from "./sparkChart.ts";
import { formatAge, formatQualityCode, formatValue, structuredRows } from "./format.ts";
import { FORECAST_CHART_MS, TwinForecast } from "../../shared/forecast.ts";
import { alarmForecastText } from "./forecastText.ts";
import { chartStart, type PredictedLine } from "./whatIfGhost.ts";
import { predictionMiss, predictionMissText } from "../../shared/whatIfMiss.ts";
import { CHART_RECENT_MS, fetchPointHistoryAsync } from "./pointHistory.ts";

/** The room's what-ifs as the inspector shows them (client/ui/WhatIfPanel.ts): a dashed line and a ghost value. */
export interface WhatIfGhosts {
  show(twin: string | null): void;
  line(twin: string, point: string): PredictedLine | undefined;
  text(twin: string, def: PointDef): string;
}

export class Inspector {
  private twin: TwinDef | null = null;
  private type: TypeDef | null = null;
  private cells: {
    v: HTMLTableCellElement;
    q: HTMLTableCellElement;
    age: HTMLTableCellElement;
    row: HTMLTableRowElement;
    spark: HTMLCanvasElement;
    ghost: HTMLElement;
    /** How far the drawn what-if's prediction was from what happened (shared/whatIfMiss.ts). */
    miss: HTMLElement;
  }[] = [];
  /** What-ifs drawn beside the live values; set once the page wires them. */
  whatIf: WhatIfGhosts | null = null;
  private sparkTimer: ReturnType<typeof setInterval> | null = null;
  private sparkSeq = 0;
  /** Room view time (0 = live): sparklines end there, so the playback instant is the right edge. */
  private viewTime = 0;

  setViewTime(t: number): void {
    if (t === this.viewTime) return;
    this.viewTime = t;
    if (this.twin) void this.loadSparklines();
  }
  onClose: () => void = () => {};

  constructor(
    private readonly model: PlantModel,
    private readonly token: TokenSource,
  ) {
    byId("inspector-close").addEventListener("click", () => this.onClose());
  }

  /**
   * Sparklines of the last 5 minutes from working memory (GET /api/plants/:id/history), refreshed
   * every 5 s while the inspector is open; a late answer for a previous asset is ignored.
   */
  private async loadSparklines(): Promise<void> {
    const tw = this.twin;
    const type = this.type;
    if (!tw || !type) return;
    const seq = ++this.sparkSeq;
    const to = this.viewTime || Date.now();
    // Live only: a forecast continues the chart past now (a ghost); the past has no "ahead" to show.
    const ahead = this.viewTime ? null : await this.loadForecast(tw.id);
    if (seq !== this.sparkSeq) return;
    await Promise.all(
      type.points.map(async (p, i) => {
        if (p.schema === "structured") return; // no numeric history: its table is the value
        const predicted = this.whatIf?.line(tw.id, p.name);
        // Back to the drawn what-if's fork, so its prediction stays beside what really happened after it.
        const t0 = chartStart(to, CHART_RECENT_MS, predicted);
        try {
          const h = await fetchPointHistoryAsync(this.model.id, this.token, {
            twin: tw.id,
            point: p.name,
            from: t0,
            to,
          });
          const cell = this.cells[i];
          const f = ahead?.points[p.name];
          // The past is not forecast: during playback the chart ends at the room's instant.
          const next = f && !this.viewTime ? { forecast: f, until: to + FORECAST_CHART_MS } : undefined;
          if (!cell || seq !== this.sparkSeq) return;
          drawSparkChart(cell.spark, p, h.ts, h.v, t0, to, next, predicted);
          // The gap in words, from the same values the chart lays the prediction over.
          const miss = predicted ? predictionMiss(predicted, h.ts, h.v) : null;
          const words = miss ? predictionMissText(p, miss) : "";
          if (cell.miss.textContent !== words) cell.miss.textContent = words;
          cell.miss.hidden = words === "";
        } catch {
          // A missed refresh leaves the previous line; the next one tries again.
        }
      }),
    );
  }

  /** GET /api/plants/:id/forecast for one asset; null when it fails or does not validate (the chart shows no ghost). */
  private async loadForecast(twin: string): Promise<TwinForecast | null> {
    try {
      const res = await authFetch(
        `/api/plants/${encodeURIComponent(this.model.id)}/forecast?twin=${encodeURIComponent(twin)}`,
        this.token,
      );
      if (!res.ok) return null;
      const parsed = TwinForecast.safeParse(await res.json());
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** Draw the charts again now (a what-if arrived or the look-ahead moved). */
  redraw(): void {
    if (this.twin) void this.loadSparklines();
  }

  get current(): string | null {
    return this.twin?.id ?? null;
  }

  show(twinId: string | null): void {
    const panel = byId("inspector");
    const tw = twinId ? this.model.twins.find((t) => t.id === twinId) : undefined;
    this.whatIf?.show(tw?.id ?? null);
    if (!tw) {
      this.twin = null;
      panel.hidden = true;
      if (this.sparkTimer) clearInterval(this.sparkTimer);
      this.sparkTimer = null;
      this.sparkSeq++;
      return;
    }
    this.twin = tw;
    this.type = this.model.types.find((t) => t.id === tw.type) ?? null;
    byId("inspector-title").textContent = `${tw.id} · ${tw.name}`;
    const area = this.model.areas.find((a) => a.id === tw.area)?.name ?? tw.area;
    byId("inspector-sub").textContent = `${this.type?.displayName ?? tw.type} in ${area}`;
    const body = byId("inspector-rows");
    this.cells = (this.type?.points ?? []).map((p) => {
      const row = el("tr");
      row.dataset["point"] = p.name;
      row.appendChild(el("td", "", p.displayName));
      const v = el("td", "v", "—");
      const q = el("td", "", "");
      const age = el("td", "muted", "");
      const sparkCell = el("td", "spark");
      const spark = el("canvas");
      spark.width = 160;
      spark.height = 42;
      spark.setAttribute("aria-label", `${p.displayName}, last 5 minutes`);
      const ghost = el("div", "whatif-ghost");
      ghost.hidden = true;
      const miss = el("div", "whatif-miss");
      miss.hidden = true;
      sparkCell.append(spark, ghost, miss);
      row.append(v, sparkCell, q, age);
      return { v, q, age, row, spark, ghost, miss };
    });
    body.replaceChildren(...this.cells.map((c) => c.row));
    panel.hidden = false;
    if (this.sparkTimer) clearInterval(this.sparkTimer);
    void this.loadSparklines();
    this.sparkTimer = setInterval(() => void this.loadSparklines(), 5000);
  }

  update(state: TwinView, now: number): void {
    if (!this.twin || !this.type) return;
    const ts = state.twins.get(this.twin.id);
    if (!ts) return;
    const id = this.twin.id;
    const active = [...state.alarms.values()].filter((a) => a.twin === id && a.state !== "normal");
    const box = byId("inspector-alarms");
    const sig = active.map((a) => `${a.id}|${a.state}|${a.message}`).join(";");
    if (box.dataset["sig"] !== sig) {
      box.dataset["sig"] = sig;
      box.replaceChildren(
        ...active.map((a) =>
          el(
            "li",
            a.state === "unack-active" || a.state === "rtn-unack" ? "unack" : "",
            `${a.message} · ${alarmStateWords(a.state)}`,
          ),
        ),
      );
      box.hidden = active.length === 0;
    }
    const f = state.forecasts?.get(id);
    const line = byId("inspector-forecast");
    const text = f
      ? alarmForecastText(
          this.type.points.find((p) => p.name === f.point),
          f,
        )
      : "";
    if (line.textContent !== text) line.textContent = text;
    line.hidden = text === "";
    this.type.points.forEach((def, i) => {
      const c = this.cells[i];
      if (!c) return;
      const p = ts.points?.get(def.name);
      if (!p) {
        // Not (yet) in this client's interest: the values are on their way; never show an old number.
        c.v.textContent = "…";
        delete c.v.dataset["json"];
        c.q.textContent = "";
        c.q.title = "";
        c.age.textContent = "";
        c.row.className = "pending";
        return;
      }
      const has = p.ts > 0;
      const ghost = this.whatIf?.text(id, def) ?? "";
      if (c.ghost.textContent !== ghost) c.ghost.textContent = ghost;
      c.ghost.hidden = ghost === "";
      if (def.schema === "structured") renderTable(c.v, has ? p.json : undefined);
      else c.v.textContent = formatValue(def, p.v, has);
      // A reading the source called bad stays "bad" when it also grows old: the source's verdict (and its code on
      // hover) says more than the age, which the next column shows anyway.
      c.q.textContent = !has ? "no data" : p.q === 2 ? "bad" : p.stale ? "stale" : (QUALITY_NAMES[p.q] ?? "?");
      // The source's own code (an OPC UA sub-code such as BadNoCommunication) on hover: why, not just how bad.
      const code = formatQualityCode(p.code);
      if (c.q.title !== code) c.q.title = code;
      c.age.textContent = has ? formatAge(now - p.ts) : "";
      const sev = has ? severityOf(p.v, def.limits) : Severity.NORMAL;
      c.row.className = `s${sev}${p.q === 2 ? " bad" : ""}${p.stale ? " stale" : ""}`;
    });
  }
}

/**
 * A structured point (DTDL Map/Array): its last JSON value as a small key/value table in the value cell,
 * rebuilt only when the value changes.
 */
function renderTable(cell: HTMLTableCellElement, json: string | undefined): void {
  const sig = json ?? "";
  if (cell.dataset["json"] === sig && cell.firstChild) return;
  cell.dataset["json"] = sig;
  const rows = structuredRows(json);
  if (rows.length === 0) {
    cell.textContent = "—";
    return;
  }
  const table = el("table", "structured");
  for (const [k, v] of rows) {
    const tr = el("tr");
    tr.append(el("td", "muted", k), el("td", "", v));
    table.appendChild(tr);
  }
  cell.replaceChildren(table);
}
