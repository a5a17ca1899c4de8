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
  // No retries: a test that passes only on a second try is a bug to find, not to hide.
  retries: 0,
  reporter: [["list"]],
  use: {
    launchOptions: { executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium", args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 720 },
  },
});
