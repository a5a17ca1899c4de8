/**
 * Shared pieces of the benches: machine facts, the in-process server, the
 * demo plant's points as publishable samples, child processes with a small IPC
 * protocol, clock alignment between processes, percentiles and result files.
 * Every number a bench reports sits beside a baseline measured in the same run.
 */
import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { matchMaker } from "@colyseus/core";
import { PLANT_ROOM } from "../shared/protocol.ts";
import { loadConfig } from "../server/config.ts";
import { startGemba, type GembaServer } from "../server/app.ts";
import { loadPlantDir } from "../server/plant/loadPlant.ts";
import { nowMs, round } from "./childSide.ts";
import type { LatencyStats } from "./clients.ts";

export { nowMs, round, percentile, mqttPublishBytes, loadMeter, type Load } from "./childSide.ts";

export const BROKER = process.env["BENCH_MQTT_URL"] ?? "mqtt://127.0.0.1:1883";
const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, "..");
export const RESULTS_DIR = path.join(here, "results");

/** A numeric command-line option `--name N`, or `fallback`. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** A comma-separated numeric option `--name 1,10,100`, or `fallback`. */
export function numberListArg(name: string, fallback: number[]): number[] {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]!.split(",").map(Number) : fallback;
}

/** What each counter gained since `before` (the ones that moved). */
export function countersSince(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d) out[k] = d;
  }
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAvg1mAtStart: Math.round(os.loadavg()[0]! * 100) / 100,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
  };
}

/** A topic prefix no other run (or test) shares. Use 3-letter tags so prefixes of different runs have the same length. */
export function uniquePrefix(tag: string): string {
  return `bench-${tag}-${randomUUID().slice(0, 8)}/`;
}

/** The plant room this process hosts (benches run the server in-process), or null before anyone joined. */
export async function localPlantRoom<T>(): Promise<T | null> {
  const [room] = await matchMaker.query({ name: PLANT_ROOM });
  return room ? (matchMaker.getLocalRoomById(room.roomId) as unknown as T) : null;
}

