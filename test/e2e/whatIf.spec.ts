/**
 * A what-if on the page: a person opens a pump in the inspector, asks "what if its speed were 1450 rpm" for the
 * next 10 minutes, and sees the prediction: a dashed ghost value beside the live speed, a dashed line on its chart,
 * the list of what-ifs with what the change moves downstream, and, on the line it feeds, the predicted flow.
 * The simulator runs (its values are the live plant); the sandbox never publishes to it.
 */
import { expect, test } from "./fixtures.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { devToken } from "../../kit/devSignIn.ts";
import type { Page } from "@playwright/test";
import { clickAssetInView, expectQuietPage, joinAs, watchPage, type PageWatch } from "./page.ts";
import { expectPlantFallsShort, MISS_FLOW } from "./plantFallsShort.ts";

/** The demo's pumps whose speed the process model knows. */
const PUMPS = ["P101", "P103", "P201", "P301", "P302", "P401"];

let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer({});
});
test.afterAll(async () => {
  await server?.stop();
});

/** Every story: a person on a desktop page of the given height joins under `name`; the page is watched from the start. */
async function joinOnDesktop(page: Page, name: string, height = 800): Promise<PageWatch> {
  test.setTimeout(300_000);
  const watch = watchPage(page, server.url);
  await page.setViewportSize({ width: 1280, height });
  await joinAs(page, server.url, name);
  return watch;
}

test("a person asks what if a pump ran at half speed and sees the predicted values as ghosts beside the live ones", async ({
  page,
}) => {
  const watch = await joinOnDesktop(page, "Shift lead");

  // A pump with a speed the process model knows, drawn where a click lands on it.
  const pump = await clickAssetInView(page, PUMPS);

  const form = page.locator("#whatif form");
  await expect(form).toBeVisible();
  await expect(page.locator("#whatif-point")).toHaveValue("speed");
  await page.fill("#whatif-value", "1450");
  await page.selectOption("#whatif-horizon", "600");
  await page.click("#whatif-go");

  const item = page.locator("#whatif-list > li");
  await expect(item).toHaveCount(1);
  await expect(item.locator(".whatif-title")).toHaveText(
    new RegExp(`^Shift lead: ${pump} Speed \\d+ → 1450 rpm, 10 min ahead$`),
  );
  // The ghost beside the live speed, and the dashed line on its chart.
  const speedRow = page.locator(`#inspector-rows tr[data-point="speed"]`);
  await expect(speedRow.locator(".whatif-ghost")).toHaveText("→ 1450 rpm at +10 min");
  await expect(speedRow.locator("canvas")).toHaveAttribute("data-whatif", "shown");

  // The horizon slider moves the ghost.
  await page.locator("#whatif-ahead").fill("300");
  await expect(speedRow.locator(".whatif-ghost")).toHaveText("→ 1450 rpm at +5 min");

  // What it moves downstream: the line's flow, shown on that asset with its own ghost.
  const flowLine = item.locator("button.whatif-asset", { hasText: /^L\d+ Flow$/ });
  await expect(flowLine).toHaveCount(1);
  const line = ((await flowLine.textContent()) ?? "").split(" ")[0]!;
  await flowLine.click();
  await expect(page.locator("#inspector-title")).toContainText(line);
  const flowRow = page.locator(`#inspector-rows tr[data-point="flow"]`);
  await expect(flowRow.locator(".whatif-ghost")).toHaveText(/^→ \d+\.\d\d L\/s at \+5 min$/);
  await expect(flowRow.locator("canvas")).toHaveAttribute("data-whatif", "shown");
  await page.screenshot({ path: test.info().outputPath("whatif-desktop.png") });

  // Removed from the room: the ghost goes.
  await item.locator(".whatif-remove").click();
  await expect(item).toHaveCount(0);
  await expect(flowRow.locator(".whatif-ghost")).toBeHidden();

  expectQuietPage(watch);
});

test("a person asks what if a pump cavitated or a speed drifted: faults from the same form, refused in words when the number is missing", async ({
  page,
}) => {
  const watch = await joinOnDesktop(page, "Reliability");
  // Cavitation needs a running pump (a stopped one is refused with that sentence): the transfer pumps P101 and P103
  // start and stop with their tank levels, the others run all the time in the demo.
  const pump = await clickAssetInView(page, ["P201", "P301", "P302", "P401"]);

  // The pump offers the faults its process model can say something about; a fault needs no point and no number.
  const change = page.locator("#whatif-change");
  await expect(change.locator("option")).toHaveText(["Set", "Stuck at", "Drifts per minute", /^Cavitation/]);
  await change.selectOption("cavitation");
  await expect(page.locator("#whatif-point")).toBeHidden();
  await expect(page.locator("#whatif-value")).toBeHidden();
  await expect(page.locator("#whatif .small.muted")).toContainText(`${pump} speed acts at 60 %`);
  await page.click("#whatif-go");
  const item = page.locator("#whatif-list > li");
  await expect(item).toHaveCount(1);
  await expect(item.locator(".whatif-title")).toHaveText(new RegExp(`^Reliability: ${pump} Speed \\(cavitation\\) `));
  await expect(item.locator("button.whatif-asset", { hasText: /^L\d+ Flow$/ })).toHaveCount(1);

  // A drift needs its rate: without one the form says so and asks the room nothing.
  await change.selectOption("drift");
  await expect(page.locator("#whatif-value")).toHaveAttribute("placeholder", "per minute");
  await page.fill("#whatif-value", "0");
  await page.click("#whatif-go");
  await expect(page.locator("#whatif .error")).toHaveText("Enter how far the point drifts per minute (not 0).");
  await expect(item).toHaveCount(1);
  await page.fill("#whatif-value", "-100");
  await page.click("#whatif-go");
  await expect(page.locator("#whatif .error")).toHaveText("");
  await expect(item).toHaveCount(2);
  await expect(item.last().locator(".whatif-title")).toHaveText(
    new RegExp(`^Reliability: ${pump} Speed \\(drifting -100 rpm/min\\) `),
  );

  expectQuietPage(watch);
});

