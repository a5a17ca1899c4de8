/**
 * Start the real server the way `npm start` does (tsx server/main.ts, embedded
 * broker, simulator on) on free ports, and stop it. Used by the browser tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface RunningServer {
  url: string;
  proc: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
  /** Kill -9: no shutdown handlers run (crash test). */
  kill(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, "..");

/**
 * A hang guard, not a performance bound: alone here the server is up in about 5 s, but with several browsers rendering
 * on the 2 shared cores (load average 25+) tsx's compile and the DTDL parser's WASM took over a minute.
 */
const START_GUARD_MS = 180_000;

export async function startAppServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const proc = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: ROOT,
    // A fresh journal per server unless the test brings one (restart tests do).
    env: {
      ...process.env,
      // Log lines in words, as a person at the terminal reads them (a test may ask for LOG_FORMAT=json).
      LOG_FORMAT: "pretty",
      PORT: "0",
      MQTT_PORT: "0",
      MQTT_URL: "",
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "gemba-e2e-")),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // A server that never said it was up must not outlive the test that gave up on it.
      proc.kill("SIGKILL");
      reject(new Error(`server did not start in ${START_GUARD_MS / 1000} s:\n${out}`));
    }, START_GUARD_MS);
    const onData = () => {
      const m = /Open (https?:\/\/[^\s/]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout.on("data", onData);
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    proc,
    output: () => out,
    kill: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill("SIGKILL");
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
        setTimeout(() => proc.kill("SIGKILL"), 5000).unref();
      }),
  };
}
