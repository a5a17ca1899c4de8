/** GET /api/device-link: where another device opens this server (the "Move to another device" QR code and link). */
export interface DeviceLinkInfo {
  /** Origin (and path prefix) to put before `/?handoff=...`. */
  base: string;
  /** False when no other device can reach `base` (the server listens on this computer only). */
  reachable: boolean;
  /** Why not, and what to change, in one sentence; null when reachable. */
  note: string | null;
}
