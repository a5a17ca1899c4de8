import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config.ts";

describe("cluster settings", () => {
  it("no REDIS_URL means one process: no Redis, no public address", () => {
    const c = loadConfig({});
    expect(c.redisUrl).toBeNull();
    expect(c.publicAddress).toBeNull();
  });

  it("takes a Redis URL (with a key prefix) and a public address with a path", () => {
    const c = loadConfig({
      REDIS_URL: "redis://10.0.0.5:6379/0?keyPrefix=site-a:",
      PUBLIC_ADDRESS: "gemba.plant.lan/n2",
    });
    expect(c.redisUrl).toBe("redis://10.0.0.5:6379/0?keyPrefix=site-a:");
    expect(c.publicAddress).toBe("gemba.plant.lan/n2");
  });

  it("refuses what would route clients nowhere, each with one sentence", () => {
    expect(() => loadConfig({ REDIS_URL: "10.0.0.5:6379" })).toThrow(/REDIS_URL must look like redis:\/\/host:6379/);
    expect(() => loadConfig({ REDIS_URL: "redis://r:6379", PUBLIC_ADDRESS: "ws://gemba.lan:2567" })).toThrow(
      /PUBLIC_ADDRESS must be host\[:port\]\[\/path\] without a scheme/,
    );
    expect(() => loadConfig({ PUBLIC_ADDRESS: "gemba.lan:2568" })).toThrow(ConfigError);
  });
});
