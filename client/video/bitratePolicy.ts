/**
 * How the camera adapts to the link (pure, unit-tested): from the measured outgoing bandwidth (the browser's
 * congestion-control estimate, RTCIceCandidatePairStats.availableOutgoingBitrate) pick a video bitrate cap, or
 * switch to stills when the link cannot carry useful video. Hysteresis keeps one noisy reading from flapping.
 */

export type Resolution = 360 | 720;
export const RESOLUTIONS: readonly Resolution[] = [360, 720];

/** Below this the picture turns to mush: send sharp stills on demand instead (docs/VIDEO.md). */
export const STILLS_BELOW_KBPS = 256;
/** Back to live video only well above the switch point, so a link near it does not flap. */
export const LIVE_ABOVE_KBPS = 400;
/** Readings in a row needed to change mode. */
export const READINGS_TO_SWITCH = 2;

/**
 * In stills no video flows, so the browser's estimate cannot grow when the link recovers (measured on a link shaped
 * by the kernel: it sat at 60-125 kbps for 90 s after the limit was lifted). So every so often the camera sends video
 * again for a few readings, a try the estimate can grow on; a failed try doubles the wait (a thin link is not
 * flooded every 10 s).
 */
export const TRY_LIVE_FIRST_MS = 10_000;
export const TRY_LIVE_MAX_MS = 80_000;
/** Readings a try lasts (2 s apart) before the camera goes back to stills. */
export const TRY_LIVE_READINGS = 3;

/** How long to stay in stills before the next try at live video, after `failed` tries that did not bring it back. */
export function tryLiveAfterMs(failed: number): number {
  return Math.min(TRY_LIVE_MAX_MS, TRY_LIVE_FIRST_MS * 2 ** failed);
}

/** Most a resolution needs for a clear picture of a machine (kbps); more is wasted on a shared plant Wi-Fi. */
export const CAP_KBPS: Record<Resolution, number> = { 360: 800, 720: 2500 };
/** Share of the measured bandwidth video may take: the voice and the room's updates need the rest. */
export const VIDEO_SHARE = 0.75;

export interface LinkReading {
  /** Measured outgoing bandwidth, kbps (lowest over all links of the mesh); null when not measured yet. */
  kbps: number | null;
}

export interface BitrateState {
  mode: "live" | "stills";
  /** Readings in a row that point to the other mode. */
  against: number;
}

export interface BitrateDecision extends BitrateState {
  /** RTCRtpSender maxBitrate for the camera, bits per second (live only). */
  maxBitrate: number;
}

export function decideBitrate(prev: BitrateState, reading: LinkReading, resolution: Resolution): BitrateDecision {
  const cap = CAP_KBPS[resolution];
  if (reading.kbps === null) return { ...prev, maxBitrate: cap * 1000 };
  const k = reading.kbps;
  const wantsOther = prev.mode === "live" ? k < STILLS_BELOW_KBPS : k > LIVE_ABOVE_KBPS;
  const against = wantsOther ? prev.against + 1 : 0;
  const mode = against >= READINGS_TO_SWITCH ? (prev.mode === "live" ? "stills" : "live") : prev.mode;
  const maxBitrate = Math.round(Math.max(100, Math.min(cap, k * VIDEO_SHARE)) * 1000);
  return { mode, against: mode === prev.mode ? against : 0, maxBitrate };
}

type Entry = Record<string, unknown> & { type: string; id: string };

/**
 * The outgoing bandwidth of one link from its getStats() entries: availableOutgoingBitrate on the selected
 * candidate pair (bits/s), in kbps; null when the browser has no estimate yet.
 */
export function outgoingKbps(entries: Iterable<unknown>): number | null {
  let selected: string | null = null;
  const pairs = new Map<string, Entry>();
  for (const raw of entries) {
    const s = raw as Entry;
    if (s.type === "transport" && typeof s["selectedCandidatePairId"] === "string")
      selected = s["selectedCandidatePairId"];
    else if (s.type === "candidate-pair") pairs.set(s.id, s);
  }
  const pair =
    (selected ? pairs.get(selected) : undefined) ??
    [...pairs.values()].find((p) => p["nominated"] === true && p["state"] === "succeeded");
  const bps = pair?.["availableOutgoingBitrate"];
  return typeof bps === "number" && Number.isFinite(bps) ? bps / 1000 : null;
}

/** The thinnest link decides: every link carries the same camera. */
export function meshKbps(perLink: (number | null)[]): number | null {
  const known = perLink.filter((k): k is number => k !== null);
  return known.length ? Math.min(...known) : null;
}
