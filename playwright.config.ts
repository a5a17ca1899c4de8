import { defineConfig } from "@playwright/test";

// Browser tests drive Debian's Chromium (no browser download works on a plant network or here).
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export default defineConfig({
  testDir: "test/e2e",
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  // Retries: on a shared 2-core machine with SwiftShader, the first test after a fresh server sometimes hangs until its
  // timeout and then passes at once on retry (4 of 21 first attempts in one full run while a 30-minute soak loaded the
  // same cores: the first XR, OIDC, pin-anchor and handoff-XR tests; cause not found yet, see the issue notes).
  // A test that fails three times still fails the run.
  retries: 2,
  reporter: [["list"]],
  use: {
    launchOptions: { executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium", args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 720 },
  },
});
