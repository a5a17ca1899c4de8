/**
 * The built client is served precompressed to browsers that accept it (a headset on plant Wi-Fi loads a quarter of
 * the bytes), byte-identical once decoded, and as-is to those that do not; nothing outside the client folder leaks.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type Harness } from "./harness.ts";
import { acceptedEncodings } from "../../server/http/precompressed.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-client-"));
const js = `export const plant = ${JSON.stringify(Array.from({ length: 2000 }, (_, i) => `point-${i}`))};\n`;
let h: Harness;
beforeAll(async () => {
  fs.mkdirSync(path.join(dir, "assets"));
  fs.writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>Gemba</title>");
  fs.writeFileSync(path.join(dir, "assets", "app-1234.js"), js);
  execFileSync(process.execPath, ["--import", "tsx", "scripts/compress-client.ts", dir]);
  h = await startServer({ CLIENT_DIR: dir });
});
afterAll(async () => {
  await h?.server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A raw GET (fetch would decode the body and hide the encoding). */
function get(
  p: string,
  acceptEncoding?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: h.server.port,
        path: p,
        headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("the web client, precompressed", () => {
  it("a browser that accepts brotli gets the .br file, marked as JavaScript, cacheable, identical once decoded", async () => {
    const r = await get("/assets/app-1234.js", "gzip, deflate, br");
    expect(r.status).toBe(200);
    expect(r.headers["content-encoding"]).toBe("br");
    expect(r.headers["vary"]).toBe("Accept-Encoding");
    expect(String(r.headers["content-type"])).toMatch(/javascript/);
    expect(String(r.headers["cache-control"])).toContain("immutable");
    expect(r.body.byteLength).toBeLessThan(js.length / 3);
    expect(zlib.brotliDecompressSync(r.body).toString()).toBe(js);
  });

  it("gzip only: the .gz file; no compression accepted (or q=0): the file as it is", async () => {
    const gz = await get("/assets/app-1234.js", "gzip");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gz.body).toString()).toBe(js);
    for (const accept of [undefined, "identity", "br;q=0, gzip;q=0"]) {
      const plain = await get("/assets/app-1234.js", accept);
      expect(plain.headers["content-encoding"], String(accept)).toBeUndefined();
      expect(plain.body.toString()).toBe(js);
    }
  });

  it("a path that climbs out of the client folder is not served compressed or otherwise", async () => {
    for (const p of ["/assets/../../package.json", "/assets/%2e%2e/%2e%2e/package.json", "/assets/%E0%A4%A.js"]) {
      const r = await get(p, "br, gzip");
      expect(r.headers["content-encoding"], p).toBeUndefined();
      expect(r.body.toString(), p).not.toContain('"name": "gemba"');
    }
  });

  it("reads Accept-Encoding as browsers send it", () => {
    expect([...acceptedEncodings("gzip, deflate, br, zstd")]).toEqual(["gzip", "deflate", "br", "zstd"]);
    expect([...acceptedEncodings("br;q=0, gzip;q=0.8")]).toEqual(["gzip"]);
    expect([...acceptedEncodings(undefined)]).toEqual([]);
  });
});
