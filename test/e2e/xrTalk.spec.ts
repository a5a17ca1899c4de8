/**
 * Push-to-talk in an emulated Quest 3 (iwer) with a fake microphone: a technician in the voice call, muted, holds the
 * right controller's B button and the microphone opens for as long as it is held (everyone sees "not muted"); then,
 * with tracked hands, a held left-hand pinch does the same and its release is not a click. Before this, muted meant
 * muted until the headset came off to reach the desktop's mute button.
 */
import { expect, test } from "./fixtures.ts";
import type { Page } from "@playwright/test";
import { joinCall, useCallRig } from "./callRig.ts";
import { installIwer, xrFrames } from "../../kit/iwer.ts";
import { joinAs, seatOf, watchPage } from "./page.ts";
import { holdControllers } from "./xrWrist.ts";

const rig = useCallRig();

/** The call's microphone state on this page, and the seat's muted flag as the room (everyone) sees it. */
const micState = (page: Page, seat: string) =>
  page.evaluate((id) => {
    const s = window.__gemba!.state()?.seats.get(id);
    return { muted: window.__gemba_voice!.muted, roomMuted: s?.muted ?? null, talking: !!window.__gemba_xr?.talking };
  }, seat);

test("in a headset, holding B or a left-hand pinch opens a muted microphone until it is let go", async () => {
  test.setTimeout(300_000);
  const page = await rig.page();
  const watch = watchPage(page, rig.server.url);
  await installIwer(page);
  await joinAs(page, rig.server.url, "Tam");
  const me = await seatOf(page);
  await joinCall(page);
  await page.click("#voice-mute");
  await expect
    .poll(() => micState(page, me), { timeout: 60_000 })
    .toEqual({ muted: true, roomMuted: true, talking: false });

  await holdControllers(page);
  await page.locator("#btn-xr-vr").click();
  await page.waitForFunction(() => window.__gemba_xr?.mode === "vr", null, { timeout: 60_000 });
  await xrFrames(page, 5);

  // Right B held: talking, for everyone to see; let go: muted again. The panel was not pinned by it.
  await page.evaluate(() => window.__iwer!.button("controller-right", "b-button", 1));
  await expect
    .poll(() => micState(page, me), { timeout: 60_000 })
    .toEqual({ muted: false, roomMuted: false, talking: true });
  await xrFrames(page, 10);
  expect((await micState(page, me)).muted, "still open while held").toBe(false);
  await page.evaluate(() => window.__iwer!.button("controller-right", "b-button", 0));
  await expect
    .poll(() => micState(page, me), { timeout: 60_000 })
    .toEqual({ muted: true, roomMuted: true, talking: false });
  expect(await page.evaluate(() => window.__gemba_xr!.pinned)).toBe(false);

  // Tracked hands: a held pinch of the left hand talks; letting go mutes, and is not a click on what the ray points at.
  await page.evaluate(() => {
    window.__iwer!.setInputMode("hand");
    window.__iwer!.pose("hand-left", [-0.2, 1.3, -0.35], [-0.15, 1.45, -1.3]);
    window.__iwer!.pose("hand-right", [0.22, 1.3, -0.35], [0.2, 1.3, -1.3]);
  });
  await page.waitForFunction(() => (window.__gemba_xr?.hands ?? []).includes("left:hand"), null, { timeout: 60_000 });
  await xrFrames(page, 3);
  const clickBefore = await page.evaluate(() => window.__gemba_xr!.lastClick);
  await page.evaluate(() => window.__iwer!.button("hand-left", "pinch", 1));
  await expect
    .poll(() => micState(page, me), { timeout: 60_000 })
    .toEqual({ muted: false, roomMuted: false, talking: true });
  await page.evaluate(() => window.__iwer!.button("hand-left", "pinch", 0));
  await expect
    .poll(() => micState(page, me), { timeout: 60_000 })
    .toEqual({ muted: true, roomMuted: true, talking: false });
  await xrFrames(page, 3);
  expect(await page.evaluate(() => window.__gemba_xr!.lastClick), "the pinch's release was not a click").toBe(
    clickBefore,
  );

  expect(watch.offOrigin, "requests off the app's origin").toEqual([]);
  expect(watch.errors, "console errors").toEqual([]);
});
