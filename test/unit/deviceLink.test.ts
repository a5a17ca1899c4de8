/** The QR code for moving a session must point where a phone or headset can reach this server, or say why it cannot. */
import type os from "node:os";
import { describe, expect, it } from "vitest";
import { deviceLink, lanAddress, parsePublicUrl } from "../../server/http/deviceLink.ts";

const LAN: NodeJS.Dict<os.NetworkInterfaceInfo[]> = {
  lo: [{ address: "127.0.0.1", family: "IPv4", internal: true, netmask: "255.0.0.0", mac: "", cidr: null }],
  eth0: [
    { address: "fe80::1", family: "IPv6", internal: false, netmask: "ffff::", mac: "", cidr: null, scopeid: 2 },
    { address: "10.20.0.7", family: "IPv4", internal: false, netmask: "255.255.0.0", mac: "", cidr: null },
  ],
};
const NO_LAN: NodeJS.Dict<os.NetworkInterfaceInfo[]> = { lo: LAN["lo"] };

describe("the link another device opens", () => {
  it("is PUBLIC_URL when set, whatever the page's address", () => {
    const s = { publicUrl: "https://gemba.plant.lan", host: "127.0.0.1", port: 2567, https: false };
    expect(deviceLink(s, "http://localhost:2567", LAN)).toEqual({
      base: "https://gemba.plant.lan",
      reachable: true,
      note: null,
    });
  });

  it("is the page's own address when the page was opened over the network", () => {
    const s = { publicUrl: null, host: "0.0.0.0", port: 2567, https: true };
    expect(deviceLink(s, "https://plant-pc.local:2567", LAN).base).toBe("https://plant-pc.local:2567");
  });

  it("replaces localhost by this machine's LAN address when the server listens on every interface", () => {
    const s = { publicUrl: null, host: "0.0.0.0", port: 8443, https: true };
    expect(deviceLink(s, "https://localhost:8443", LAN)).toEqual({
      base: "https://10.20.0.7:8443",
      reachable: true,
      note: null,
    });
    expect(deviceLink(s, "https://127.0.0.1:8443", LAN).base).toBe("https://10.20.0.7:8443");
    expect(deviceLink(s, "https://[::1]:8443", LAN).base).toBe("https://10.20.0.7:8443");
  });

  it("says that a server listening on this computer only cannot be reached, and what to change", () => {
    const s = { publicUrl: null, host: "127.0.0.1", port: 2567, https: false };
    const link = deviceLink(s, "http://localhost:2567", LAN);
    expect(link.reachable).toBe(false);
    expect(link.base).toBe("http://localhost:2567");
    expect(link.note).toMatch(/only on this computer \(HOST=127\.0\.0\.1\).*HOST=0\.0\.0\.0.*PUBLIC_URL/);
  });

  it("says so when listening everywhere but the machine has no network address", () => {
    const s = { publicUrl: null, host: "0.0.0.0", port: 2567, https: false };
    const link = deviceLink(s, "http://localhost:2567", NO_LAN);
    expect(link.reachable).toBe(false);
    expect(link.note).toMatch(/no network address/);
  });

  it("uses the one address the server listens on, IPv6 in brackets", () => {
    expect(
      deviceLink({ publicUrl: null, host: "10.0.0.5", port: 80, https: false }, "http://localhost", LAN).base,
    ).toBe("http://10.0.0.5:80");
    expect(
      deviceLink({ publicUrl: null, host: "fd00::5", port: 443, https: true }, "https://localhost", LAN).base,
    ).toBe("https://[fd00::5]:443");
  });

  it("takes the first IPv4 LAN address, skipping loopback and IPv6", () => {
    expect(lanAddress(LAN)).toBe("10.20.0.7");
    expect(lanAddress(NO_LAN)).toBeNull();
  });
});

describe("PUBLIC_URL", () => {
  it("is kept without a trailing slash; a path prefix stays", () => {
    expect(parsePublicUrl("https://gemba.plant.lan/")).toBe("https://gemba.plant.lan");
    expect(parsePublicUrl(" http://10.0.0.5:2567/gemba/ ")).toBe("http://10.0.0.5:2567/gemba");
    expect(parsePublicUrl("")).toBeNull();
    expect(parsePublicUrl(undefined)).toBeNull();
  });

  it("refuses what a browser could not open, in one sentence", () => {
    expect(() => parsePublicUrl("gemba.plant.lan")).toThrow(/must be an address like https:\/\/gemba\.plant\.lan/);
    expect(() => parsePublicUrl("ftp://gemba.plant.lan")).toThrow(/must start with http:\/\/ or https:\/\//);
    expect(() => parsePublicUrl("https://gemba.plant.lan/?a=1")).toThrow(/query/);
  });
});
