/**
 * The first thing every HTTP request and WebSocket upgrade meets, before
 * Colyseus, Express, a token or the database: find the requester's address
 * (requesterAddress.ts), check the Host and Origin (hostAllowList.ts), and spend
 * from the address's budgets (sourceLimits.ts). A refusal here costs a map
 * lookup and a short answer. The address found replaces any forwarding headers,
 * so Colyseus' `context.ip` (room joins) is the same address.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket, WebSocketServer } from "ws";
import { withRequestId } from "../log.ts";
import { rememberRequester, resolveRequester, type TrustProxy } from "./requesterAddress.ts";
import type { HostAllowList } from "./hostAllowList.ts";
import { coolDownKey, type SourceLimits, type LimitVerdict } from "./sourceLimits.ts";

export type EdgeRefusal = "host" | "origin" | "rate-limited" | "refusals" | "cool-down" | "limiter-error";

export interface EdgeDeps {
  hosts: HostAllowList;
  limits: SourceLimits;
  trustProxy: TrustProxy;
  log: (m: string) => void;
}

const LIMIT_TEXT: Record<"rate-limited" | "refusals" | "cool-down", string> = {
  "rate-limited": "Too many requests from your address; wait a moment and try again.",
  refusals: "Too many refused sign-ins from your address; wait a minute before trying again.",
  "cool-down": "Your connection was closed for sending too fast; wait before joining again.",
};

export class EdgeGuard {
  readonly refused: Record<EdgeRefusal, number> = {
    host: 0,
    origin: 0,
    "rate-limited": 0,
    refusals: 0,
    "cool-down": 0,
    "limiter-error": 0,
  };

  constructor(private readonly deps: EdgeDeps) {}

  /**
   * Put the guard in front of every `request` and `upgrade` listener already on `server` (Colyseus adds its own
   * in listen(), so call this right after listening), and note which addresses a room closed for flooding.
   */
  install(server: Server, wss: WebSocketServer | null): void {
    for (const event of ["request", "upgrade"] as const) {
      const inner = server.listeners(event) as ((...a: unknown[]) => void)[];
      // Installed too early, the guard would answer nothing and Colyseus' own listener would run unguarded.
      if (inner.length === 0) throw new Error(`the edge guard was installed before anything listens for "${event}"`);
      server.removeAllListeners(event);
      server.on(event, (req: IncomingMessage, second: ServerResponse | Duplex, head?: Buffer) =>
        // Every line logged for this request or upgrade carries its id (server/log.ts); the answer names it too.
        withRequestId((id) => {
          if (event === "request") (second as ServerResponse).setHeader("X-Request-Id", id);
          this.handle(event, inner, server, req, second, head);
        }),
      );
    }
    wss?.on("connection", (ws: WebSocket, req: IncomingMessage) => {
      // Colyseus closes a flooding connection with 4429 (CloseCode.FLOODING); its address then waits out a cool-down.
      const close = ws.close.bind(ws);
      const key = joinKeyOf(req, true);
      ws.close = (code?: number, reason?: string | Buffer) => {
        if (code === 4429 && key) this.deps.limits.flooded(key);
        close(code, reason);
      };
    });
  }

  private handle(
    event: "request" | "upgrade",
    inner: ((...a: unknown[]) => void)[],
    server: Server,
    req: IncomingMessage,
    second: ServerResponse | Duplex,
    head?: Buffer,
  ): void {
    this.admit(req, event === "upgrade")
      .then((refusal) => {
        if (refusal) {
          return event === "request"
            ? answer(second as ServerResponse, refusal)
            : answerUpgrade(second as Duplex, refusal);
        }
        for (const l of inner) l.call(server, req, second, head);
      })
      .catch((e: unknown) => {
        // Never an unhandled rejection from the edge: say it once (throttled) and drop this one request.
        this.deps.log(`http: edge failed on ${event}: ${(e as Error).message}`);
        (second as Duplex).destroy();
      });
  }

  /** null to let the request through, or the refusal to send. */
  async admit(req: IncomingMessage, upgrade = false): Promise<Refusal | null> {
    const from = resolveRequester(req.socket.remoteAddress, req.headers["x-forwarded-for"], this.deps.trustProxy);
    rememberRequester(req, from);
    // Colyseus reads x-real-ip, then x-forwarded-for, then x-client-ip: leave it only the address found here.
    delete req.headers["x-forwarded-for"];
    delete req.headers["x-client-ip"];
    req.headers["x-real-ip"] = from;
    const origin = typeof req.headers.origin === "string" ? req.headers.origin : undefined;
    const h = this.deps.hosts.check(req.headers.host, origin);
    if (!h.ok) {
      this.refused[h.reason]++;
      this.deps.log(
        `http: refused ${h.reason} "${String(h.reason === "host" ? req.headers.host : origin).slice(0, 100)}" from ${from}`,
      );
      return { status: h.status, message: h.message, retryAfterS: 0 };
    }
    if (!upgrade && isClientAsset(req)) return null;
    let v: LimitVerdict;
    try {
      v = await this.deps.limits.request(from, joinKeyOf(req, upgrade));
    } catch (e) {
      // A limiter that cannot answer (Redis away, no insurance) must not take the plant view down: let it pass, say so.
      this.refused["limiter-error"]++;
      this.deps.log(`http: rate limiter unavailable: ${(e as Error).message}`);
      return null;
    }
    if (v.ok) return null;
    this.refused[v.reason]++;
    this.deps.log(`http: refused ${req.method ?? "?"} from ${from}: ${v.reason}`);
    return { status: 429, message: LIMIT_TEXT[v.reason], retryAfterS: v.retryAfterS };
  }
}

