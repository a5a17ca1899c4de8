/**
 * Debian's Chromium, launched the way the Playwright config launches it (no
 * browser download works on a plant network or here), for browser tests that
 * need their own browser, benches and screenshot scripts.
 */
import { chromium, type Browser } from "@playwright/test";
import { CHROMIUM_ARGS } from "../playwright.config.ts";

/** The flags every launch uses (defined once, in the Playwright config); benches record them beside their numbers. */
export { CHROMIUM_ARGS };

export const CHROMIUM_PATH = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

/** Pages in a voice call: a fake microphone (a beep), no permission prompt, remote audio that plays without a click. */
export const VOICE_CALL_ARGS = [
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--autoplay-policy=no-user-gesture-required",
] as const;

export interface LaunchChromium {
  /** Add the voice-call flags. */
  voice?: boolean;
  /** The browser's environment (e.g. its own HOME, so its NSS certificate store is private). */
  env?: Record<string, string | undefined>;
}

export function launchChromium(opts: LaunchChromium = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...(opts.voice ? VOICE_CALL_ARGS : [])],
    ...(opts.env ? { env: opts.env } : {}),
  });
}
