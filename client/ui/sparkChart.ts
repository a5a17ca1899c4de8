/**
 * The inspector's small trend chart of one point: the line over the last minutes with its scale (top and bottom
 * values with the unit), the time span, and the point's warning and alarm limits as lines. A line with no numbers
 * next to it cannot tell a person whether 0.4 bar is near the limit; this one can. The scale it drew is written on
 * the canvas (data-scale, data-limits, the accessible label) so what the picture says can also be read.
 */
import type { PointForecast } from "../../shared/forecast.ts";
import { drawGhost, ghostRange } from "./forecastGhost.ts";
import { drawPredicted, predictedInView, type PredictedLine } from "./whatIfGhost.ts";

export interface ChartLimits {
  highWarning?: number;
  highAlarm?: number;
  lowWarning?: number;
  lowAlarm?: number;
}

export interface ChartPoint {
  displayName: string;
  symbol: string;
  decimals: number;
  limits?: ChartLimits | undefined;
}

const AXIS_W = 38;
const ALARM = "rgba(231, 76, 60, 0.95)";
const WARNING = "rgba(241, 196, 15, 0.9)";

/** The value range drawn: the samples, widened to take in the alarm limits so the distance to them shows. */
export function chartRange(v: readonly number[], limits?: ChartLimits): [number, number] {
  let lo = Math.min(...v);
  let hi = Math.max(...v);
  for (const l of [limits?.lowAlarm, limits?.highAlarm, limits?.lowWarning, limits?.highWarning]) {
    if (l === undefined) continue;
    lo = Math.min(lo, l);
    hi = Math.max(hi, l);
  }
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

/**
 * `to` is the chart's "now" (or the instant the room plays back); with `ahead` the chart goes on past it to
 * `ahead.until` and draws the forecast there as a ghost (client/ui/forecastGhost.ts).
 */
export function drawSparkChart(
  c: HTMLCanvasElement,
  p: ChartPoint,
  ts: readonly number[],
  v: readonly number[],
  t0: number,
  to: number,
  ahead?: { forecast: PointForecast; until: number },
  predicted?: PredictedLine,
): void {
  const g = c.getContext("2d");
  if (!g) return;
  const W = c.width;
  const H = c.height;
  g.clearRect(0, 0, W, H);
  c.dataset["forecast"] = "";
  c.dataset["whatif"] = "";
  c.dataset["whatifActual"] = "";
  const t1 = Math.max(ahead ? ahead.until : to, predicted ? predicted.until : to);
  const minutes = Math.round((to - t0) / 60_000);
  if (v.length < 2) {
    c.dataset["scale"] = "";
    c.setAttribute("aria-label", `${p.displayName}: no samples in the last ${minutes} min`);
    return;
  }
  let [lo, hi] = chartRange(v, p.limits);
  if (ahead) [lo, hi] = ghostRange(ahead.forecast, lo, hi);
  for (const pv of predicted ? predictedInView(predicted) : []) {
    lo = Math.min(lo, pv);
    hi = Math.max(hi, pv);
  }
  const plotW = W - AXIS_W - 2;
  const x = (t: number) => AXIS_W + ((t - t0) / (t1 - t0)) * plotW;
  const y = (val: number) => H - 9 - ((val - lo) / (hi - lo)) * (H - 14);
  const fmt = (n: number) => {
    const t = n.toFixed(p.decimals);
    return /^-0(\.0*)?$/.test(t) ? t.slice(1) : t; // never "-0"
  };
  const unit = p.symbol ? ` ${p.symbol}` : "";

  // Axis: top and bottom of the scale with the unit, and the time span along the bottom.
  g.fillStyle = "#8a97a3";
  g.font = "9px system-ui, sans-serif";
  // Left of the plot, top to bottom: the top of the scale, its unit, the bottom of the scale.
  g.textBaseline = "top";
  g.fillText(fmt(hi), 1, 1);
  g.fillText(p.symbol, 1, 11);
  g.textBaseline = "bottom";
  g.fillText(fmt(lo), 1, H - 8);
  g.textAlign = "right";
  // The right edge is now, or the moment the room plays back, or with a forecast how far it looks ahead.
  const end =
    t1 > to
      ? `+${Math.round((t1 - to) / 60_000)} min`
      : Math.abs(Date.now() - to) < 10_000
        ? "now"
        : new Date(to).toLocaleTimeString([], { hour12: false });
  g.fillText(end, W - 1, H);
  g.textAlign = "left";
  g.fillText(`−${minutes} min`, AXIS_W, H);
  g.strokeStyle = "#3a4754";
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(AXIS_W - 0.5, 2);
  g.lineTo(AXIS_W - 0.5, H - 9);
  g.lineTo(W - 1, H - 9);
  g.stroke();

  // Limits as dashed lines: red for alarm, amber for warning.
  const l = p.limits ?? {};
  const lines: [number | undefined, string, string][] = [
    [l.highAlarm, ALARM, "high alarm"],
    [l.lowAlarm, ALARM, "low alarm"],
    [l.highWarning, WARNING, "high warning"],
    [l.lowWarning, WARNING, "low warning"],
  ];
  const drawn: string[] = [];
  g.setLineDash([3, 2]);
  for (const [at, colour, name] of lines) {
    if (at === undefined) continue;
    g.strokeStyle = colour;
    g.beginPath();
    g.moveTo(AXIS_W, y(at));
    g.lineTo(W - 1, y(at));
    g.stroke();
    drawn.push(`${name} ${fmt(at)}${unit}`);
  }
  g.setLineDash([]);

  g.strokeStyle = "#7fb8ff";
  g.lineWidth = 1.3;
  g.beginPath();
  v.forEach((val, i) => (i === 0 ? g.moveTo(x(ts[i]!), y(val)) : g.lineTo(x(ts[i]!), y(val))));
  g.stroke();
  if (ahead) {
    // A tick at now, then where the value is heading.
    g.strokeStyle = "#8a97a3";
    g.beginPath();
    g.moveTo(x(to), H - 12);
    g.lineTo(x(to), H - 6);
    g.stroke();
    drawGhost(g, ahead.forecast, x, y, { t: ts[ts.length - 1]!, v: v[v.length - 1]! });
    c.dataset["forecast"] = "shown";
  }
  if (predicted) {
    drawPredicted(g, predicted, x, y);
    c.dataset["whatif"] = "shown";
    // How much of the real line lies beside the prediction (samples after the fork): the comparison people read.
    c.dataset["whatifActual"] = String(ts.filter((t) => t >= predicted.from).length);
  }

  const scale = `${fmt(lo)}–${fmt(hi)}${unit}`;
  c.dataset["scale"] = scale;
  c.dataset["limits"] = drawn.join("; ");
  c.setAttribute(
    "aria-label",
    `${p.displayName}, last ${minutes} min${ahead ? " and the forecast" : ""}${predicted ? " and the what-if" : ""}, scale ${scale}${drawn.length ? `; ${drawn.join("; ")}` : ""}`,
  );
  c.title = c.getAttribute("aria-label") ?? "";
}
