/**
 * Start Gemba server processes that form one cluster: each on its own port with
 * PUBLIC_ADDRESS set, all sharing REDIS_URL and the plant broker. Each process
 * has its own DATA_DIR (its own SQLite journal, SQLite wanting one writer, unless
 * DATABASE_URL puts one shared journal in PostgreSQL), and they all
 * share one development signing key, so a sign-in token from any process opens
 * a room on any process. Used by `npm run start:cluster` and bench/load.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

export interface ClusterNode {
  index: number;
  port: number;
  url: string;
  proc: ChildProcess;
  output: () => string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

/** The development signing key every process of the cluster uses (created once, 0600). */
export function ensureSharedDevKey(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "dev-signing.key");
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString("base64url") + "\n", { mode: 0o600 });
  return fs.readFileSync(file, "utf8");
}

export interface NodeOptions {
  index: number;
  port: number;
  /** host[:port][/path] where clients reach this process's rooms. */
  publicAddress: string;
  dataDir: string;
  devKey: string;
  /** Environment for the process (REDIS_URL, MQTT_URL, …); PORT, PUBLIC_ADDRESS and DATA_DIR are set from the fields above. */
  env: Record<string, string | undefined>;
  /** Every line the process prints, e.g. to forward with a prefix. */
  onLine?: (line: string) => void;
}

function gone(proc: ChildProcess): boolean {
  return proc.exitCode !== null || proc.signalCode !== null;
}

export async function startNode(o: NodeOptions): Promise<ClusterNode> {
  fs.mkdirSync(o.dataDir, { recursive: true });
  const keyFile = path.join(o.dataDir, "dev-signing.key");
  fs.writeFileSync(keyFile, o.devKey, { mode: 0o600 });
  const proc = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: ROOT,
    // Log lines in words: they are forwarded to a person's terminal (and read by tests) line by line.
    env: { LOG_FORMAT: "pretty", ...o.env, PORT: String(o.port), PUBLIC_ADDRESS: o.publicAddress, DATA_DIR: o.dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let partial = "";
  const onData = (d: Buffer) => {
    const s = d.toString();
    out = (out + s).slice(-200_000);
    partial += s;
    const lines = partial.split("\n");
    partial = lines.pop()!;
    for (const l of lines) if (l.trim()) o.onLine?.(l);
  };
  proc.stdout.on("data", onData);
  proc.stderr.on("data", onData);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`process ${o.index} did not start in 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = /Open (https?:\/\/[^\s/]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        proc.stdout.off("data", check);
        resolve(m[1]!);
      }
    };
    proc.stdout.on("data", check);
    proc.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`process ${o.index} exited (${signal ?? code}) during start-up:\n${out}`));
    });
  });
  return {
    index: o.index,
    port: o.port,
    url,
    proc,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (gone(proc)) return resolve();
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
        setTimeout(() => {
          if (!gone(proc)) proc.kill("SIGKILL");
        }, 5000).unref();
      }),
  };
}
