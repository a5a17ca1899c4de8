/**
 * A page load fetches about 200 of the client's files. People behind one plant proxy share one address, so those
 * files must not spend the per-address budget that guards sign-in, the API and the database: at a budget of 30
 * requests a minute, 300 asset fetches from one address all pass while its API calls are cut off past 30.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useServerAndPublisher } from "./harness.ts";

const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-assets-"));
fs.mkdirSync(path.join(clientDir, "assets"));
fs.writeFileSync(path.join(clientDir, "index.html"), "<!doctype html><title>Gemba</title>");
fs.writeFileSync(path.join(clientDir, "assets", "app-abc.js"), "export {};\n");

const ctx = useServerAndPublisher({ CLIENT_DIR: clientDir, RATE_LIMIT_PER_MINUTE: "30" });
const get = (p: string) => fetch(`http://127.0.0.1:${ctx.h.server.port}${p}`).then((r) => r.status);

describe("the per-address request budget", () => {
  it("lets a shift's worth of page loads fetch the client's files, and still cuts off API calls past the budget", async () => {
    const assets: number[] = [];
    for (let i = 0; i < 10; i++)
      assets.push(...(await Promise.all(Array.from({ length: 30 }, () => get("/assets/app-abc.js")))));
    expect(assets.filter((s) => s !== 200)).toEqual([]);
    const api: number[] = [];
    for (let i = 0; i < 40; i++) api.push(await get("/api/plants"));
    expect(api.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
  });
});
