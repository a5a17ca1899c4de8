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
  // Timeouts are hang guards, not performance bounds: on a shared 2-core machine with SwiftShader a page that renders
  // the plant can take a minute to boot while other pages render (docs/PERFORMANCE.md). Tests wait on events.
  timeout: 300_000,
  expect: { timeout: 60_000 },
  workers: 1,
  // Never retried: a test that passes only on a second try is a bug to find, not to hide.
  retries: 0,
  reporter: [["list"]],
  use: {
    launchOptions: { executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium", args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 720 },
    // A failure keeps the list of actions with their times (no screenshots: cheap), so a hang says where it hung.
    trace: { mode: "retain-on-failure", screenshots: false, snapshots: false, sources: false },
  },
});
