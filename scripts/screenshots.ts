/**
 * `npm run screenshots`: start the app like `npm start`, open it in headless
 * Chromium at 1280×720, join, wait for live values, and save the README screenshots.
 */
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS } from "../playwright.config.ts";
import { startAppServer } from "../test/support/appServer.ts";

const out = process.argv[2] ?? "docs/screenshots";
const server = await startAppServer();
const browser = await chromium.launch({
  executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
  args: CHROMIUM_ARGS,
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on("console", (m) => m.type() === "error" && console.error("page:", m.text()));
  await page.goto(server.url + "/");
  await page.fill("#join-name", "Ada (desktop)");
  await page.click("#join-go");
  await page.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 90_000 });
  await page.waitForSelector('.label[data-twin="P101"] .val:not(:text("—"))');
  await page.waitForTimeout(1500); // let the first patches settle into labels and status discs
  await page.screenshot({ path: `${out}/desktop.png` });
  await page.evaluate(() => window.__gemba!.scene()!.onPick("P101"));
  await page.waitForTimeout(700);
  await page.screenshot({ path: `${out}/inspector.png` });
  console.log(`screenshots written to ${out}/`);
} finally {
  await browser.close();
  await server.stop();
}
