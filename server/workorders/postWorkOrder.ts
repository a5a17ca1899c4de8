/**
 * One delivery attempt: POST the order's JSON to WORK_ORDER_URL. Accepted means a 2xx answer; a redirect is not
 * followed (the body would go to an address nobody configured); a failure comes back as a sentence a maintenance
 * planner can act on. The bearer token goes in the header only: no sentence made here contains it.
 */
import type { WorkOrderSettings } from "./workOrderConfig.ts";
import type { SendResult, WorkOrder } from "./WorkOrder.ts";

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: "connection refused (nothing is listening there)",
  ECONNRESET: "the connection was cut",
  ENOTFOUND: "the host name is not known",
  EAI_AGAIN: "the host name could not be looked up",
  EHOSTUNREACH: "the host cannot be reached",
  ENETUNREACH: "the network cannot be reached",
  ETIMEDOUT: "the connection timed out",
  UND_ERR_SOCKET: "the connection was cut",
  CERT_HAS_EXPIRED: "its certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "its certificate is self-signed and not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its certificate is not trusted",
};

/** A fetch failure in words: Node reports "fetch failed" and hides the reason in `cause`. */
export function describeFailure(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError" || err.name === "AbortError") return `no answer within ${timeoutMs / 1000} s`;
  const code = err.cause?.code;
  if (code && NETWORK_WORDS[code]) return NETWORK_WORDS[code];
  return (err.cause?.message ?? err.message ?? "the request failed").slice(0, 200);
}

export async function postWorkOrder(settings: WorkOrderSettings, o: WorkOrder): Promise<SendResult> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "idempotency-key": o.id,
    "user-agent": "Gemba work-order hand-off",
  };
  if (settings.token) headers["authorization"] = `Bearer ${settings.token}`;
  try {
    const res = await fetch(settings.url, {
      method: "POST",
      headers,
      body: o.payload,
      redirect: "manual",
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    // The body is not read: nothing the receiver says is needed, and none of it is echoed into logs.
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    if (res.status >= 300 && res.status < 400) {
      return {
        ok: false,
        error: `the receiver answered ${res.status}, a redirect; Gemba does not follow it (set WORK_ORDER_URL to the final address)`,
      };
    }
    return {
      ok: false,
      error: `the receiver answered HTTP ${res.status}${res.statusText ? ` ${res.statusText.slice(0, 60)}` : ""}`,
    };
  } catch (e) {
    return { ok: false, error: describeFailure(e, settings.timeoutMs) };
  }
}
