/** Helpers for driving the Gemba page: join with a name, watch for off-origin requests and console errors. */
import { expect, type Page } from "@playwright/test";

export interface PageWatch {
  offOrigin: string[];
  errors: string[];
  /** Console warnings (a WebGL feedback loop, a deprecated call): a quiet page has none. */
  warnings: string[];
}

export function watchPage(page: Page, origin: string): PageWatch {
  const w: PageWatch = { offOrigin: [], errors: [], warnings: [] };
  page.on("request", (req) => {
    const u = req.url();
    if (u.startsWith("data:") || u.startsWith("blob:")) return;
    if (new URL(u).origin !== origin) w.offOrigin.push(u);
  });
  page.on("console", (msg) => {
    if (msg.type() === "error") w.errors.push(msg.text());
    else if (msg.type() === "warning") w.warnings.push(msg.text());
  });
  page.on("pageerror", (err) => w.errors.push(String(err)));
  return w;
}

/** What every spec checks at its end: the page asked nothing of another origin and logged no error. */
export function expectQuietPage(watch: PageWatch): void {
  expect(watch.offOrigin, "requests off the app's origin").toEqual([]);
  expect(watch.errors, "console errors").toEqual([]);
}

/** `query` asks the page for more, e.g. "?role=expert" (development sign-in signs the role asked for). */
export async function joinAs(page: Page, url: string, name: string, query = ""): Promise<void> {
  await page.goto(url + "/" + query);
  await expect(page.locator("#join")).toBeVisible();
  await page.fill("#join-name", name);
  await page.click("#join-go");
  await page.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 180_000 });
}

/** The page's address once it is on a drill's sandbox plant of the demo (`?plant=demo~drill-<id>`). */
export const DRILL_URL = /plant=demo(~|%7E)drill-[a-z0-9]+/;

/**
 * The page reopened itself on another plant (a drill's "Join drill" / "Watch drill", from the panel or the wrist):
 * wait for that address, take the join dialog (it offers the same name) and wait until the room is ready.
 */
export async function rejoinAfterReload(page: Page, url: RegExp): Promise<void> {
  await page.waitForURL(url);
  await expect(page.locator("#join")).toBeVisible();
  await page.click("#join-go");
  await page.waitForFunction(() => window.__gemba?.ready === true, null, { timeout: 180_000 });
}

/** Count distinct (coarsely quantised) colours in what the page actually shows: a flat or blank view has very few. */
export async function distinctScreenColours(page: Page): Promise<number> {
  const png = (await page.screenshot()).toString("base64");
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = 128;
    c.height = 72;
    const ctx = c.getContext("2d")!;
    ctx.drawImage(img, 0, 0, 128, 72);
    const d = ctx.getImageData(0, 0, 128, 72).data;
    const set = new Set<number>();
    for (let i = 0; i < d.length; i += 4) set.add((d[i]! >> 4) * 256 + (d[i + 1]! >> 4) * 16 + (d[i + 2]! >> 4));
    return set.size;
  }, png);
}

/** The page's seat id, once the room's welcome has named it (it can arrive just after the page says it is ready). */
export async function seatOf(page: Page): Promise<string> {
  return (await page.waitForFunction(() => window.__gemba?.seat() ?? null)).jsonValue() as Promise<string>;
}

/** The demo's labels show live values (T301's level has its unit) and some value changes: data is flowing. */
export async function expectLiveValues(page: Page): Promise<void> {
  await expect(page.locator('.label[data-twin="T301"] .val').first()).toHaveText(/%/, { timeout: 60_000 });
  const before = await page.locator(".label .val").allTextContents();
  await page.waitForFunction(
    (prev) => [...document.querySelectorAll(".label .val")].some((e, i) => e.textContent !== prev[i]),
    before,
    { timeout: 60_000 },
  );
}

/**
 * Click the first of `ids` that is in plain view on the desktop canvas (a click there lands on it), as a person
 * picks an asset; returns its id after the inspector shows it.
 */
export async function clickAssetInView(page: Page, ids: readonly string[]): Promise<string> {
  const canvas = (await page.locator("#view").boundingBox())!;
  const pick = await page.evaluate((list) => {
    const scene = window.__gemba!.scene()!;
    for (const id of list) {
      const at = scene.screenOf(id);
      if (at && scene.pickAt(at.x, at.y)?.twin === id) return { id, at };
    }
    return null;
  }, ids);
  expect(pick, `one of ${ids.join(", ")} is in plain view`).not.toBeNull();
  await page.mouse.click(canvas.x + pick!.at.x, canvas.y + pick!.at.y);
  await expect(page.locator("#inspector-title")).toContainText(pick!.id);
  return pick!.id;
}
