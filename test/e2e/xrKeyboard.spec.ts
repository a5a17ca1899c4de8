/**
 * Writing a note in an emulated Quest 3 (iwer) on the wrist keyboard (client/xr/keyboardLayout.ts), with the
 * controller ray as a headset user would: select an asset, Notes → Write…, a quick label, a few keys (with a
 * correction), Pin note. The note lands in the room with that text, where the ray hit the asset. Before the
 * keyboard a headset could only pin one of three fixed labels.
 */
import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures.ts";
import type { Page } from "@playwright/test";
import { PlantRoomState } from "../../shared/state.ts";
import { PLANT_ROOM, PROTOCOL_VERSION } from "../../shared/protocol.ts";
import { MOSQUITTO } from "../integration/harness.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { devClient } from "../../kit/devSignIn.ts";
import { click, installIwer, xrFrames } from "../../kit/iwer.ts";
import { keyUv } from "../../client/xr/keyboardLayout.ts";
import { joinAs, watchPage } from "./page.ts";
import { holdControllers, openTab, pressList, pressWrist, visibleAsset, wristText } from "./xrWrist.ts";

const prefix = `test-${randomUUID().slice(0, 8)}/`;
let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer({ MQTT_URL: MOSQUITTO, MQTT_TOPIC_PREFIX: prefix, SIM: "off" });
});
test.afterAll(async () => {
  await server?.stop();
});

const key = (page: Page, label: string) => pressWrist(page, "_xrKeyboard", keyUv(label));

test("a headset user writes a free-text note on the wrist keyboard and pins it on the asset the ray hit", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const watch = watchPage(page, server.url);
  const bo = await (
    await devClient(server.url, "Bo", "viewer")
  ).joinOrCreate<PlantRoomState>(
    PLANT_ROOM,
    { protocol: PROTOCOL_VERSION, plant: "demo", name: "Bo", device: "desktop" },
    PlantRoomState,
  );
  bo.onMessage("*", () => {});

  await installIwer(page);
  await joinAs(page, server.url, "Ada");
  await holdControllers(page);
  await page.locator("#btn-xr-vr").click();
  await page.waitForFunction(() => window.__gemba_xr?.mode === "vr", null, { timeout: 60_000 });
  await xrFrames(page, 5);

  const twin = await visibleAsset(page);
  await page.evaluate((w) => window.__iwer!.aimAtWorld("controller-right", w), twin.world);
  await xrFrames(page, 3);
  await click(page, "controller-right");
  await page.waitForFunction((id) => window.__gemba_xr?.selected === id, twin.id, { timeout: 60_000 });

  await openTab(page, "notes");
  await expect.poll(() => wristText(page)).toContain("[Check here] [Leak?] [Write…]");
  expect(await pressList(page, { area: "action", slot: 2 })).toBe("list:write");
  await expect.poll(() => wristText(page)).toBe(`Writing a note on ${twin.id}\n`);

  // "Leak" from the quick labels, then "at 3x", then ⌫ takes the x back; the first letter after a label is small.
  expect(await key(page, "Leak")).toBe("key:Leak");
  for (const k of ["a", "t", "Space", "3", "x"]) expect(await key(page, k)).toBe(`key:${k}`);
  await expect.poll(() => wristText(page)).toBe(`Writing a note on ${twin.id}\nLeak at 3x`);
  expect(await key(page, "⌫")).toBe("key:⌫");
  await expect.poll(() => wristText(page)).toBe(`Writing a note on ${twin.id}\nLeak at 3`);

  expect(await key(page, "Pin note")).toBe("key:Pin note");
  await expect
    .poll(() => [...bo.state.annotations.values()].map((n) => `${n.twin}|${n.text}|${n.author}|${n.kind}`), {
      timeout: 60_000,
    })
    .toEqual([`${twin.id}|Leak at 3|Ada|pin`]);
  // Back on the Notes list, which shows the new note.
  await expect.poll(() => wristText(page), { timeout: 60_000 }).toContain("Leak at 3 — Ada · open");

  await bo.leave();
  expect(watch.offOrigin, "requests off the app's origin").toEqual([]);
  expect(watch.errors, "console errors").toEqual([]);
});