test("a what-if saved in the room is laid over what really happened, with how far off it was in plant words", async ({
  page,
}) => {
  const watch = await joinOnDesktop(page, "Reliability");
  const pump = await clickAssetInView(page, ["P201", "P301", "P302", "P401"]);

  // What if the pump's speed stays where it is: the flow of the line it feeds is predicted to hold.
  await page.locator("#whatif-change").selectOption("stuck");
  await page.click("#whatif-go");
  const item = page.locator("#whatif-list > li").last();
  await expect(item.locator(".whatif-title")).toHaveText(
    new RegExp(`^Reliability: ${pump} Speed \\(stuck where it is\\) `),
  );
  const flowLine = item.locator("button.whatif-asset", { hasText: /^L\d+ Flow$/ });
  const line = ((await flowLine.textContent()) ?? "").split(" ")[0]!;
  await flowLine.click();
  await expect(page.locator("#inspector-title")).toContainText(line);
  const flowRow = page.locator(`#inspector-rows tr[data-point="flow"]`);
  // The dashed prediction on the chart, over the solid line of what the plant does from the fork on.
  await expect(flowRow.locator("canvas")).toHaveAttribute("data-whatif", "shown");
  const MISS = new RegExp(`^${MISS_FLOW}$`);
  const miss = flowRow.locator(".whatif-miss");
  await expect(miss).toHaveText(MISS, { timeout: 30_000 });

  // Time passes and the plant does what the what-if did not foresee: the pump cavitates and its flow falls ~40 %.
  await expectPlantFallsShort(page, server.url, pump, async () => (await miss.textContent()) ?? "", MISS);

  expectQuietPage(watch);
});

test("with a pump in alarm open in the inspector (its tallest), the inspector ends above the notes and the timeline and scrolls inside: its what-if's Remove takes a plain click", async ({
  page,
}) => {
  // A laptop's window: the tall inspector used to reach the bottom and lie over the notes panel and the timeline.
  const watch = await joinOnDesktop(page, "Night shift", 720);

  // P401 cavitates: its alarm and forecast rows join its points in the inspector.
  const trainer = { authorization: `Bearer ${await devToken(server.url, "Trainer", "expert")}` };
  const fault = await page.request.post(`${server.url}/api/sim/faults`, {
    headers: trainer,
    data: { name: "cavitation", target: "P401" },
  });
  expect(fault.status()).toBe(201);
  try {
    const row = page.locator('#alarm-list li[data-alarm="limit.suctionPressure:P401"]');
    await expect(row).toBeVisible({ timeout: 60_000 });
    await row.getByRole("button", { name: "Show" }).click();
    await expect(page.locator("#inspector-title")).toContainText("P401");
    await expect(page.locator("#inspector-alarms li").first()).toBeVisible();

    await expect(page.locator("#whatif-point")).toHaveValue("speed");
    await page.fill("#whatif-value", "1450");
    await page.click("#whatif-go");
    const mine = page.locator("#whatif-list > li", { hasText: /^Night shift: P401 Speed/ });
    await expect(mine).toHaveCount(1);

    // The inspector's content is taller than the room it has: it scrolls inside, and covers no other panel.
    const inspector = page.locator("#inspector");
    await expect
      .poll(() => inspector.evaluate((el) => el.scrollHeight > el.clientHeight), {
        message: "the inspector on P401 with a what-if is taller than the room above the notes",
      })
      .toBe(true);
    await expect
      .poll(() =>
        page.evaluate(() => {
          const box = (el: Element) => el.getBoundingClientRect();
          const ins = box(document.getElementById("inspector")!);
          const over: string[] = [];
          for (const el of document.querySelectorAll<HTMLElement>(".panel, #timeline")) {
            if (el.id === "inspector" || el.hidden) continue;
            const r = box(el);
            const w = Math.min(ins.right, r.right) - Math.max(ins.left, r.left);
            const h = Math.min(ins.bottom, r.bottom) - Math.max(ins.top, r.top);
            if (r.width > 0 && r.height > 0 && w > 0 && h > 0) over.push(el.id);
          }
          return over;
        }),
      )
      .toEqual([]);

    // A plain click (Playwright refuses one on a covered button): the what-if goes.
    await mine.locator(".whatif-remove").click();
    await expect(mine).toHaveCount(0);
  } finally {
    // The simulator runs for the whole file: leave P401 healthy for the other stories.
    await page.request.delete(`${server.url}/api/sim/faults`, { headers: trainer });
  }

  expectQuietPage(watch);
});
