import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadTls, localCertificate } from "../../server/tls/LocalCertificate.ts";

const quiet = () => {};
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "gemba-tls-"));

describe("HTTPS certificates", () => {
  it("makes a local CA and a server certificate for the given names, and reuses them on the next start", async () => {
    const dir = tmp();
    const first = await localCertificate(dir, ["localhost", "127.0.0.1"], quiet);
    expect(first.generated).toBe(true);
    expect(fs.statSync(path.join(dir, "ca-key.pem")).mode & 0o777).toBe(0o600);
    const again = await localCertificate(dir, ["localhost", "127.0.0.1"], quiet);
    expect(again.generated).toBe(false);
    expect(again.cert).toBe(first.cert);
    // A new address: a new server certificate from the same CA (nothing to trust again).
    const moved = await localCertificate(dir, ["localhost", "127.0.0.1", "10.1.2.3"], quiet);
    expect(moved.cert).not.toBe(first.cert);
    expect(moved.fingerprint).toBe(first.fingerprint);
  });

  it("refuses a provided certificate that is missing, not PEM, or whose key does not match, with a sentence", async () => {
    const dir = tmp();
    const a = await localCertificate(path.join(dir, "a"), ["localhost"], quiet);
    const b = await localCertificate(path.join(dir, "b"), ["localhost"], quiet);
    const certFile = path.join(dir, "a", "server-cert.pem");
    const otherKey = path.join(dir, "b", "server-key.pem");
    const junk = path.join(dir, "junk.pem");
    fs.writeFileSync(junk, "not a certificate");
    expect(a.cert).not.toBe(b.cert);
    await expect(loadTls({ certFile: path.join(dir, "nope.pem"), keyFile: otherKey, dir }, quiet)).rejects.toThrow(
      /Cannot read TLS_CERT/,
    );
    await expect(loadTls({ certFile: junk, keyFile: otherKey, dir }, quiet)).rejects.toThrow(/not a PEM certificate/);
    await expect(loadTls({ certFile, keyFile: junk, dir }, quiet)).rejects.toThrow(/not a PEM private key/);
    await expect(loadTls({ certFile, keyFile: otherKey, dir }, quiet)).rejects.toThrow(/does not belong/);
  });
});
