/**
 * `npm run plant:fit -- <plant dir> (--server <url> [--token <t>] [--minutes 30] | --sim <minutes>)`: estimate
 * the gain, time constant and dead time of every process link the plant declares (shared/processModel.ts) from
 * recorded history, and print them beside the declared ones with the fit quality (R² and NRMSE of a free-running
 * simulation of the record, server/whatif/fitLink.ts).
 *
 * Where the record comes from:
 * - `--server`: a running Gemba server's working memory (GET /api/plants/:id/history, full rate, the last
 *   `--minutes`); with sign-in on, pass a token that may view the plant (`--token`, or GEMBA_TOKEN).
 * - `--sim`: the demo simulator run in this process for that many simulated minutes (no server needed).
 * Exit code 0 when every link was fitted, 1 when one could not be, 2 on bad usage.
 */
import { loadPlantDir } from "../server/plant/loadPlant.ts";
import { PlantSimulator } from "../server/sim/PlantSimulator.ts";
import { fitLink, holdOnGrid, type LinkFit } from "../server/whatif/fitLink.ts";
import { processLinks, type ProcessLink } from "../shared/processModel.ts";

const STEP_MS = 1000;

interface Record_ {
  ts: number[];
  v: number[];
}

function usage(msg?: string): never {
  if (msg) console.error(msg);
  console.error(
    "usage: npm run plant:fit -- <plant dir> --server <http://host:port> [--token <t>] [--minutes 30]\n" +
      "       npm run plant:fit -- <plant dir> --sim <simulated minutes>",
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const dir = args[0];
if (!dir || dir.startsWith("-")) usage();
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i > 0 ? args[i + 1] : undefined;
};
const server = opt("--server");
const simMinutes = opt("--sim");
if ((server === undefined) === (simMinutes === undefined)) usage("Give either --server or --sim.");
const minutes = Number(opt("--minutes") ?? simMinutes ?? 30);
if (!Number.isFinite(minutes) || minutes < 2 || minutes > 24 * 60) usage("Minutes are between 2 and 1440.");

const plant = await loadPlantDir(dir);
const links = processLinks(plant.model.relationships);
if (links.length === 0) {
  console.log(`${plant.model.id}: the plant declares no process dynamics on its relationships; nothing to fit.`);
  process.exit(0);
}
const keys = [...new Set(links.flatMap((l) => [l.from, l.to]))];

const { records, from, to } = server ? await fromServer(server, keys) : fromSimulator(keys);

console.log(
  `${plant.model.id}: ${links.length} process links, ${Math.round((to - from) / 60_000)} min of history from ${server ?? "the simulator"}\n`,
);
const rows: string[][] = [["link", "declared K / τ / θ", "fitted K / τ / θ", "R²", "NRMSE", "verdict"]];
let failed = 0;
for (const l of links) {
  const u = holdOnGrid(records.get(l.from)!.ts, records.get(l.from)!.v, from, to, STEP_MS);
  const y = holdOnGrid(records.get(l.to)!.ts, records.get(l.to)!.v, from, to, STEP_MS);
  const first = Math.max(
    u.findIndex((x) => !Number.isNaN(x)),
    y.findIndex((x) => !Number.isNaN(x)),
  );
  const fit: LinkFit | null =
    first < 0
      ? null
      : fitLink(u.slice(first), y.slice(first), STEP_MS / 1000, l.kind, {
          // Less than 2 % of what the input can be set to is jitter, not a change to learn from.
          minInputSpan: 0.02 * (l.inputRange[1] - l.inputRange[0]),
        });
  if (!fit || fit.verdict === "no-excitation") failed++;
  rows.push([
    `${l.from} -> ${l.to}`,
    params(l.gain, l.timeConstant, l.deadTime, l.kind),
    fit && fit.verdict !== "no-excitation" ? params(fit.gain, fit.timeConstant, fit.deadTime, fit.kind) : "-",
    fit && fit.verdict !== "no-excitation" ? fit.r2.toFixed(3) : "-",
    fit && Number.isFinite(fit.nrmse) ? fit.nrmse.toFixed(3) : "-",
    !fit ? "no record" : fit.verdict === "no-excitation" ? "input never moved" : fit.verdict,
  ]);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join("  "));
console.log(
  "\nK: output units per input unit (per second for an integrator); τ, θ: seconds. R², NRMSE: a simulation of the " +
    "whole record from its first sample.\nA poor fit means the record is not explained by this link alone " +
    "(other inputs moved too, or the input hardly moved): keep the declared numbers or record a step test.",
);
process.exit(failed > 0 ? 1 : 0);

function params(k: number, tau: number, theta: number, kind: ProcessLink["kind"]): string {
  return `${k.toPrecision(3)} / ${kind === "integrator" ? "∫" : tau.toFixed(1)} / ${theta.toFixed(0)}`;
}

async function fromServer(base: string, wanted: string[]) {
  const token = opt("--token") ?? process.env["GEMBA_TOKEN"];
  const to = Date.now();
  const from = to - minutes * 60_000;
  const records = new Map<string, Record_>();
  for (const key of wanted) {
    const [twin, point] = key.split("/") as [string, string];
    const url = new URL(`/api/plants/${encodeURIComponent(plant.model.id)}/history`, base);
    url.search = new URLSearchParams({ twin, point, from: String(from), to: String(to), max: "5000" }).toString();
    const res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    if (!res.ok) usage(`${url.pathname}?twin=${twin}&point=${point}: HTTP ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { ts: number[]; v: number[] };
    records.set(key, { ts: body.ts, v: body.v });
  }
  return { records, from, to };
}

function fromSimulator(wanted: string[]) {
  const start = Date.UTC(2026, 0, 1);
  const sim = new PlantSimulator(plant.model, { seed: 1, startTime: start });
  const records = new Map<string, Record_>(wanted.map((k) => [k, { ts: [], v: [] }]));
  const end = start + minutes * 60_000;
  while (sim.now < end) {
    for (const s of sim.step()) {
      const r = records.get(`${s.twin}/${s.point}`);
      if (!r) continue;
      r.ts.push(s.ts);
      r.v.push(s.value);
    }
  }
  return { records, from: start, to: end };
}
