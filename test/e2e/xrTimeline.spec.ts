/**
 * The shared timeline on the wrist (client/xr/timeTab.ts), in an emulated Quest 3 (iwer), used with the controller
 * ray: an expert scrubs the room back a minute, forward 10 s, along the scrubber, bookmarks the shown instant, jumps
 * back to the bookmark and returns to live. Each press is the desktop timeline's room request (`playback`,
 * `bookmark`); a colleague's SDK client sees the room's time move. Before the Time tab, none of this was possible
 * in a headset.
 */
import { expect, test } from "./fixtures.ts";
import type { Page } from "@playwright/test";
import { joinPlant } from "../../kit/observer.ts";
import { sliderUv } from "../../client/xr/panelLayout.ts";
import { watchPage, expectQuietPage } from "./page.ts";
import { useQuietPlant } from "./quietPlant.ts";
import { joinInHeadset, openTab, pressList, pressWrist, wristText } from "./xrWrist.ts";

const plant = useQuietPlant({ DEV_ROLE: "expert" });

const viewTime = (page: Page) => page.evaluate(() => window.__gemba!.state()!.viewTime);

test("an expert in a headset scrubs the shared timeline from the wrist, bookmarks the moment, jumps back to it and returns to live", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const watch = watchPage(page, plant.url);
  // Five minutes of working memory: T102's level then and now.
  const t0 = Date.now();
  await plant.publish("T102/level", { v: 20, ts: t0 - 300_000 }, { v: 80, ts: t0 - 1_000 });
  // A colleague on a laptop watches the room's time.
  const bo = await joinPlant(plant.url, "Bo", { role: "viewer", device: "desktop" });

  await joinInHeadset(page, plant.url, "Eli");

  await openTab(page, "time");
  // Live: back a minute or 10 s, a scrubber, Bookmark; nothing to go forward to and no "Live" (no dead buttons).
  await expect
    .poll(() => wristText(page), { timeout: 60_000 })
    .toMatch(
      /^LIVE\n\[−1 min\] \[−10 s\]\nScrubber .* … now at 100 %\nShown: now \(.*\) — Memory from .* \[Bookmark\]$/,
    );

  expect(await pressList(page, { area: "action", slot: 0 })).toBe("list:scrub");
  await expect.poll(() => bo.state.viewTime, { timeout: 60_000 }).toBeGreaterThan(0);
  const back = bo.state.viewTime;
  expect(Date.now() - back).toBeGreaterThanOrEqual(60_000);
  await expect
    .poll(() => wristText(page), { timeout: 60_000 })
    .toMatch(/^PLAYBACK \S+ · Eli\n\[−1 min\] \[−10 s\] \[\+10 s\]\n/);
  expect(await pressList(page, { area: "action", slot: 2 })).toBe("list:scrub");
  await expect.poll(() => bo.state.viewTime, { timeout: 60_000 }).toBe(back + 10_000);

  // The middle of the scrubber: halfway between the start of working memory (5 min ago) and now.
  expect(await pressWrist(page, "_xrList", sliderUv(0.5))).toBe("list:slider");
  await expect.poll(() => bo.state.viewTime, { timeout: 60_000 }).not.toBe(back + 10_000);
  const mid = bo.state.viewTime;
  const expected = (t0 - 300_000 + Date.now()) / 2;
  expect(Math.abs(mid - expected), "halfway along working memory").toBeLessThan(30_000);
  await expect.poll(() => viewTime(page)).toBe(mid);

  // Bookmark the shown instant: an automatic name, in the journal, listed with Go.
  await expect.poll(() => wristText(page), { timeout: 60_000 }).toMatch(/\nShown: \S+ — .* \[Bookmark\] \[Live\]/);
  expect(await pressList(page, { area: "row", row: 1, slot: 0 })).toBe("list:bookmark");
  const name = `Bookmark ${await page.evaluate((t) => new Date(t).toLocaleTimeString([], { hour12: false }), mid)}`;
  await expect.poll(() => wristText(page), { timeout: 60_000 }).toContain(`\n${name} — `);
  expect(await wristText(page)).toMatch(new RegExp(`${name} — \\S+ · Eli \\[Go\\]`));

  // Elsewhere in time, then Go jumps back to the bookmarked instant exactly.
  expect(await pressList(page, { area: "action", slot: 1 })).toBe("list:scrub");
  await expect.poll(() => bo.state.viewTime, { timeout: 60_000 }).toBe(mid - 10_000);
  expect(await pressList(page, { area: "row", row: 2, slot: 1 })).toBe("list:seek");
  await expect.poll(() => bo.state.viewTime, { timeout: 60_000 }).toBe(mid);

  // Back to live for everyone.
  expect(await pressList(page, { area: "row", row: 1, slot: 1 })).toBe("list:live");
  await expect.poll(() => bo.state.viewTime, { timeout: 60_000 }).toBe(0);
  await expect.poll(() => wristText(page), { timeout: 60_000 }).toMatch(/^(Back to live|LIVE)\n\[−1 min\] \[−10 s\]\n/);

  await bo.leave();
  expectQuietPage(watch);
});
