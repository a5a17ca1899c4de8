/** WORK_ORDER_URL / WORK_ORDER_TOKEN: off unless set; bad values stop start-up with a sentence that never shows the secret. */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config.ts";

/** The sentence start-up would end with, or null when the settings load. */
function refusal(env: Record<string, string>): string | null {
  try {
    loadConfig(env);
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
}

describe("work-order hand-off settings", () => {
  it("is off unless WORK_ORDER_URL is set", () => {
    expect(loadConfig({}).workOrders).toBeNull();
  });

  it("takes an http(s) address and an optional bearer token, with the default backoff", () => {
    const c = loadConfig({ WORK_ORDER_URL: "https://cmms.plant.lan/api/orders", WORK_ORDER_TOKEN: "abc.DEF-123" });
    expect(c.workOrders).toEqual({
      url: "https://cmms.plant.lan/api/orders",
      token: "abc.DEF-123",
      retryBaseMs: 5000,
      retryMaxMs: 300_000,
      timeoutMs: 15_000,
    });
    expect(loadConfig({ WORK_ORDER_URL: "http://10.1.2.3:8080/wo" }).workOrders?.token).toBeNull();
  });

  it("refuses addresses that are not http(s), not addresses, or carry a password, with a sentence", () => {
    expect(refusal({ WORK_ORDER_URL: "cmms.plant.lan/orders" })).toBe(
      'WORK_ORDER_URL must be a full address like https://cmms.plant.lan/api/work-orders, got "cmms.plant.lan/orders".',
    );
    expect(refusal({ WORK_ORDER_URL: "ftp://cmms.plant.lan/orders" })).toBe(
      'WORK_ORDER_URL must start with http:// or https://, got "ftp:".',
    );
    const withPassword = refusal({ WORK_ORDER_URL: "https://svc:hunter2@cmms.plant.lan/orders" });
    expect(withPassword).toBe(
      "WORK_ORDER_URL must not carry a user name or password; put the secret in WORK_ORDER_TOKEN.",
    );
    expect(withPassword).not.toContain("hunter2");
    expect(refusal({ WORK_ORDER_URL: "https://cmms.plant.lan/orders#x" })).toMatch(/must not have a #fragment/);
  });

  it("refuses a token without an address, and a token that could break the header, without showing it", () => {
    expect(refusal({ WORK_ORDER_TOKEN: "s3cret" })).toBe(
      "WORK_ORDER_TOKEN is set but WORK_ORDER_URL is not; set both, or neither.",
    );
    const injected = refusal({
      WORK_ORDER_URL: "https://cmms.plant.lan/orders",
      WORK_ORDER_TOKEN: "s3cret\r\nX-Evil: 1",
    });
    expect(injected).toBe(
      "WORK_ORDER_TOKEN must be 1 to 4096 visible ASCII characters without spaces or line breaks (its value is not shown).",
    );
    expect(refusal({ WORK_ORDER_URL: "https://cmms.plant.lan/orders", WORK_ORDER_TOKEN: "two words" })).toMatch(
      /its value is not shown/,
    );
  });
});
