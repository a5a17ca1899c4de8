/**
 * The real server refuses to start on a damaged journal and says so in one
 * sentence, instead of answering /healthz "ok" while every join fails.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runMain as runServer } from "../../kit/runMain.ts";
import { describe, expect, it } from "vitest";

/** The embedded broker and the SQLite journal, whatever the machine's environment says. */
const runMain = (env: Record<string, string>) => runServer({ MQTT_URL: "", DATABASE_URL: "", ...env });

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
