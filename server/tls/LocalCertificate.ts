/**
 * HTTPS for the plant LAN. WebXR needs a secure context, and a headset reaches the
 * server by its LAN address, where plain HTTP is not secure. Either the operator
 * provides a certificate (TLS_CERT/TLS_KEY), or on first start we make a small local
 * certificate authority and a server certificate it signs for localhost and every
 * address of this machine. People trust the CA once; the server certificate is
 * re-issued (same CA, no re-trust) when the machine's addresses change or it nears expiry.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { generate } from "selfsigned";
import { privateDir } from "../auth/privateFiles.ts";

export interface TlsMaterial {
  key: string;
  cert: string;
  /** The certificate people install to trust this server (the local CA), or null for a provided certificate. */
  caCert: string | null;
  caFile: string | null;
  /** SHA-256 fingerprint of what to trust, for reading aloud over the phone. */
  fingerprint: string;
  /** Host names and addresses the server certificate is valid for. */
  names: string[];
  generated: boolean;
}

export class TlsError extends Error {
  override name = "TlsError";
}

const DAY = 24 * 3600 * 1000;
/** Chrome refuses server certificates valid for more than 398 days, even under a locally trusted CA on some platforms. */
const LEAF_DAYS = 397;
const CA_YEARS = 10;
/** Re-issue the server certificate this long before it expires. */
const RENEW_BEFORE = 30 * DAY;

/** Host names and IP addresses this machine answers on, for the certificate's subjectAltName. */
export function localNames(): string[] {
  const names = new Set(["localhost", "127.0.0.1", "::1", os.hostname()]);
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && !a.address.startsWith("fe80")) names.add(a.address);
  }
  return [...names].filter((n) => n.length > 0);
}

const isIp = (n: string) => /^[\d.]+$/.test(n) || n.includes(":");

