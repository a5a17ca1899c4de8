/**
 * Shared playback reaches the headset: a remote expert scrubs the room back in time, and the technician in an emulated
 * Quest 3 (iwer) reads the past on the wrist panel, the same values the desktop shows, marked PLAYBACK. Before the
 * panels read the page's one RoomView, the wrist kept showing live values while the desktop beside it showed the past.
 */
import { expect, test } from "./fixtures.ts";
import { joinPlant } from "../../kit/observer.ts";
import { installIwer } from "../../kit/iwer.ts";
import { joinAs, watchPage, expectQuietPage } from "./page.ts";
import { useQuietPlant } from "./quietPlant.ts";
import { enterVr } from "./xrWrist.ts";

const plant = useQuietPlant();

test("an expert scrubs the room back in time: the headset's wrist panel shows the past value, marked PLAYBACK, then live again", async ({
  page,
}) => {
  const watch = watchPage(page, plant.url);
  const now = Date.now();
  // T102's level was 20 % a minute ago and is 80 % now.
  await plant.publish("T102/level", { v: 20, ts: now - 60_000 }, { v: 80, ts: now - 1_000 });

  await installIwer(page);
  await joinAs(page, plant.url, "Tam");
  // Tam clicks the tank on the desktop, then puts the headset on: the wrist panel follows the page's selection.
  const at = await page.evaluate(() => window.__gemba!.scene()!.screenOf("T102"));
  expect(at).not.toBeNull();
  await page.mouse.click(at!.x, at!.y);
  await expect(page.locator("#inspector-title")).toContainText("T102");
  await enterVr(page);
  const wrist = () => page.evaluate(() => window.__gemba_xr!.panelText);
  await expect
    .poll(wrist, { timeout: 60_000 })
    .toMatch(/^T102 · [^\n]*\n(?![^\n]*PLAYBACK)[^\n]*\n(.*\n)*Level: 80\.0 %/);

  // A remote expert on a laptop scrubs the whole room to 30 s after the first reading.
  const expert = await joinPlant(plant.url, "Eve", { role: "expert", device: "desktop" });
  await expert.request("playback", { action: "seek", t: now - 30_000 });
  await expect.poll(wrist, { timeout: 60_000 }).toMatch(/PLAYBACK [^\n]*\n(.*\n)*Level: 20\.0 %/);

  // Back to live: the wrist shows the present again.
  await expert.request("playback", { action: "live" });
  await expect
    .poll(wrist, { timeout: 60_000 })
    .toMatch(/^T102 · [^\n]*\n(?![^\n]*PLAYBACK)[^\n]*\n(.*\n)*Level: 80\.0 %/);

  await expert.leave();
  expectQuietPage(watch);
});
