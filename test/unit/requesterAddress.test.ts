import { describe, expect, it } from "vitest";
import { resolveRequester } from "../../server/http/requesterAddress.ts";
import { loadConfig } from "../../server/config.ts";

describe("attack: a forged X-Forwarded-For to dodge per-address limits", () => {
  it("is ignored unless TRUST_PROXY is set: the socket's address counts", () => {
    expect(resolveRequester("::ffff:10.0.0.9", "1.2.3.4", null)).toBe("10.0.0.9");
    expect(loadConfig({}).edge.trustProxy).toBeNull();
  });

  it("behind N proxies, the address N hops from the right; extra hops the client wrote are ignored", () => {
    expect(resolveRequester("10.0.0.2", "6.6.6.6, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(resolveRequester("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.3", 2)).toBe("203.0.113.7");
    expect(resolveRequester("10.0.0.2", undefined, 1)).toBe("10.0.0.2");
  });

  it("with a list of proxies, only they may speak for someone else", () => {
    const proxies = ["10.0.0.2", "10.0.0.3"];
    expect(resolveRequester("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.3", proxies)).toBe("203.0.113.7");
    // A request straight from the internet with its own header: the header is not believed.
    expect(resolveRequester("198.51.100.9", "10.0.0.2", proxies)).toBe("198.51.100.9");
  });

  it("TRUST_PROXY takes a hop count or addresses, and refuses anything else with a sentence", () => {
    expect(loadConfig({ TRUST_PROXY: "1" }).edge.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: "10.0.0.2,::1" }).edge.trustProxy).toEqual(["10.0.0.2", "::1"]);
    expect(() => loadConfig({ TRUST_PROXY: "proxy.lan" })).toThrow(/TRUST_PROXY is a number of proxies/);
  });
});
