/**
 * A thin link for browser tests and benches: the kernel's token-bucket shaper (tc htb) on the loopback device,
 * for UDP only. WebRTC media between pages of one machine travels over `lo` (IPv6 here: the host candidates are
 * the machine's fd00:: address), so the call's camera and voice feel the limit while the app's WebSocket, MQTT,
 * Redis and PostgreSQL (all TCP) keep full speed. CDP's network emulation does not touch WebRTC, and a sender-side
 * bitrate cap does not lower the browser's estimate: a shaped link is the real thing.
 *
 * Needs root and iproute2's `tc` with the htb and u32 modules (the CI machine has them); it throws with a
 * sentence otherwise. The shaper is machine-wide until removed: always undo it in `finally`.
 */
import { execFileSync } from "node:child_process";

/** Our qdisc's handle on lo, so removal never touches a shaper someone else put there. */
const HANDLE = "a7e:";

function tc(...args: string[]): string {
  try {
    return execFileSync("tc", args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  } catch (e) {
    const err = e as { code?: string; stderr?: string; message: string };
    const why =
      err.code === "ENOENT" ? "tc is not installed (apt-get install iproute2)" : (err.stderr ?? err.message).trim();
    throw new Error(`Could not shape the loopback link (tc ${args.join(" ")}): ${why}. It needs root.`);
  }
}

/** Remove our shaper from lo if it is there (a test killed mid-way leaves it behind). */
export function removeLoopbackShaping(): void {
  if (tc("qdisc", "show", "dev", "lo").includes(`htb ${HANDLE}`)) tc("qdisc", "del", "dev", "lo", "root");
}

/**
 * Limit all UDP over lo to `kbps` (both directions, every page of the machine), with a 50-packet queue so an
 * overfull link drops as a real thin link does. Returns the undo.
 */
export function shapeLoopbackUdp(kbps: number): () => void {
  removeLoopbackShaping();
  const rate = `${kbps}kbit`;
  tc("qdisc", "add", "dev", "lo", "root", "handle", HANDLE, "htb");
  try {
    tc("class", "add", "dev", "lo", "parent", HANDLE, "classid", `${HANDLE}1`, "htb", "rate", rate, "ceil", rate);
    tc("qdisc", "add", "dev", "lo", "parent", `${HANDLE}1`, "pfifo", "limit", "50");
    for (const [proto, match, prio] of [
      ["ip", "ip", "1"],
      ["ipv6", "ip6", "2"],
    ] as const)
      tc(
        "filter",
        "add",
        "dev",
        "lo",
        "parent",
        HANDLE,
        "protocol",
        proto,
        "prio",
        prio,
        "u32",
        "match",
        match,
        "protocol",
        "17",
        "0xff",
        "flowid",
        `${HANDLE}1`,
      );
  } catch (e) {
    removeLoopbackShaping();
    throw e;
  }
  return removeLoopbackShaping;
}

/** Bytes the shaper has passed and dropped so far (proof the media went through it). */
export function loopbackShapingStats(): { sentBytes: number; dropped: number } | null {
  const out = tc("-s", "class", "show", "dev", "lo");
  const m = new RegExp(`class htb ${HANDLE}1[\\s\\S]*?Sent (\\d+) bytes \\d+ pkt \\(dropped (\\d+)`).exec(out);
  return m ? { sentBytes: Number(m[1]), dropped: Number(m[2]) } : null;
}
