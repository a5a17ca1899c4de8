/**
 * Run the server the way `npm start` does (`tsx server/main.ts`) with extra environment, and resolve with its exit
 * code and output once it exits: for tests of start-up refusals. Rejects if it is still running after `timeoutMs`.
 */
import { spawn } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

export function runMain(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
      cwd: ROOT,
      // Log lines in words, as a person at the terminal reads them (a test may ask for LOG_FORMAT=json).
      env: { ...process.env, LOG_FORMAT: "pretty", MQTT_PORT: "0", PORT: "0", SIM: "off", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const t = setTimeout(() => {
      p.kill("SIGKILL");
      reject(new Error(`still running after ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    p.on("exit", (code) => {
      clearTimeout(t);
      resolve({ code, out });
    });
  });
}
