/**
 * Precise, forgiving input on the desktop: the bookmark is named in the page's own dialog (no browser prompt), a
 * message never covers the timeline, the inspector's trend chart has a scale, unit and limit lines, a pin a few
 * pixels off an asset still lands on it, and ink shows its stroke and says why when it cannot land.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { joinAs, watchPage } from "./page.ts";

let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer({ DEV_ROLE: "expert" });
});
test.afterAll(async () => {
  await server?.stop();
});

/** A screen spot just off an asset's silhouette: walking right from its centre, `past` px beyond where it ends. */
const justOff = (page: Page, twin: string, past: number) =>
  page.evaluate(
    ([twin, past]) => {
      const s = window.__gemba!.scene()!;
      const c = s.screenOf(twin)!;
      for (let x = c.x; x < c.x + 400; x++) {
        if (s.pickAt(x, c.y)?.twin === twin) continue;
        const spot = { x: x + past - 1, y: c.y };
        // The exact ray at that spot must miss every asset (else it is not a near miss).
        return s.pickAt(spot.x, spot.y)?.twin ? null : spot;
      }
      return null;
    },
    [twin, past] as const,
  );

/** A spot with sky behind it: top middle of the view, below the top bar. */
const SKY = { x: 640, y: 60 };

test("bookmarks are named in an in-page dialog that says what is wrong, and toasts stay clear of the timeline", async ({
  page,
}) => {
  const watch = watchPage(page, server.url);
  const browserDialogs: string[] = [];
  page.on("dialog", (d) => {
    browserDialogs.push(d.message());
    void d.dismiss();
  });
  await joinAs(page, server.url, "Ina");

  await page.click("#tl-bookmark");
  const dialog = page.locator("#text-dialog");
  await expect(dialog).toBeVisible();
  await expect(page.locator("#text-dialog-input")).toHaveValue(/^\d{2}:\d{2}:\d{2}$/);
  await page.fill("#text-dialog-input", "   ");
  await page.click("#text-dialog-go");
  await expect(page.locator("#text-dialog-error")).toHaveText("Name: type at least one character.");
  await expect(dialog).toBeVisible();
  await page.fill("#text-dialog-input", "Pump restart");
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(page.locator("#tl-marks .tl-mark.bookmark").first()).toHaveAttribute(
    "title",
    /Bookmark “Pump restart” by Ina/,
  );
  expect(browserDialogs).toEqual([]);

  // A message (here: a pin tapped on the sky) sits above the timeline, not over its buttons.
  await page.click("#btn-pin");
  await page.mouse.click(SKY.x, SKY.y);
  const toast = page.locator("#toast");
  await expect(toast).toHaveText("Click on an asset to pin a note to it.");
  const t = (await toast.boundingBox())!;
  const bar = (await page.locator("#timeline").boundingBox())!;
  expect(t.y + t.height, "toast bottom above the timeline's top").toBeLessThanOrEqual(bar.y);
  expect(watch.errors).toEqual([]);
});

test("the inspector's chart has a scale with the unit and the alarm limit lines", async ({ page }) => {
  await joinAs(page, server.url, "Cas");
  await page.evaluate(() => window.__gemba!.scene()!.onPick("P401"));
  const chart = page.locator('#inspector-rows tr[data-point="suctionPressure"] canvas');
  await expect(chart).toHaveAttribute("data-scale", /^-?\d+\.\d+–\d+\.\d+ bar$/, { timeout: 60_000 });
  await expect(chart).toHaveAttribute("data-limits", "low alarm 0.15 bar; low warning 0.30 bar");
  await expect(chart).toHaveAttribute("aria-label", /Suction pressure, last 5 min, scale .* bar; low alarm 0\.15 bar/);
  // The scale takes in the alarm limit, so the line's distance to it shows.
  const [lo] = (await chart.getAttribute("data-scale"))!.replace(" bar", "").split("–").map(Number);
  expect(lo).toBeLessThan(0.15);
});

test("a pin a few pixels off an asset lands on it; ink shows its stroke and says why when it cannot land", async ({
  page,
}) => {
  const watch = watchPage(page, server.url);
  await joinAs(page, server.url, "Pia");
  await page.evaluate(() => window.__gemba!.scene()!.resetView());

  // Pin: 3 px beside the tank T201's outline, where the exact ray hits the floor or sky.
  const off = await justOff(page, "T201", 3);
  expect(off).not.toBeNull();
  await page.click("#btn-pin");
  await page.mouse.click(off!.x, off!.y);
  await expect(page.locator("#note-dialog")).toBeVisible();
  await expect(page.locator("#note-where")).toHaveText("On T201");
  await page.click("#note-cancel");

  // Ink started on the sky: a clear message, no silent nothing.
  await page.click("#btn-ink");
  await page.mouse.move(SKY.x, SKY.y);
  await page.mouse.down();
  await page.mouse.up();
  await expect(page.locator("#toast")).toContainText("Ink sticks to an asset");

  // A click on the asset without dragging: too short to keep, and it says so.
  const c = (await page.evaluate(() => window.__gemba!.scene()!.screenOf("T201")))!;
  await page.mouse.move(c.x, c.y);
  await page.mouse.down();
  await page.mouse.up();
  await expect(page.locator("#toast")).toContainText("too short to keep");
  // That click also selected the tank: close the inspector so it does not cover the tank.
  await page.evaluate(() => window.__gemba!.scene()!.onPick(null));
  await expect(page.locator("#inspector")).toBeHidden();

  // A real stroke: it shows under the pointer while drawn, then asks for the optional note.
  await page.mouse.move(c.x - 10, c.y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(c.x - 10 + i * 3, c.y + i);
  await expect(page.locator("#ink-trail")).toHaveClass(/on/);
  expect(((await page.locator("#ink-trail polyline").getAttribute("points")) ?? "").split(" ").length).toBeGreaterThan(
    3,
  );
  await page.mouse.up();
  await expect(page.locator("#ink-trail")).not.toHaveClass(/on/);
  await expect(page.locator("#note-dialog")).toBeVisible();
  await expect(page.locator("#note-title")).toHaveText("Ink mark");
  await page.click("#note-go");
  await expect
    .poll(() => page.evaluate(() => [...window.__gemba!.state()!.annotations.values()].map((a) => a.kind)))
    .toContain("ink");
  expect(watch.errors).toEqual([]);
});
