/**
 * The first view carries only what shows the plant's live values (issue #26 item 5): XR, the voice call, the
 * QR code encoder and the procedures panel are separate chunks the page fetches when they are first used. A
 * feature whose chunk cannot be fetched says so and can be tried again. Chunk names are Vite's, after the
 * module each dynamic import names (client/xr/index.ts, client/voice/index.ts, client/ui/Handoff.ts,
 * client/app/procedures.ts).
 */
import { expect, test } from "./fixtures.ts";
import type { Page } from "@playwright/test";
import { joinCall, useCallRig } from "./callRig.ts";
import { installIwer } from "../../kit/iwer.ts";
import { joinAs, watchPage } from "./page.ts";

const CHUNK = {
  xr: /\/assets\/XrExperience-[^/]+\.js$/,
  voice: /\/assets\/VoiceCall-[^/]+\.js$/,
  qr: /\/assets\/browser-[^/]+\.js$/,
  procedures: /\/assets\/ProceduresPanel-[^/]+\.js$/,
};
type Feature = keyof typeof CHUNK;

// Fake microphone, as in voice.spec.ts: "Join voice" must really join. Each test closes its pages: a page left in the
// call would make the next test's page load the voice chunk, rightly (someone is in the call).
const rig = useCallRig({}, { closeAfterEach: true });

/** Which lazy chunks the page has requested so far, in order. */
function watchChunks(page: Page): Feature[] {
  const seen: Feature[] = [];
  page.on("request", (req) => {
    for (const [f, re] of Object.entries(CHUNK)) if (re.test(req.url())) seen.push(f as Feature);
  });
  return seen;
}

/** Resolves when a label shows a value; with `at`, to the page's performance.now() then. */
const firstLiveValue = (page: Page, at = false) =>
  page.waitForFunction(
    (withTime) =>
      [...document.querySelectorAll("#labels .label .val")].some((e) => e.textContent && e.textContent !== "—") &&
      (withTime ? performance.now() : true),
    at,
    { timeout: 180_000 },
  );

test("a laptop's first view fetches no XR, voice or QR code; each loads on first use and works", async () => {
  test.setTimeout(300_000);
  const page = await rig.page({ width: 1280, height: 720 });
  const watch = watchPage(page, rig.server.url);
  const chunks = watchChunks(page);
  await joinAs(page, rig.server.url, "Ada");
  await firstLiveValue(page);
  expect(chunks).toEqual([]);
  // The procedures panel follows once the room's first state is in (its top-bar button appears with it).
  await expect(page.locator("#btn-procedures")).toBeVisible({ timeout: 60_000 });
  expect(chunks).toEqual(["procedures"]);
  // Without a headset the browser supports no immersive session: XR's code is never fetched.
  await expect(page.locator("#btn-xr-vr")).toBeHidden();

  await page.click("#btn-move");
  await expect(page.locator("#move-code")).toHaveText(/^\d{3} \d{3}$/, { timeout: 60_000 });
  expect(chunks).toEqual(["procedures", "qr"]);
  await page.click("#move-dialog button:has-text('Close')");

  await joinCall(page);
  await expect(page.locator("#voice-join")).toHaveText("Leave voice");
  expect(chunks).toEqual(["procedures", "qr", "voice"]);
  expect(watch.errors).toEqual([]);
  expect(watch.offOrigin).toEqual([]);
  await page.click("#voice-join");
  await page.waitForFunction(() => window.__gemba_voice?.inCall === false, null, { timeout: 60_000 });
});

test("a headset fetches XR's code only after its first live value, and enters VR with it", async () => {
  test.setTimeout(300_000);
  const page = await rig.page({ width: 960, height: 600 });
  const chunks = watchChunks(page);
  await installIwer(page);
  await joinAs(page, rig.server.url, "Headset");
  // On a device that supports XR the page fetches XR's code by itself once the plant shows: compare, in the
  // page's own clock, when the first value was on a label with when the XR chunk was requested.
  const shownAt = (await (await firstLiveValue(page, true)).jsonValue()) as number;
  await page.click("#btn-xr-vr");
  await page.waitForFunction(() => window.__gemba_xr?.mode === "vr", null, { timeout: 60_000 });
  const xrStart = await page.evaluate(
    (re) => performance.getEntriesByType("resource").find((e) => new RegExp(re).test(e.name))?.startTime ?? null,
    CHUNK.xr.source,
  );
  expect(chunks).toContain("xr");
  expect(xrStart).not.toBeNull();
  expect(xrStart!).toBeGreaterThan(shownAt);
  expect(chunks).not.toContain("voice");
});

test("when a feature's code cannot be fetched, its button says so and a later try works", async () => {
  test.setTimeout(300_000);
  const page = await rig.page({ width: 960, height: 600 });
  let blocked = true;
  await page.route(CHUNK.voice, (route) => (blocked ? route.abort("connectionreset") : route.continue()));
  await page.route(CHUNK.xr, (route) => (blocked ? route.abort("connectionreset") : route.continue()));
  await installIwer(page);
  await joinAs(page, rig.server.url, "Bo");

  await page.click("#voice-join");
  await expect(page.locator("#voice-msg")).toContainText("Voice could not be loaded", { timeout: 60_000 });
  await expect(page.locator("#voice-join")).toHaveText("Join voice");
  await expect(page.locator("#voice-join")).toBeEnabled();

  await page.click("#btn-xr-vr");
  await expect(page.locator("#toast")).toContainText("Could not load VR", { timeout: 60_000 });
  await expect(page.locator("#btn-xr-vr")).toHaveText("Enter VR");

  blocked = false;
  await joinCall(page);
  await page.click("#btn-xr-vr");
  await page.waitForFunction(() => window.__gemba_xr?.mode === "vr", null, { timeout: 60_000 });
});