function readProvided(certFile: string, keyFile: string): TlsMaterial {
  let cert: string, key: string;
  try {
    cert = fs.readFileSync(certFile, "utf8");
  } catch (e) {
    throw new TlsError(`Cannot read TLS_CERT ${certFile}: ${(e as Error).message}.`);
  }
  try {
    key = fs.readFileSync(keyFile, "utf8");
  } catch (e) {
    throw new TlsError(`Cannot read TLS_KEY ${keyFile}: ${(e as Error).message}.`);
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (e) {
    throw new TlsError(`TLS_CERT ${certFile} is not a PEM certificate: ${(e as Error).message}.`);
  }
  if (!x509.checkPrivateKey(createKey(key, keyFile))) {
    throw new TlsError(`TLS_KEY ${keyFile} does not belong to the certificate in TLS_CERT ${certFile}.`);
  }
  if (Date.parse(x509.validTo) < Date.now()) {
    throw new TlsError(`The certificate in TLS_CERT ${certFile} expired on ${x509.validTo}.`);
  }
  return {
    key,
    cert,
    caCert: null,
    caFile: null,
    fingerprint: x509.fingerprint256,
    names: sanNames(x509),
    generated: false,
  };
}

function createKey(pem: string, file: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (e) {
    throw new TlsError(`TLS_KEY ${file} is not a PEM private key: ${(e as Error).message}.`);
  }
}

function sanNames(x509: X509Certificate): string[] {
  return (x509.subjectAltName ?? "")
    .split(",")
    .map((s) => s.trim().replace(/^(DNS|IP Address):/, ""))
    .filter(Boolean);
}

function writePrivate(file: string, text: string): void {
  fs.writeFileSync(file, text, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

/*
 * No name constraints: `selfsigned` 5.5 builds extensions from a fixed list (basicConstraints, keyUsage,
 * extKeyUsage, subjectAltName) and drops any other with a warning, so a nameConstraints extension cannot be
 * expressed through it. What limits a stolen CA key instead: pathLenConstraint 0 (it signs no other CA), the key
 * 0600 in a 0700 folder, and each device trusting it deliberately (docs/SECURITY.md).
 */
async function makeCa(dir: string): Promise<{ key: string; cert: string }> {
  const now = new Date();
  const until = new Date(now.getTime() + CA_YEARS * 365 * DAY);
  const pems = await generate([{ name: "commonName", value: `Gemba local CA (${os.hostname()})` }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(now.getTime() - DAY),
    notAfterDate: until,
    extensions: [
      { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  writePrivate(path.join(dir, "ca-key.pem"), pems.private);
  writePrivate(path.join(dir, "gemba-local-ca.pem"), pems.cert);
  return { key: pems.private, cert: pems.cert };
}

async function makeLeaf(dir: string, ca: { key: string; cert: string }, names: string[]) {
  const now = new Date();
  const pems = await generate([{ name: "commonName", value: names.find((n) => !isIp(n)) ?? "localhost" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(now.getTime() - DAY),
    notAfterDate: new Date(now.getTime() + LEAF_DAYS * DAY),
    ca,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: names.map((n) => (isIp(n) ? { type: 7, ip: n } : { type: 2, value: n })),
      },
    ],
  });
  writePrivate(path.join(dir, "server-key.pem"), pems.private);
  writePrivate(path.join(dir, "server-cert.pem"), pems.cert);
  return { key: pems.private, cert: pems.cert };
}

/** The local CA and a server certificate for `names`, made or re-issued as needed, kept in `dir`. */
export async function localCertificate(dir: string, names: string[], log: (m: string) => void): Promise<TlsMaterial> {
  try {
    privateDir(dir);
    // Files from before the hardening may be world-readable: the keys are for the server's user only.
    for (const f of ["ca-key.pem", "gemba-local-ca.pem", "server-key.pem", "server-cert.pem"]) {
      if (fs.existsSync(path.join(dir, f))) fs.chmodSync(path.join(dir, f), 0o600);
    }
  } catch (e) {
    throw new TlsError(`Cannot create ${dir} for the local certificate: ${(e as Error).message}.`);
  }
  const caFile = path.join(dir, "gemba-local-ca.pem");
  const caKeyFile = path.join(dir, "ca-key.pem");
  let ca: { key: string; cert: string };
  let generated = false;
  if (fs.existsSync(caFile) && fs.existsSync(caKeyFile)) {
    ca = { key: fs.readFileSync(caKeyFile, "utf8"), cert: fs.readFileSync(caFile, "utf8") };
    if (Date.parse(new X509Certificate(ca.cert).validTo) - Date.now() < RENEW_BEFORE) {
      log("HTTPS: the local CA is about to expire; making a new one (devices must trust it again)");
      ca = await makeCa(dir);
      generated = true;
    }
  } else {
    ca = await makeCa(dir);
    generated = true;
  }
  const caX509 = new X509Certificate(ca.cert);
  const leafFile = path.join(dir, "server-cert.pem");
  const leafKeyFile = path.join(dir, "server-key.pem");
  let leaf: { key: string; cert: string } | null = null;
  if (!generated && fs.existsSync(leafFile) && fs.existsSync(leafKeyFile)) {
    const cert = fs.readFileSync(leafFile, "utf8");
    const x509 = new X509Certificate(cert);
    const covered = new Set(sanNames(x509));
    const fresh = Date.parse(x509.validTo) - Date.now() > RENEW_BEFORE;
    if (fresh && x509.verify(caX509.publicKey) && names.every((n) => covered.has(n))) {
      leaf = { cert, key: fs.readFileSync(leafKeyFile, "utf8") };
    }
  }
  if (!leaf) {
    leaf = await makeLeaf(dir, ca, names);
    log(`HTTPS: issued a server certificate for ${names.join(", ")}`);
  }
  return {
    key: leaf.key,
    cert: leaf.cert,
    caCert: ca.cert,
    caFile,
    fingerprint: caX509.fingerprint256,
    names,
    generated,
  };
}

/** TLS material for `HTTPS=on`: the provided certificate, or the local one. */
export async function loadTls(
  opts: { certFile: string | null; keyFile: string | null; dir: string },
  log: (m: string) => void,
): Promise<TlsMaterial> {
  if (opts.certFile && opts.keyFile) return readProvided(opts.certFile, opts.keyFile);
  return localCertificate(opts.dir, localNames(), log);
}
