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
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${out}`)), 60_000);
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
