/**
 * A sharp still from the camera: the current frame of a playing <video> drawn to a canvas and encoded as JPEG,
 * stepping the quality (then the size) down until it fits the room's limit (MAX_STILL_CHARS base64 characters).
 */
import { MAX_STILL_CHARS } from "../../shared/protocol.ts";

export interface StillFrame {
  /** Base64 JPEG without the data: prefix. */
  jpeg: string;
  width: number;
  height: number;
}

const QUALITIES = [0.85, 0.7, 0.55, 0.4];

export function grabStill(video: HTMLVideoElement, limit = MAX_STILL_CHARS): StillFrame | null {
  const w0 = video.videoWidth;
  const h0 = video.videoHeight;
  if (!w0 || !h0) return null;
  const canvas = document.createElement("canvas");
  for (let scale = 1; scale >= 0.25; scale /= 2) {
    canvas.width = Math.max(16, Math.round(w0 * scale));
    canvas.height = Math.max(16, Math.round(h0 * scale));
    const g = canvas.getContext("2d");
    if (!g) return null;
    g.drawImage(video, 0, 0, canvas.width, canvas.height);
    for (const q of QUALITIES) {
      const url = canvas.toDataURL("image/jpeg", q);
      const jpeg = url.slice(url.indexOf(",") + 1);
      if (jpeg.length <= limit) return { jpeg, width: canvas.width, height: canvas.height };
    }
  }
  return null;
}
