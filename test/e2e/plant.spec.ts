import { expect, test } from "@playwright/test";
import { startAppServer, type RunningServer } from "./server.ts";
import { joinAs, watchPage } from "./page.ts";

let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test("a newcomer opens the page, joins by name, sees the plant rendered and live values moving, with nothing fetched off-origin", async ({ page }) => {
  const watch = watchPage(page, server.url);
  await joinAs(page, server.url, "Newcomer");

  // The plant rendered: the canvas is not a single flat colour.
  const distinctColours = await page.evaluate(() => {
    const c = document.getElementById("view") as HTMLCanvasElement;
    const tmp = document.createElement("canvas");
    tmp.width = 64;
    tmp.height = 36;
    const ctx = tmp.getContext("2d")!;
    ctx.drawImage(c, 0, 0, 64, 36);
    const d = ctx.getImageData(0, 0, 64, 36).data;
    const set = new Set<number>();
    for (let i = 0; i < d.length; i += 4) set.add((d[i]! >> 4) * 256 + (d[i + 1]! >> 4) * 16 + (d[i + 2]! >> 4));
    return set.size;
  });
  expect(distinctColours).toBeGreaterThan(20);

  // Labels show live values and one of them changes within 10 s.
  const label = page.locator('.label[data-twin="P101"] .val').first();
  await expect(label).not.toHaveText("—", { timeout: 15_000 });
  const first = await label.textContent();
  await expect(label).not.toHaveText(first!, { timeout: 10_000 });

  // The participant list shows us.
  await expect(page.locator("#participant-list")).toContainText("Newcomer (you)");

  // Clicking an asset opens its inspector with live properties.
  await page.evaluate(() => {
    const s = window.__gemba!.scene()!;
    s.onPick("T201");
  });
  await expect(page.locator("#inspector")).toBeVisible();
  await expect(page.locator("#inspector-title")).toContainText("T201");
  await expect(page.locator('#inspector-rows tr[data-point="level"] td.v')).toHaveText(/%/);

  expect(watch.offOrigin).toEqual([]);
  expect(watch.errors).toEqual([]);
});
