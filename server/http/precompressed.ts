/**
 * Serve the built client's precompressed siblings (`x.js.br`, `x.js.gz`, written at build time by
 * scripts/compress-client.ts) to browsers that accept them. A headset on plant Wi-Fi is the weakest client:
 * the JavaScript it loads shrinks about four-fold, and the server spends no CPU compressing per request.
 */
import fs from "node:fs";
import path from "node:path";
import type { RequestHandler } from "express";

const ENCODINGS = [
  { name: "br", ext: ".br" },
  { name: "gzip", ext: ".gz" },
] as const;

/** Which encodings a request accepts (q=0 means "not this one"). */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (q && Number(q.slice(2)) === 0) continue;
    out.add(name);
  }
  return out;
}

export function precompressed(dir: string): RequestHandler {
  const root = path.resolve(dir);
  // The build does not change while the server runs: look each file up once.
  const exists = new Map<string, boolean>();
  const has = (file: string) => {
    let e = exists.get(file);
    if (e === undefined) {
      e = fs.existsSync(file);
      if (exists.size < 10_000) exists.set(file, e);
    }
    return e;
  };
  return (req, res, next) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !req.path.startsWith("/assets/")) return next();
    let rel: string;
    try {
      rel = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    const file = path.resolve(root, `.${rel}`);
    if (!file.startsWith(root + path.sep)) return next();
    const accepted = acceptedEncodings(req.headers["accept-encoding"]);
    for (const enc of ENCODINGS) {
      if (!accepted.has(enc.name) || !has(file + enc.ext)) continue;
      res.setHeader("Content-Encoding", enc.name);
      res.setHeader("Vary", "Accept-Encoding");
      res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
      res.type(path.extname(file));
      return res.sendFile(file + enc.ext);
    }
    next();
  };
}
