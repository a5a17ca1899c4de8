import { expect, test } from "./fixtures.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { joinAs, watchPage } from "./page.ts";
import { devToken } from "../../kit/devSignIn.ts";

let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer({ DEV_ROLE: "expert" });
});
test.afterAll(async () => {
  await server?.stop();
});

test("after a fault, one page scrubs to 20 s before the alarm; the other page shows working memory at that instant without the alarm; back to live restores both", async ({
  browser,
}) => {
  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();
  const wa = watchPage(a, server.url);
  await joinAs(a, server.url, "Expert Eli");
  await joinAs(b, server.url, "Operator Ola");

  const headers = { authorization: `Bearer ${await devToken(server.url, "Expert Eli", "expert")}` };
  const res = await a.request.post(`${server.url}/api/sim/faults`, {
    headers,
    data: { name: "cavitation", target: "P401" },
  });
  expect(res.status()).toBe(201);
  const alarmRow = a.locator('#alarm-list li[data-alarm="pump-cavitation:P401"]');
  await expect(alarmRow).toBeVisible({ timeout: 60_000 });
  const activeAt = await a.evaluate(() => window.__gemba!.state()!.alarms.get("pump-cavitation:P401")!.activeAt);
  const t = activeAt - 20_000;

  await a.evaluate((at) => {
    // Scrub the room the way the timeline does.
    const slider = document.getElementById("tl-range") as HTMLInputElement;
    slider.value = String(at);
    slider.dispatchEvent(new Event("change"));
  }, t);
  await expect(b.locator("#playback-banner")).toContainText("PLAYBACK");
  const viewTime = await b.evaluate(() => window.__gemba!.state()!.viewTime);
  expect(Math.abs(viewTime - t)).toBeLessThan(1000); // the slider works in whole milliseconds

  // B's label for P401 shows exactly what the working-memory API returns for that instant. Both are read again until
  // they agree: a sample that reaches working memory late changes the answer, and the paused room follows it.
  const label = b.locator('.label[data-twin="P401"] .val[data-point="flow"]');
  await expect
    .poll(async () => {
      const snap = (await (
        await b.request.get(`${server.url}/api/plants/demo/snapshot?t=${viewTime}`, { headers })
      ).json()) as { points: Record<string, { v: number }> };
      const memory = `${snap.points["P401/flow"]!.v.toFixed(2)} L/s`;
      const shown = await label.textContent();
      const room = await b.evaluate(
        () => window.__gemba!.state()!.playback.get("P401")?.points?.get("flow")?.v ?? null,
      );
      return shown === memory ? "same" : `label ${shown}, working memory ${memory}, room state ${room}`;
    })
    .toBe("same");
  await expect(b.locator('#alarm-list li[data-alarm="pump-cavitation:P401"]')).toHaveCount(0);

  await a.click("#tl-live");
  await expect(b.locator("#playback-banner")).toBeHidden();
  await expect(b.locator('#alarm-list li[data-alarm="pump-cavitation:P401"]')).toBeVisible();
  await a.request.delete(`${server.url}/api/sim/faults`, { headers, data: {} });
  expect(wa.offOrigin).toEqual([]);
});
