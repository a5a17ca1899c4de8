/**
 * HTTPS on the plant LAN: `HOST=0.0.0.0 HTTPS=on` (with development sign-in allowed beyond
 * localhost) generates a local certificate authority and a server certificate for this
 * machine's addresses. A browser that has imported the CA, the way a person does once per
 * device, opens the app on the LAN address in a secure context, where WebXR is offered;
 * a browser that has not is stopped by a certificate error, not served silently.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "./fixtures.ts";
import type { Browser } from "@playwright/test";
import { launchChromium } from "../../kit/browser.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { installIwer } from "../../kit/iwer.ts";
import { expectLiveValues, joinAs, watchPage } from "./page.ts";

let server: RunningServer;
let dataDir: string;
const browsers: Browser[] = [];

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-https-"));
  server = await startAppServer({ HOST: "0.0.0.0", HTTPS: "on", ALLOW_DEV_REMOTE: "on", DATA_DIR: dataDir });
});
test.afterAll(async () => {
  for (const b of browsers) await b.close();
  await server?.stop();
});

/** A Chromium whose own certificate store (NSS, under $HOME) trusts exactly the given CAs. */
async function browserTrusting(caFiles: string[]): Promise<Browser> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-browser-home-"));
  const db = `sql:${path.join(home, ".pki", "nssdb")}`;
  fs.mkdirSync(path.join(home, ".pki", "nssdb"), { recursive: true });
  execFileSync("certutil", ["-d", db, "-N", "--empty-password"]);
  for (const f of caFiles) execFileSync("certutil", ["-d", db, "-A", "-t", "C,,", "-n", path.basename(f), "-i", f]);
  const b = await launchChromium({ env: { ...process.env, HOME: home } });
  browsers.push(b);
  return b;
}

/** The LAN address the server says to open (this machine's first non-loopback IPv4), or localhost. */
function lanUrl(): string {
  const m = /on the LAN, open (https:\/\/[^\s]+?)\/?$/m.exec(server.output());
  return m ? m[1]! : server.url;
}

test("HOST=0.0.0.0 HTTPS=on: after trusting the generated CA, a browser opens the app on the LAN address in a secure context with WebXR, and live data flows over WSS", async () => {
  expect(server.url).toMatch(/^https:\/\//);
  const caFile = path.join(dataDir, "tls", "gemba-local-ca.pem");
  expect(fs.existsSync(caFile), "the generated CA is kept in DATA_DIR/tls").toBe(true);
  const url = lanUrl();

  // Without the CA, the browser refuses the connection with a certificate error.
  const untrusting = await browserTrusting([]);
  const bare = await untrusting.newPage();
  const refused = await bare.goto(url + "/").then(
    () => "loaded",
    (e: Error) => e.message,
  );
  expect(refused).toMatch(/ERR_CERT_AUTHORITY_INVALID/);

  // Trusted: the page loads; the CA can also be downloaded from the server itself (how a headset gets it).
  const trusted = await browserTrusting([caFile]);
  const page = await trusted.newPage();
  const watch = watchPage(page, url);
  await installIwer(page);
  await joinAs(page, url, "Tech on the LAN");
  const download = await page.evaluate(() => fetch("/gemba-local-ca.pem").then((r) => r.text()));
  expect(download).toBe(fs.readFileSync(caFile, "utf8"));
  expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
  expect(await page.evaluate(() => location.protocol)).toBe("https:");
  expect(await page.evaluate(() => navigator.xr?.isSessionSupported("immersive-vr") ?? false)).toBe(true);
  await expect(page.locator("#btn-xr-vr")).toBeVisible();
  // Live values arrive through the secure WebSocket and keep changing.
  await expectLiveValues(page);
  expect(watch.offOrigin, "requests off the app's origin").toEqual([]);
  expect(watch.errors, "console errors").toEqual([]);
});
