/**
 * Labels declutter in the demo plant's overview: no two labels on screen overlap, and an asset that goes into
 * alarm shows its label even where quieter, nearer labels crowd it (client/ui/declutter.ts).
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { devToken } from "../../kit/devSignIn.ts";
import { joinAs, watchPage } from "./page.ts";

let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer();
});
test.afterAll(async () => {
  await server?.stop();
});

/** The labels on screen with their boxes, and every pair of them that overlaps by more than a pixel. */
const onScreen = (page: Page) =>
  page.evaluate(() => {
    const shown = [...document.querySelectorAll<HTMLElement>("#labels .label")]
      .filter((e) => getComputedStyle(e).display !== "none")
      .map((e) => ({ twin: e.dataset["twin"]!, r: e.getBoundingClientRect() }));
    const overlaps: string[] = [];
    for (let i = 0; i < shown.length; i++)
      for (let j = i + 1; j < shown.length; j++) {
        const a = shown[i]!.r;
        const b = shown[j]!.r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) overlaps.push(`${shown[i]!.twin}/${shown[j]!.twin}`);
      }
    return { twins: shown.map((s) => s.twin), overlaps };
  });

test("no two labels overlap in the plant overview, and an asset in alarm always shows its label", async ({ page }) => {
  const watch = watchPage(page, server.url);
  await joinAs(page, server.url, "Lena");
  await page.evaluate(() => window.__gemba!.scene()!.resetView());
  await expect(page.locator('.label[data-twin="T301"] .val').first()).toHaveText(/%/, { timeout: 60_000 });

  // Values keep changing the labels' sizes: once a frame has laid them out again, none overlaps another.
  await expect.poll(async () => (await onScreen(page)).overlaps).toEqual([]);
  const quiet = await onScreen(page);
  expect(quiet.twins.length).toBeGreaterThan(3);

  // P401 goes into alarm: its label shows (whatever it overlapped gives way) and still nothing overlaps.
  const trainer = { authorization: `Bearer ${await devToken(server.url, "Trainer", "expert")}` };
  const fault = await page.request.post(`${server.url}/api/sim/faults`, {
    headers: trainer,
    data: { name: "cavitation", target: "P401" },
  });
  expect(fault.status()).toBe(201);
  const label = page.locator('.label[data-twin="P401"]');
  await expect(label).toHaveClass(/\bs2\b/, { timeout: 60_000 });
  await expect(label).toBeVisible();
  await expect.poll(async () => (await onScreen(page)).overlaps).toEqual([]);
  await page.screenshot({ path: test.info().outputPath("labels-alarm.png") });

  await page.request.delete(`${server.url}/api/sim/faults`, { headers: trainer, data: {} });
  expect(watch.errors).toEqual([]);
});
