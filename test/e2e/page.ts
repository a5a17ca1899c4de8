/** Helpers for driving the Gemba page: join with a name, watch for off-origin requests and console errors. */
import { expect, type Page } from "@playwright/test";

export interface PageWatch {
  offOrigin: string[];
  errors: string[];
}

export function watchPage(page: Page, origin: string): PageWatch {
  const w: PageWatch = { offOrigin: [], errors: [] };
  page.on("request", (req) => {
    const u = req.url();
    if (u.startsWith("data:") || u.startsWith("blob:")) return;
    if (new URL(u).origin !== origin) w.offOrigin.push(u);
  });
  page.on("console", (msg) => {
    if (msg.type() === "error") w.errors.push(msg.text());
  });
  page.on("pageerror", (err) => w.errors.push(String(err)));
  return w;
}

export async function joinAs(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url + "/");
  await expect(page.locator("#join")).toBeVisible();
  await page.fill("#join-name", name);
  await page.click("#join-go");
  await page.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 90_000 });
}
