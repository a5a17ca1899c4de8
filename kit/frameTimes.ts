/**
 * Camera delay on one clock, for the video bench and the video browser test: each frame's own capture time
 * against when it was presented at a page, both stamped by Chromium's media pipeline, not by page script.
 *
 * Why not "the sender page reads the frame number, the watcher reads it again": a script on a busy page reads a
 * frame late, and by a different amount on each page, so the two reads are not comparable (a loaded run measured
 * the sender's own second reader 80 ms behind its first, more than the call's delay it was meant to bound).
 *
 * requestVideoFrameCallback gives, per presented frame: `captureTime` (for a camera, when the frame was captured;
 * for a WebRTC track, the sender's capture time from the RTP timestamp and the RTCP sender reports, mapped onto
 * this clock), `receiveTime` (WebRTC: when its last packet arrived) and `presentationTime` (when the frame went to
 * the compositor). All are DOMHighResTimeStamps of the page; adding its performance.timeOrigin puts every page of
 * one browser on the same epoch clock. The delay is presentationTime − captureTime; the baseline is the same on the
 * sender's own camera track (capture → shown on the sender's screen), so delay / baseline is what the call adds.
 */

/**
 * Page-side (an init script, plain JavaScript so any page can take it): `window.__frameTimes.watch(key, track)`
 * plays a track in a small on-screen <video> (the compositor gives frame callbacks only to videos it draws) and
 * logs [capture, receive, presented, width, height] per presented frame into `logs[key]` (epoch ms, NaN where
 * the browser gave no time) while `logging` is true.
 */
export const FRAME_TIMES_SOURCE = `window.__frameTimes ??= (() => {
  const logs = {};
  let n = 0;
  const api = { logs, logging: true, watch(key, track) {
    const log = (logs[key] = []);
    const v = document.createElement("video");
    v.muted = true; v.playsInline = true; v.autoplay = true;
    v.style.cssText = "position:fixed;bottom:0;width:48px;height:27px;z-index:2147483647;pointer-events:none;left:" + (48 * n++) + "px";
    document.body.appendChild(v);
    v.srcObject = new MediaStream([track]);
    v.play().catch(() => undefined);
    const o = performance.timeOrigin;
    const at = (t) => (typeof t === "number" ? o + t : NaN);
    const cb = (now, m) => {
      if (api.logging) log.push([at(m.captureTime), at(m.receiveTime), o + m.presentationTime, m.width, m.height]);
      v.requestVideoFrameCallback(cb);
    };
    v.requestVideoFrameCallback(cb);
  } };
  return api;
})();`;

/** One presented frame: capture, receive and presentation time (epoch ms; NaN when not given), width, height. */
export type FrameTime = [number, number, number, number, number];

export interface FrameTimeApi {
  logs: Record<string, FrameTime[]>;
  logging: boolean;
  watch(key: string, track: MediaStreamTrack): void;
}

declare global {
  interface Window {
    __frameTimes?: FrameTimeApi;
  }
}

/** Capture → presented delays (ms) of the frames that carried a capture time, and how many did not. */
export function captureDelays(frames: readonly FrameTime[]): { delays: number[]; withoutCapture: number } {
  const delays: number[] = [];
  let withoutCapture = 0;
  for (const [capture, , presented] of frames)
    if (Number.isFinite(capture)) delays.push(presented - capture);
    else withoutCapture++;
  return { delays, withoutCapture };
}
