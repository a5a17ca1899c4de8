/**
 * The real server refuses to start on a damaged journal and says so in one
 * sentence, instead of answering /healthz "ok" while every join fails.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

function runMain(env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
      cwd: ROOT,
      env: { ...process.env, MQTT_PORT: "0", PORT: "0", SIM: "off", MQTT_URL: "", DATABASE_URL: "", ...env },
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

describe("start-up on a damaged journal", () => {
  it("a journal overwritten with other bytes stops start-up with the file, the damage and how to restore", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-damaged-"));
    const file = path.join(dir, "gemba.db");
    fs.writeFileSync(file, Buffer.alloc(8192, 0x41));
    try {
      const r = await runMain({ DATA_DIR: dir });
      expect(r.code).toBe(1);
      expect(r.out).toContain(
        `Gemba: Cannot start: The journal ${file} is not a SQLite database (its first bytes are not the SQLite header)`,
      );
      expect(r.out).toContain(`restore ${file} from your latest backup`);
      expect(r.out).not.toContain("Open http");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