export interface BenchServer {
  server: GembaServer;
  prefix: string;
  endpoint: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const prefix = uniquePrefix("srv");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-bench-"));
  const config = loadConfig(
    {
      PORT: "0",
      MQTT_PORT: "0",
      MQTT_URL: BROKER,
      MQTT_TOPIC_PREFIX: prefix,
      SIM: "off",
      DATA_DIR: dataDir,
      ...env,
    },
    ROOT,
  );
  const server = await startGemba(config, { log: () => {} });
  return {
    server,
    prefix,
    endpoint: `ws://127.0.0.1:${server.port}`,
    dataDir,
    stop: async () => {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One publishable point: its topic suffix and a value range that stays inside the point's warning limits. */
export interface PointSpec {
  /** "<twin>/<point>", appended to "<prefix>gemba/demo/". */
  key: string;
  base: number;
  amplitude: number;
  decimals: number;
}

/**
 * The demo plant's points. Values stay inside the warning band so the bench
 * measures the data path, not alarm churn (alarms write to the journal).
 */
export async function demoPoints(): Promise<PointSpec[]> {
  return plantPoints(path.join(ROOT, "assets/plants/demo"));
}

/** The points of the plant in `plantDir` (e.g. a scaled copy from bench/scaledPlant.ts), as for the demo. */
export async function plantPoints(plantDir: string): Promise<PointSpec[]> {
  const plant = await loadPlantDir(plantDir);
  const types = new Map(plant.model.types.map((t) => [t.id, t]));
  const out: PointSpec[] = [];
  for (const tw of plant.model.twins) {
    for (const def of types.get(tw.type)?.points ?? []) {
      const l = def.limits ?? {};
      const lo = l.lowWarning ?? l.lowAlarm;
      const hi = l.highWarning ?? l.highAlarm;
      let base = 10;
      let amplitude = 2;
      if (def.states) {
        base = Number(Object.keys(def.states)[1] ?? Object.keys(def.states)[0] ?? 0);
        amplitude = 0;
      } else if (lo !== undefined && hi !== undefined) {
        base = (lo + hi) / 2;
        amplitude = (hi - lo) / 4;
      } else if (hi !== undefined) {
        base = hi - 1 - Math.abs(hi) / 2;
        amplitude = 0.5;
      } else if (lo !== undefined) {
        base = lo + 1 + Math.abs(lo) / 2;
        amplitude = 0.5;
      }
      out.push({ key: `${tw.id}/${def.name}`, base, amplitude, decimals: def.decimals });
    }
  }
  return out;
}

/** Latency stats moved by a clock correction (ms), e.g. a child's offset from the publisher's clock. */
export function shift(s: LatencyStats, by: number): LatencyStats {
  const f = (x: number) => round(x + by, 3);
  return {
    count: s.count,
    meanMs: f(s.meanMs),
    p50Ms: f(s.p50Ms),
    p95Ms: f(s.p95Ms),
    p99Ms: f(s.p99Ms),
    p999Ms: f(s.p999Ms),
    maxMs: f(s.maxMs),
  };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

// ---------------------------------------------------------------------------
// Child processes. Messages are plain objects with a `type`; the parent awaits
// a reply of a given type. A child that exits early rejects every wait.

export interface Child {
  proc: ChildProcess;
  send(msg: object): void;
  next<T extends { type: string }>(type: T["type"], timeoutMs?: number): Promise<T>;
  /** Offset (child clock − parent clock) in ms, estimated by IPC ping-pong; `rttMs` bounds its error. */
  clockOffset(): Promise<{ offsetMs: number; rttMs: number }>;
  stop(): Promise<void>;
}

export function spawnChild(script: string): Child {
  const proc = fork(path.join(here, script), [], {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const inbox: { type: string }[] = [];
  const waiters: { type: string; resolve: (m: { type: string }) => void; reject: (e: Error) => void }[] = [];
  let exited: Error | null = null;
  proc.on("message", (raw) => {
    const m = raw as { type: string };
    const w = waiters.findIndex((x) => x.type === m.type);
    if (w >= 0) waiters.splice(w, 1)[0]!.resolve(m);
    else inbox.push(m);
  });
  proc.on("exit", (code) => {
    exited = new Error(`bench child ${script} exited with code ${code}`);
    for (const w of waiters.splice(0)) w.reject(exited);
  });
  const next = <T extends { type: string }>(type: T["type"], timeoutMs = 60_000): Promise<T> => {
    const i = inbox.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0] as T);
    if (exited) return Promise.reject(exited);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for "${type}" from ${script}`)), timeoutMs);
      waiters.push({
        type,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  };
  const send = (msg: object) => {
    if (proc.connected) proc.send(msg);
  };
  return {
    proc,
    send,
    next,
    async clockOffset() {
      let best = { offsetMs: 0, rttMs: Infinity };
      for (let i = 0; i < 15; i++) {
        const t0 = nowMs();
        send({ type: "clock" });
        const { t } = await next<{ type: "clock"; t: number }>("clock", 5000);
        const t1 = nowMs();
        if (t1 - t0 < best.rttMs) best = { offsetMs: t - (t0 + t1) / 2, rttMs: t1 - t0 };
      }
      return { offsetMs: round(best.offsetMs, 3), rttMs: round(best.rttMs, 3) };
    },
    async stop() {
      if (proc.exitCode !== null) return;
      const gone = new Promise<void>((r) => proc.once("exit", () => r()));
      send({ type: "exit" });
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------------------
// Output

export function printTable(title: string, rows: Record<string, string | number>[]): void {
  console.log(`\n${title}`);
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  const cell = (v: string | number | undefined) => (v === undefined ? "" : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => "| " + vals.map((v, i) => v.padEnd(widths[i]!)).join(" | ") + " |";
  console.log(line(cols));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));
}

export function writeResult(name: string, data: object): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(data, null, 2) + "\n");
  fs.renameSync(tmp, file);
  return path.relative(ROOT, file);
}
