/**
 * DNS rebinding: a page on evil.example whose name is re-pointed at 127.0.0.1
 * reaches this server with `Host: evil.example`. Only names and addresses this
 * server answers to are served (ALLOWED_HOSTS, with defaults for this machine),
 * and a browser's `Origin`, when sent, must be one of them too.
 */
import os from "node:os";

export interface HostDefaults {
  host: string;
  publicAddress: string | null;
  https: boolean;
}

/** localhost, the loopback addresses, and when listening everywhere this machine's name and LAN addresses. */
export function defaultAllowedHosts(
  d: HostDefaults,
  interfaces = os.networkInterfaces(),
  hostname = os.hostname(),
): string[] {
  const names = new Set(["localhost", "127.0.0.1", "::1"]);
  if (d.host === "0.0.0.0" || d.host === "::") {
    names.add(hostname.toLowerCase());
    for (const list of Object.values(interfaces)) for (const i of list ?? []) names.add(i.address.toLowerCase());
  } else names.add(d.host.toLowerCase());
  if (d.publicAddress) names.add(hostOnly(d.publicAddress.split("/")[0]!));
  return [...names];
}

/** The name part of a Host header or authority: "[::1]:2567" -> "::1", "Plant.LAN:443" -> "plant.lan". */
export function hostOnly(authority: string): string {
  const a = authority.trim().toLowerCase();
  let name: string;
  if (a.startsWith("[")) name = a.slice(1, a.indexOf("]") > 0 ? a.indexOf("]") : undefined);
  else if (a.split(":").length === 2) name = a.slice(0, a.indexOf(":"));
  else name = a;
  // "localhost." is the same name as "localhost" in DNS.
  return name.replace(/\.$/, "");
}

export type HostVerdict = { ok: true } | { ok: false; status: 421 | 403; reason: "host" | "origin"; message: string };

export class HostAllowList {
  private readonly names: ReadonlySet<string>;

  constructor(names: readonly string[]) {
    this.names = new Set(names.map((n) => hostOnly(n)));
  }

  get list(): string[] {
    return [...this.names];
  }

  check(host: string | undefined, origin: string | undefined): HostVerdict {
    if (!host || !this.names.has(hostOnly(host))) {
      return {
        ok: false,
        status: 421,
        reason: "host",
        message: "This server does not answer to that name. Open it by an address it knows (ALLOWED_HOSTS).",
      };
    }
    // Browsers send Origin on cross-origin requests and WebSockets; "null" (sandboxed frames, files) is never ours.
    if (origin !== undefined) {
      let name: string | null = null;
      try {
        name = origin === "null" ? null : hostOnly(new URL(origin).host);
      } catch {
        name = null;
      }
      if (name === null || !this.names.has(name)) {
        return { ok: false, status: 403, reason: "origin", message: "Requests from pages on other sites are refused." };
      }
    }
    return { ok: true };
  }
}
