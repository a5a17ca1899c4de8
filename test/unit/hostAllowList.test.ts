import { describe, expect, it } from "vitest";
import type { NetworkInterfaceInfo } from "node:os";
import { HostAllowList, defaultAllowedHosts, hostOnly } from "../../server/http/hostAllowList.ts";
import { loadConfig } from "../../server/config.ts";

const lan = {
  eth0: [{ address: "10.20.0.7" } as NetworkInterfaceInfo],
  lo: [{ address: "127.0.0.1" } as NetworkInterfaceInfo],
};

describe("attack: DNS rebinding (which names the server answers to)", () => {
  it("by default answers to localhost and the loopback addresses only, when listening on loopback", () => {
    expect(
      defaultAllowedHosts({ host: "127.0.0.1", publicAddress: null, https: false }, lan, "plant-pc").sort(),
    ).toEqual(["127.0.0.1", "::1", "localhost"].sort());
  });

  it("listening everywhere (HOST=0.0.0.0) also answers to the machine's name and LAN addresses, and PUBLIC_ADDRESS", () => {
    const names = defaultAllowedHosts(
      { host: "0.0.0.0", publicAddress: "gemba.plant.lan:8443/n1", https: true },
      lan,
      "Plant-PC",
    );
    expect(names).toEqual(expect.arrayContaining(["localhost", "plant-pc", "10.20.0.7", "gemba.plant.lan"]));
    expect(names).not.toContain("evil.example");
  });

  it("refuses a foreign Host with 421 and a foreign or opaque Origin with 403", () => {
    const list = new HostAllowList(["localhost", "127.0.0.1", "::1"]);
    expect(list.check("evil.example", undefined)).toMatchObject({ ok: false, status: 421 });
    expect(list.check(undefined, undefined)).toMatchObject({ ok: false, status: 421 });
    expect(list.check("localhost:2567", "http://evil.example")).toMatchObject({ ok: false, status: 403 });
    expect(list.check("localhost:2567", "null")).toMatchObject({ ok: false, status: 403 });
    expect(list.check("[::1]:2567", "http://[::1]:2567")).toEqual({ ok: true });
    expect(list.check("LOCALHOST.:2567", undefined)).toEqual({ ok: true });
  });

  it("reads host names out of Host headers", () => {
    expect(hostOnly("[::1]:2567")).toBe("::1");
    expect(hostOnly("Plant.LAN:443")).toBe("plant.lan");
    expect(hostOnly("10.0.0.5")).toBe("10.0.0.5");
  });

  it("ALLOWED_HOSTS adds names; a malformed entry is refused with a sentence", () => {
    expect(loadConfig({ ALLOWED_HOSTS: "gemba.plant.lan, 10.0.0.5" }).edge.allowedHosts).toEqual(
      expect.arrayContaining(["localhost", "gemba.plant.lan", "10.0.0.5"]),
    );
    expect(() => loadConfig({ ALLOWED_HOSTS: "http://x/y" })).toThrow(/ALLOWED_HOSTS is a comma-separated list/);
  });
});
