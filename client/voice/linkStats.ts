/**
 * Read one peer connection's getStats() report into the few numbers people can
 * act on: bytes each way, round-trip time, jitter, loss, jitter-buffer delay.
 * Pure: takes the report's entries, so it is testable without a browser.
 */
import type { PeerStats } from "./VoiceTransport.ts";

type Entry = Record<string, unknown> & { type: string; id: string };

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

export type LinkStats = Omit<PeerStats, "seat" | "state">;

export function readLinkStats(entries: Iterable<unknown>): LinkStats {
  let inboundBytes = 0;
  let outboundBytes = 0;
  let jitter: number | null = null;
  let lost = 0;
  let received = 0;
  let jbDelay = 0;
  let jbEmitted = 0;
  let rtt: number | null = null;
  let remoteRtt: number | null = null;
  let selectedPair: string | null = null;
  const pairs = new Map<string, Entry>();
  for (const raw of entries) {
    const s = raw as Entry;
    if (s.type === "inbound-rtp" && s["kind"] === "audio") {
      inboundBytes += num(s["bytesReceived"]) ?? 0;
      lost += Math.max(0, num(s["packetsLost"]) ?? 0);
      received += num(s["packetsReceived"]) ?? 0;
      jbDelay += num(s["jitterBufferDelay"]) ?? 0;
      jbEmitted += num(s["jitterBufferEmittedCount"]) ?? 0;
      const j = num(s["jitter"]);
      if (j !== null) jitter = Math.max(jitter ?? 0, j * 1000);
    } else if (s.type === "outbound-rtp" && s["kind"] === "audio") {
      outboundBytes += num(s["bytesSent"]) ?? 0;
    } else if (s.type === "remote-inbound-rtp") {
      const r = num(s["roundTripTime"]);
      if (r !== null) remoteRtt = r * 1000;
    } else if (s.type === "transport") {
      if (typeof s["selectedCandidatePairId"] === "string") selectedPair = s["selectedCandidatePairId"];
    } else if (s.type === "candidate-pair") {
      pairs.set(s.id, s);
    }
  }
  const pair =
    (selectedPair ? pairs.get(selectedPair) : undefined) ??
    [...pairs.values()].find((p) => p["nominated"] === true && p["state"] === "succeeded");
  const pairRtt = num(pair?.["currentRoundTripTime"]);
  rtt = pairRtt !== null ? pairRtt * 1000 : remoteRtt;
  return {
    inboundBytes,
    outboundBytes,
    rtt,
    jitter,
    loss: lost + received > 0 ? lost / (lost + received) : null,
    jitterBufferMs: jbEmitted > 0 ? (jbDelay / jbEmitted) * 1000 : null,
  };
}
