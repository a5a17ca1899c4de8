/**
 * Another account on the plant PC reads nothing of the server's: the data folder 0700, the journal (and its
 * -wal/-shm) and the signing key 0600; over HTTPS the TLS folder 0700 with its files 0600, and HSTS on every answer.
 */
import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type Harness } from "./harness.ts";

const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe("attack: another account on the machine reads the journal or the keys", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({ HTTPS: "on" });
  });
  afterAll(async () => h?.server.stop());

  it("the data folder is 0700; the journal, its -wal and -shm, and the signing key are 0600", () => {
    const dir = h.config.dataDir;
    expect(mode(dir)).toBe(0o700);
    for (const f of ["gemba.db", "gemba.db-wal", "gemba.db-shm", "dev-signing.key"]) {
      expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
      expect(mode(path.join(dir, f)), f).toBe(0o600);
    }
  });

  it("the TLS folder is 0700 and the CA and server keys are 0600", () => {
    const tls = path.join(h.config.dataDir, "tls");
    expect(mode(tls)).toBe(0o700);
    for (const f of fs.readdirSync(tls)) expect(mode(path.join(tls, f)), f).toBe(0o600);
    expect(fs.readdirSync(tls)).toEqual(expect.arrayContaining(["ca-key.pem", "server-key.pem"]));
  });
});

describe("attack: stripping HTTPS on the plant LAN", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({ HTTPS: "on" });
  });
  afterAll(async () => h?.server.stop());

  it("every HTTPS answer carries HSTS and the security headers", async () => {
    const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
      const req = https.get(
        {
          host: "127.0.0.1",
          port: h.server.port,
          path: "/healthz",
          ca: h.server.tls!.caCert!,
          servername: "localhost",
        },
        (res) => {
          res.resume();
          resolve(res.headers);
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error("no HTTPS answer in 10 s")));
      req.on("error", reject);
    });
    expect(headers["strict-transport-security"]).toBe("max-age=31536000");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
  });

  it("plain HTTP answers carry no HSTS (it would be ignored, and it is not ours to promise)", async () => {
    const plain = await startServer();
    try {
      const res = await fetch(`http://127.0.0.1:${plain.server.port}/healthz`);
      expect(res.headers.get("strict-transport-security")).toBeNull();
      expect(res.headers.get("x-frame-options")).toBe("DENY");
    } finally {
      await plain.server.stop();
    }
  });
});
