/**
 * Shared playback reaches the headset: a remote expert scrubs the room back in time, and the technician in an emulated
 * Quest 3 (iwer) reads the past on the wrist panel, the same values the desktop shows, marked PLAYBACK. Before the
 * panels read the page's one RoomView, the wrist kept showing live values while the desktop beside it showed the past.
 */
import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures.ts";
import { PlantRoomState } from "../../shared/state.ts";
import { PLANT_ROOM, PROTOCOL_VERSION } from "../../shared/protocol.ts";
import { MOSQUITTO, publisher } from "../integration/harness.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { devClient } from "../../kit/devSignIn.ts";
import { installIwer, xrFrames } from "../../kit/iwer.ts";
import { joinAs, watchPage } from "./page.ts";
import { holdControllers } from "./xrWrist.ts";

const prefix = `test-${randomUUID().slice(0, 8)}/`;
let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer({ MQTT_URL: MOSQUITTO, MQTT_TOPIC_PREFIX: prefix, SIM: "off" });
});
test.afterAll(async () => {
  await server?.stop();
});

test("an expert scrubs the room back in time: the headset's wrist panel shows the past value, marked PLAYBACK, then live again", async ({
  page,
}) => {
  const watch = watchPage(page, server.url);
  const topic = `${prefix}gemba/demo/T102/level`;
  const pub = await publisher();
  const now = Date.now();
  // T102's level was 20 % a minute ago and is 80 % now.
  await pub.publishAsync(topic, JSON.stringify({ v: 20, ts: now - 60_000 }));
  await pub.publishAsync(topic, JSON.stringify({ v: 80, ts: now - 1_000 }));
  await pub.endAsync();

  await installIwer(page);
  await joinAs(page, server.url, "Tam");
  // Tam clicks the tank on the desktop, then puts the headset on: the wrist panel follows the page's selection.
  const at = await page.evaluate(() => window.__gemba!.scene()!.screenOf("T102"));
  expect(at).not.toBeNull();
  await page.mouse.click(at!.x, at!.y);
  await expect(page.locator("#inspector-title")).toContainText("T102");
  await holdControllers(page);
  await page.locator("#btn-xr-vr").click();
  await page.waitForFunction(() => window.__gemba_xr?.mode === "vr", null, { timeout: 60_000 });
  await xrFrames(page, 5);
  const wrist = () => page.evaluate(() => window.__gemba_xr!.panelText);
  await expect
    .poll(wrist, { timeout: 60_000 })
    .toMatch(/^T102 · [^\n]*\n(?![^\n]*PLAYBACK)[^\n]*\n(.*\n)*Level: 80\.0 %/);

  // A remote expert on a laptop scrubs the whole room to 30 s after the first reading.
  const expert = await (
    await devClient(server.url, "Eve", "expert")
  ).joinOrCreate<PlantRoomState>(
    PLANT_ROOM,
    { protocol: PROTOCOL_VERSION, plant: "demo", name: "Eve", device: "desktop" },
    PlantRoomState,
  );
  expert.onMessage("*", () => {});
  await expert.request("playback", { action: "seek", t: now - 30_000 });
  await expect.poll(wrist, { timeout: 60_000 }).toMatch(/PLAYBACK [^\n]*\n(.*\n)*Level: 20\.0 %/);

  // Back to live: the wrist shows the present again.
  await expert.request("playback", { action: "live" });
  await expect
    .poll(wrist, { timeout: 60_000 })
    .toMatch(/^T102 · [^\n]*\n(?![^\n]*PLAYBACK)[^\n]*\n(.*\n)*Level: 80\.0 %/);

  await expert.leave();
  expect(watch.offOrigin, "requests off the app's origin").toEqual([]);
  expect(watch.errors, "console errors").toEqual([]);
});
