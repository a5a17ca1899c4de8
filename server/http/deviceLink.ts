/**
 * The address another device uses to pick up a session ("Move to another device": QR code and link).
 * A page opened as http://localhost:2567 would otherwise put `localhost` in the QR code, which on a phone
 * or headset means the phone itself. Order: PUBLIC_URL when set; the page's own address when it is not a
 * loopback name (someone already reached this server over the network); when listening on every
 * interface, this machine's first LAN address; otherwise nothing reachable, and a sentence saying why.
 */
import os from "node:os";
import type { DeviceLinkInfo } from "../../shared/deviceLink.ts";

export interface DeviceLinkSettings {
  /** PUBLIC_URL, e.g. https://gemba.plant.lan (no trailing slash). */
  publicUrl: string | null;
  /** HOST the server listens on. */
  host: string;
  /** The port it actually listens on. */
  port: number;
  https: boolean;
}

const LOOPBACK = /^(localhost\.?|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;
const EVERYWHERE = new Set(["0.0.0.0", "::", "[::]"]);

/** The first non-internal IPv4 address, in interface order (what `ip addr` lists first), or null. */
export function lanAddress(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): string | null {
  for (const list of Object.values(interfaces)) {
    for (const i of list ?? []) if (i.family === "IPv4" && !i.internal) return i.address;
  }
  return null;
}

/** Where a second device can open this server; `pageOrigin` is the requesting page's origin (`http://localhost:2567`). */
export function deviceLink(
  s: DeviceLinkSettings,
  pageOrigin: string,
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
): DeviceLinkInfo {
  if (s.publicUrl) return { base: s.publicUrl, reachable: true, note: null };
  let pageHost = "";
  try {
    pageHost = new URL(pageOrigin).hostname;
  } catch {
    pageHost = "";
  }
  if (pageHost && !LOOPBACK.test(pageHost)) return { base: pageOrigin, reachable: true, note: null };
  const scheme = s.https ? "https" : "http";
  if (EVERYWHERE.has(s.host)) {
    const ip = lanAddress(interfaces);
    if (ip) return { base: `${scheme}://${ip}:${s.port}`, reachable: true, note: null };
    return {
      base: pageOrigin,
      reachable: false,
      note: "This computer has no network address right now, so another device cannot reach it. Connect it to the plant network, or set PUBLIC_URL.",
    };
  }
  if (LOOPBACK.test(s.host)) {
    return {
      base: pageOrigin,
      reachable: false,
      note: `Gemba listens only on this computer (HOST=${s.host}), so a phone or headset cannot open this link. Start it with HOST=0.0.0.0, or set PUBLIC_URL to the address others use.`,
    };
  }
  const name = s.host.includes(":") ? `[${s.host}]` : s.host;
  return { base: `${scheme}://${name}:${s.port}`, reachable: true, note: null };
}

/** PUBLIC_URL as typed: http(s)://name[:port][/path], without a trailing slash. Throws a sentence when malformed. */
export function parsePublicUrl(raw: string | undefined): string | null {
  const v = raw?.trim();
  if (!v) return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`PUBLIC_URL must be an address like https://gemba.plant.lan or http://10.0.0.5:2567, got "${v}".`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new Error(`PUBLIC_URL must start with http:// or https://, got "${v}".`);
  }
  if (u.search || u.hash || u.username)
    throw new Error(`PUBLIC_URL must not carry a query, fragment or user name, got "${v}".`);
  return `${u.origin}${u.pathname.replace(/\/+$/, "")}`;
}
