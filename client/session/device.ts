/** Guess the device kind from the browser; the participant list shows it to others. */
import type { DeviceKind } from "../../shared/protocol.ts";

export function detectDevice(ua = navigator.userAgent, touch = navigator.maxTouchPoints): DeviceKind {
  if (/OculusBrowser|Quest|Pico|Vision Pro|Wolvic/i.test(ua)) return "headset";
  if (/iPad|Tablet/i.test(ua) || (/Android/i.test(ua) && !/Mobile/i.test(ua))) return "tablet";
  if (/iPhone|Android.*Mobile|Mobile/i.test(ua) || (touch > 1 && Math.min(screen.width, screen.height) < 600))
    return "phone";
  return "desktop";
}
