/**
 * WORK_ORDER_URL and WORK_ORDER_TOKEN: where a closed incident is handed over as a work order (docs/TRAINING.md),
 * checked once at start-up. The one outbound flow Gemba has, so it is off unless set (docs/SECURITY.md). The token
 * is a secret: no sentence here, no log line and no reply ever contains it.
 */

export interface WorkOrderSettings {
  /** The receiver's address (http or https). */
  url: string;
  /** Sent as `Authorization: Bearer <token>`; null: no Authorization header. */
  token: string | null;
  /** Delay before the first retry (ms); doubled after each failed attempt up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long one POST may take before it counts as failed (ms). */
  timeoutMs: number;
}

/** First retry after 5 s, then 10, 20, ... up to 5 min: a receiver down for a night is tried a dozen times an hour. */
export const WORK_ORDER_RETRY_BASE_MS = 5_000;
export const WORK_ORDER_RETRY_MAX_MS = 5 * 60_000;
export const WORK_ORDER_TIMEOUT_MS = 15_000;

/** The settings, null when WORK_ORDER_URL is unset; throws an Error with one sentence for a bad value. */
export function parseWorkOrderEnv(env: NodeJS.ProcessEnv): WorkOrderSettings | null {
  const raw = env["WORK_ORDER_URL"]?.trim() ?? "";
  const tokenRaw = env["WORK_ORDER_TOKEN"] ?? "";
  if (!raw) {
    if (tokenRaw.trim()) throw new Error("WORK_ORDER_TOKEN is set but WORK_ORDER_URL is not; set both, or neither.");
    return null;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(
      `WORK_ORDER_URL must be a full address like https://cmms.plant.lan/api/work-orders, got "${raw.slice(0, 200)}".`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`WORK_ORDER_URL must start with http:// or https://, got "${url.protocol}".`);
  }
  // A password in the address would be printed wherever the address is; the token has its own variable.
  if (url.username || url.password) {
    throw new Error("WORK_ORDER_URL must not carry a user name or password; put the secret in WORK_ORDER_TOKEN.");
  }
  if (url.hash) throw new Error("WORK_ORDER_URL must not have a #fragment; a receiver never sees it.");
  const token = tokenRaw.trim() || null;
  // A line break would end the header and let the value write more of the request; the value is not echoed.
  if (token !== null && !/^[\x21-\x7e]{1,4096}$/.test(token)) {
    throw new Error(
      "WORK_ORDER_TOKEN must be 1 to 4096 visible ASCII characters without spaces or line breaks (its value is not shown).",
    );
  }
  return {
    url: url.toString(),
    token,
    retryBaseMs: WORK_ORDER_RETRY_BASE_MS,
    retryMaxMs: WORK_ORDER_RETRY_MAX_MS,
    timeoutMs: WORK_ORDER_TIMEOUT_MS,
  };
}
