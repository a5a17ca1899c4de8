import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config.ts";

describe("MAX_FUTURE_SECONDS and MAX_JOINS_PER_USER", () => {
  it("default to 5 s and 10 joins", () => {
    const c = loadConfig({});
    expect(c.maxFutureMs).toBe(5000);
    expect(c.maxJoinsPerUser).toBe(10);
  });

  it("take whole numbers", () => {
    const c = loadConfig({ MAX_FUTURE_SECONDS: "30", MAX_JOINS_PER_USER: "3" });
    expect(c.maxFutureMs).toBe(30_000);
    expect(c.maxJoinsPerUser).toBe(3);
  });

  it("refuse a bad value with one sentence", () => {
    expect(() => loadConfig({ MAX_FUTURE_SECONDS: "-1" })).toThrow(
      new ConfigError('MAX_FUTURE_SECONDS must be a whole number from 0 to 3600, got "-1".'),
    );
    expect(() => loadConfig({ MAX_JOINS_PER_USER: "0" })).toThrow(
      new ConfigError('MAX_JOINS_PER_USER must be a whole number from 1 to 1000, got "0".'),
    );
  });

  it("HANDOFF_CODE_SECONDS: 2 minutes by default, 30 s to an hour, else one sentence", () => {
    expect(loadConfig({}).handoffTtlMs).toBe(120_000);
    expect(loadConfig({ HANDOFF_CODE_SECONDS: "300" }).handoffTtlMs).toBe(300_000);
    expect(() => loadConfig({ HANDOFF_CODE_SECONDS: "10" })).toThrow(ConfigError);
    expect(() => loadConfig({ HANDOFF_CODE_SECONDS: "10" })).toThrow(/HANDOFF_CODE_SECONDS/);
  });
});
