/**
 * The last error handler: whatever went wrong (a body that is not JSON, a body too
 * large, a bug in a route), the caller gets one JSON sentence and a status, never
 * Express' HTML page with a stack trace and the server's folders in it. Bugs are
 * logged (throttled by the caller's log) and counted by reason.
 */
import type { ErrorRequestHandler } from "express";

export type ApiErrorReason = "bad-json" | "too-large" | "bad-encoding" | "bad-request" | "internal";

export interface ApiErrorCounters {
  byReason: Record<ApiErrorReason, number>;
}

/** body-parser (and http-errors) mark the error with `type` and `status`; anything else is a bug of ours. */
export function classify(err: unknown): { status: number; reason: ApiErrorReason; message: string } {
  const e = (err ?? {}) as { type?: unknown; status?: unknown; statusCode?: unknown };
  const type = typeof e.type === "string" ? e.type : "";
  const status = typeof e.status === "number" ? e.status : typeof e.statusCode === "number" ? e.statusCode : 500;
  if (type === "entity.parse.failed")
    return { status: 400, reason: "bad-json", message: "The request body is not valid JSON." };
  if (type === "entity.too.large")
    return { status: 413, reason: "too-large", message: "The request body is too large for this API." };
  if (type === "encoding.unsupported" || type === "charset.unsupported" || type === "request.aborted")
    return {
      status: 400,
      reason: "bad-encoding",
      message: "The request body could not be read (encoding or an aborted upload).",
    };
  if (status >= 400 && status < 500)
    return { status, reason: "bad-request", message: "The request could not be understood." };
  return { status: 500, reason: "internal", message: "The server could not answer that request; the fault is logged." };
}

export function apiErrorHandler(log: (m: string) => void, counters: ApiErrorCounters): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const c = classify(err);
    counters.byReason[c.reason]++;
    // The path is cut and stripped of control characters: it is the requester's text going into our log.
    const where = `${req.method} ${req.path.slice(0, 100).replace(/[^\x20-\x7e]/g, "?")}`;
    if (c.reason === "internal") log(`http: ${where} failed: ${(err as Error)?.message ?? String(err)}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(c.status).json({ error: c.message });
  };
}

export function newApiErrorCounters(): ApiErrorCounters {
  return { byReason: { "bad-json": 0, "too-large": 0, "bad-encoding": 0, "bad-request": 0, internal: 0 } };
}
