/**
 * The server's one logger (pino): JSON lines with a level, the time, and the request id or room and seat a line is
 * about, for plant IT's log collector; the same lines in plain words when a person watches the terminal (stdout is a
 * TTY, or LOG_FORMAT=pretty). The rest of the server logs with plain sentences through `LineLog`, as it always has:
 * this module turns a sentence into a structured line (its level from what it says, the ids it names into fields)
 * and makes sure no sign-in token, handoff ticket or bearer header reaches the log (issue #18, item 7).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";

/** A sentence to the log; `fields` add structure where the caller has it. */
export type LineLog = (message: string, fields?: Record<string, unknown>) => void;

export type LogFormat = "json" | "pretty";

/** What a line is about, carried across awaits of one HTTP request or upgrade (server/http/edgeGuard.ts sets it). */
const context = new AsyncLocalStorage<{ req: string }>();

/** Run `fn` (one HTTP request or WebSocket upgrade) with a fresh request id on every line it logs; returns the id. */
export function withRequestId(fn: (id: string) => void): void {
  const id = randomBytes(6).toString("base64url");
  context.run({ req: id }, () => fn(id));
}

/**
 * Anything that looks like a credential, in any sentence: JWTs (every sign-in token here is one), bearer headers,
 * the SDK's `_authToken` and Colyseus' `reconnectionToken` query parameters, handoff tickets and codes named as such.
 */
const SECRETS: [RegExp, string][] = [
  [/eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g, "[token]"],
  [/\b(Bearer)\s+\S+/gi, "$1 [token]"],
  [
    /\b(_authToken|reconnectionToken|access_token|id_token|refresh_token|code|ticket|token)=[^&\s"']+/gi,
    "$1=[redacted]",
  ],
  [/\b(handoff (?:code|ticket)|code|ticket)(\s*[:=]?\s*)\d{6}\b/gi, "$1$2[redacted]"],
];

export function scrub(message: string): string {
  let out = message;
  for (const [re, to] of SECRETS) out = out.replace(re, to);
  return out;
}

/** Field names that never carry their value into the log. */
const REDACT = [
  "token",
  "authorization",
  "code",
  "ticket",
  "*.token",
  "*.authorization",
  "*.code",
  "*.ticket",
  "headers.authorization",
  "headers.cookie",
];

type Level = "error" | "warn" | "info";

/** A sentence's level from its words: the server's sentences say what went wrong in the same few ways. */
export function levelOf(message: string): Level {
  if (/\b(unexpected|uncaught|unhandled|crash|bug)\b|^Gemba: /i.test(message)) return "error";
  if (
    /\b(refused|denied|could not|cannot|failed|kept the previous|readable by other users|lost|offline|closed .* for flooding|signed out|no connection|anyone who can reach)\b/i.test(
      message,
    )
  )
    return "warn";
  return "info";
}

/** Ids a sentence names ("room abc: … (seat xyz)") as fields, so a collector can follow one room or seat. */
function idsIn(message: string): Record<string, string> {
  const ids: Record<string, string> = {};
  const room = /^room ([\w-]+):/.exec(message);
  if (room) ids["room"] = room[1]!;
  const seat = /\bseat ([\w-]{6,})\b/.exec(message);
  if (seat && seat[1] !== "-") ids["seat"] = seat[1]!;
  return ids;
}

export interface ServerLog {
  /** The sentence logger the server's modules take. */
  line: LineLog;
  /** The pino logger itself (Colyseus' own messages go through it). */
  pino: Logger;
}

/** LOG_FORMAT when set; otherwise words for a person at a terminal, JSON for everything else. */
export function logFormat(env: NodeJS.ProcessEnv = process.env): LogFormat {
  const f = env["LOG_FORMAT"];
  if (f === "json" || f === "pretty") return f;
  return process.stdout.isTTY ? "pretty" : "json";
}

export function createServerLog(
  opts: { format?: LogFormat; level?: string; destination?: NodeJS.WritableStream } = {},
): ServerLog {
  const format = opts.format ?? logFormat();
  const options: pino.LoggerOptions = {
    level: opts.level ?? process.env["LOG_LEVEL"] ?? "info",
    base: { pid: process.pid },
    // Level names, not pino's numbers: what a collector's query and a person expect.
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT, censor: "[redacted]" },
    mixin: () => {
      const c = context.getStore();
      return c ? { req: c.req } : {};
    },
  };
  // Synchronous in both forms: start-up refusals are logged just before process.exit and must not be lost.
  const stream =
    format === "pretty"
      ? pretty({
          sync: true,
          colorize: process.stdout.isTTY === true && !opts.destination,
          ignore: "pid,hostname",
          translateTime: "SYS:HH:MM:ss",
          singleLine: true,
          ...(opts.destination ? { destination: opts.destination } : {}),
        })
      : (opts.destination ?? pino.destination({ dest: 1, sync: true }));
  const logger = pino(options, stream);
  const line: LineLog = (message, fields) => {
    const text = scrub(message);
    logger[levelOf(text)]({ ...idsIn(text), ...fields }, text);
  };
  return { line, pino: logger };
}
