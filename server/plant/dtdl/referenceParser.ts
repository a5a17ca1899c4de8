/**
 * Microsoft's reference DTDL parser (DTDLParser, as WebAssembly in @digicatapult/dtdl-parser),
 * run in a worker thread: its .NET runtime holds ~100 MB while it lives, so the worker is
 * ended once it has been idle for a few seconds and start-up does not carry it afterwards.
 * One worker serves back-to-back loads (tests, plant:check of several plants).
 */
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { DtdlObjectModel, ModelingException, ParsingError, ResolutionException } from "@digicatapult/dtdl-parser";

export type ParserVerdict =
  | { kind: "model"; model: DtdlObjectModel }
  | { kind: "parsing"; errors: ParsingError[] }
  | { kind: "resolution"; exception: ResolutionException };

const IDLE_MS = 3000;

/** The parser's package version: part of the cache key, so an upgrade re-checks every plant. */
const PARSER_ENTRY = import.meta.resolve("@digicatapult/dtdl-parser");
export const PARSER_PACKAGE_VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", PARSER_ENTRY), "utf8")) as { version: string }
).version;

// Plain JavaScript evaluated in the worker (a .ts worker file would need the tsx loader there too).
const WORKER_CODE = `
const { parentPort, workerData } = require("node:worker_threads");
import(workerData.entry).then(async (m) => {
  const parser = await m.getInterop();
  parentPort.on("message", ({ id, json }) => {
    try {
      parentPort.postMessage({ id, ok: true, out: parser.parse(json) });
    } catch (e) {
      parentPort.postMessage({ id, ok: false, out: e instanceof Error ? e.message : String(e) });
    }
  });
  parentPort.postMessage({ ready: true });
}, (e) => parentPort.postMessage({ failed: String(e && e.stack || e) }));
`;

interface Pending {
  resolve: (v: ParserVerdict) => void;
  reject: (e: Error) => void;
}

let worker: { w: Worker; ready: Promise<void> } | null = null;
const pending = new Map<number, Pending>();
let nextId = 1;
let idleTimer: ReturnType<typeof setTimeout> | null = null;

function startWorker(): { w: Worker; ready: Promise<void> } {
  const w = new Worker(WORKER_CODE, { eval: true, workerData: { entry: PARSER_ENTRY } });
  const ready = new Promise<void>((resolve, reject) => {
    w.on("message", (m: { ready?: true; failed?: string; id?: number; ok?: boolean; out?: string }) => {
      if (m.ready) return resolve();
      if (m.failed) return reject(new Error(`the DTDL parser did not start: ${m.failed}`));
      const p = pending.get(m.id!);
      if (!p) return;
      pending.delete(m.id!);
      settle(p, m.ok === true, m.out ?? "");
      if (pending.size === 0) idle();
    });
  });
  const fail = (e: Error) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    if (worker?.w === w) worker = null;
  };
  w.on("error", fail);
  w.on("exit", (code) => fail(new Error(`the DTDL parser stopped (exit ${code})`)));
  return { w, ready };
}

function settle(p: Pending, ok: boolean, out: string): void {
  if (ok) return p.resolve({ kind: "model", model: JSON.parse(out) as DtdlObjectModel });
  try {
    const ex = JSON.parse(out) as ModelingException;
    if (ex.ExceptionKind === "Parsing") return p.resolve({ kind: "parsing", errors: ex.Errors });
    if (ex.ExceptionKind === "Resolution") return p.resolve({ kind: "resolution", exception: ex });
  } catch {
    // not a modelling verdict: fall through
  }
  p.reject(new Error(`the DTDL parser failed: ${out.slice(0, 500)}`));
}

function idle(): void {
  // Let the process exit while the worker waits, and end it if nothing comes.
  worker?.w.unref();
  idleTimer = setTimeout(() => {
    idleTimer = null;
    const w = worker?.w;
    worker = null;
    void w?.terminate();
  }, IDLE_MS);
  idleTimer.unref();
}

/** Parse DTDL documents (a JSON array of them) with the reference parser. */
export async function parseWithReferenceParser(json: string): Promise<ParserVerdict> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  worker ??= startWorker();
  const current = worker;
  current.w.ref();
  try {
    await current.ready;
  } catch (e) {
    if (worker === current) worker = null;
    void current.w.terminate();
    throw e;
  }
  const id = nextId++;
  return new Promise<ParserVerdict>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    current.w.postMessage({ id, json });
  });
}
