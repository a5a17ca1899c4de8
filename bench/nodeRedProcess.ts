/**
 * Node-RED for the comparison bench: installed once into bench/node-red (its own lock file, nothing global), started
 * from bench/node-red/flows.json with no editor and no telemetry, and measured from outside (CPU from /proc).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mqtt from "mqtt";
import WebSocket from "ws";
import { freePort } from "../kit/freePort.ts";
import { BROKER, ROOT } from "./common.ts";

const DIR = path.join(ROOT, "bench/node-red");
const RED = path.join(DIR, "node_modules/node-red/red.js");

/** Install Node-RED from bench/node-red/package-lock.json the first time the bench runs (about 20 s). */
export function ensureNodeRed(): string {
  if (!fs.existsSync(RED)) {
    console.log("Installing Node-RED into bench/node-red (first run only; from the npm registry) ...");
    const r = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--prefix", DIR], { stdio: "inherit" });
    if (r.status !== 0 || !fs.existsSync(RED))
      throw new Error(
        `Could not install Node-RED into ${DIR} (npm ci exited with ${r.status}); the bench needs the registry once.`,
      );
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(DIR, "node_modules/node-red/package.json"), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

export interface NodeRed {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Start Node-RED with the live-values flow subscribed to `filter`; resolves once a value goes all the way through. */
export async function startNodeRed(filter: string): Promise<NodeRed> {
  const port = await freePort();
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-bench-node-red-"));
  const flows = path.join(userDir, "flows.json");
  fs.copyFileSync(path.join(DIR, "flows.json"), flows);
  const broker = new URL(BROKER);
  const proc: ChildProcess = spawn(
    process.execPath,
    [RED, "--settings", path.join(DIR, "settings.cjs"), "--userDir", userDir, "--no-telemetry"],
    {
      cwd: userDir,
      env: {
        ...process.env,
        BENCH_NODE_RED_PORT: String(port),
        BENCH_NODE_RED_FLOWS: flows,
        BENCH_MQTT_HOST: broker.hostname,
        BENCH_MQTT_PORT: broker.port || "1883",
        BENCH_TOPIC: filter,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        fs.rmSync(userDir, { recursive: true, force: true });
        resolve();
      };
      if (proc.exitCode !== null || proc.signalCode !== null) return done();
      proc.once("exit", done);
      proc.kill("SIGTERM");
      setTimeout(() => proc.kill("SIGKILL"), 5000).unref();
    });
  const url = `ws://127.0.0.1:${port}/ws/values`;
  try {
    await throughTheFlow(url, filter, proc, () => out);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, pid: proc.pid!, stop };
}

/**
 * Wait until a probe value published on the broker reaches a WebSocket client: Node-RED is listening, connected to
 * the broker and subscribed. The probe carries ts 0, outside every measured window.
 */
async function throughTheFlow(url: string, filter: string, proc: ChildProcess, out: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  const exited = new Promise<never>((_, reject) =>
    proc.once("exit", (code) => reject(new Error(`Node-RED exited with ${code}:\n${out()}`))),
  );
  let ws: WebSocket | null = null;
  while (!ws) {
    if (Date.now() > deadline) throw new Error(`Node-RED did not listen on ${url} within 60 s:\n${out()}`);
    ws = await new Promise<WebSocket | null>((resolve) => {
      const s = new WebSocket(url);
      s.once("open", () => resolve(s));
      s.once("error", () => setTimeout(() => resolve(null), 200));
    });
  }
  const pub = await mqtt.connectAsync(BROKER, { reconnectPeriod: 0 });
  const topic = filter.replace("+/+", "probe/probe");
  const timer = setInterval(() => void pub.publishAsync(topic, JSON.stringify({ v: 0, ts: 0 })), 100);
  try {
    await Promise.race([
      exited,
      new Promise<void>((resolve) => ws.once("message", () => resolve())),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`No value came through Node-RED's flow within 60 s:\n${out()}`)),
          deadline - Date.now(),
        ).unref(),
      ),
    ]);
  } finally {
    clearInterval(timer);
    ws.close();
    await pub.endAsync(true);
  }
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux). */
export function processCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (1-based) in clock ticks.
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(f[11]) + Number(f[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}

/** Linux reports process times in USER_HZ, 100 on every mainstream kernel build. */
const CLOCK_TICKS = 100;