export interface Refusal {
  status: number;
  message: string;
  retryAfterS: number;
}

/**
 * The built client's hashed files (GET /assets/...): immutable, served from disk with no token or database work.
 * One page load fetches about 200 of them, so counting them would let twenty people behind one plant proxy (one
 * address) opening Gemba at shift start exhaust the budget that protects sign-in and the database.
 */
function isClientAsset(req: IncomingMessage): boolean {
  return (req.method === "GET" || req.method === "HEAD") && (req.url ?? "").startsWith("/assets/");
}

/** The cool-down key of a room join (the matchmaker call, or the WebSocket that takes the seat); null for anything else. */
function joinKeyOf(req: IncomingMessage, upgrade: boolean): string | null {
  const address = typeof req.headers["x-real-ip"] === "string" ? req.headers["x-real-ip"] : "unknown";
  if (upgrade) {
    // The SDK puts the sign-in token in the WebSocket URL (`_authToken`): browsers cannot set headers on it.
    const q = (req.url ?? "").indexOf("?");
    const token = q < 0 ? null : new URLSearchParams((req.url ?? "").slice(q + 1)).get("_authToken");
    return coolDownKey(address, token);
  }
  if (!(req.url ?? "").startsWith("/matchmake/")) return null;
  const m = /^Bearer\s+(\S{1,8192})$/i.exec(req.headers.authorization ?? "");
  return coolDownKey(address, m?.[1] ?? null);
}

function answer(res: ServerResponse, r: Refusal): void {
  const body = JSON.stringify({ error: r.message });
  const headers: Record<string, string | number> = {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  };
  if (r.retryAfterS) headers["retry-after"] = r.retryAfterS;
  // 421 and 429 close the connection: a client re-using it for the next request would only be refused again.
  res.shouldKeepAlive = false;
  res.writeHead(r.status, headers).end(body);
}

function answerUpgrade(socket: Duplex, r: Refusal): void {
  const body = JSON.stringify({ error: r.message });
  const reason = r.status === 421 ? "Misdirected Request" : r.status === 403 ? "Forbidden" : "Too Many Requests";
  socket.end(
    `HTTP/1.1 ${r.status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      (r.retryAfterS ? `Retry-After: ${r.retryAfterS}\r\n` : "") +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
