/**
 * Reading an incident report in an emulated Quest 3 (iwer): an alarm comes in, a colleague acknowledges and shelves
 * it with a reason, and the headset user opens Alarms → Reports → Report and reads, page by page, what happened and
 * who did what, with the shelve reason in words. It is the report the desktop downloads; before, a headset could
 * not read it at all.
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
import { holdControllers, openTab, pressList, wristText } from "./xrWrist.ts";

const prefix = `test-${randomUUID().slice(0, 8)}/`;
let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer({ MQTT_URL: MOSQUITTO, MQTT_TOPIC_PREFIX: prefix, SIM: "off" });
});
test.afterAll(async () => {
  await server?.stop();
});

test("a headset user reads an alarm's incident report on the wrist: what happened, who did what, the shelve reason", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const watch = watchPage(page, server.url);
  const bo = await (
    await devClient(server.url, "Bo", "operator")
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

  // T102's level goes above its alarm limit; Bo acknowledges it and shelves it with a reason.
  const pub = await publisher();
  await pub.publishAsync(`${prefix}gemba/demo/T102/level`, JSON.stringify({ v: 98.5 }));
  await pub.endAsync();
  const alarm = "limit.level:T102";
  await expect.poll(() => bo.state.alarms.get(alarm)?.state, { timeout: 60_000 }).toBe("unack-active");
  await bo.request("ack", { alarm });
  await bo.request("shelve", { alarm, minutes: 30, reason: "Level probe being swapped" });

  await openTab(page, "alarms");
  await expect.poll(() => wristText(page), { timeout: 60_000 }).toMatch(/\n\[Reports\]\nT102 · /);
  expect(await pressList(page, { area: "action", slot: 0 })).toBe("list:reports");
  await expect.poll(() => wristText(page)).toMatch(/^Incident reports: pick an alarm\n\[Back\]\nT102 · .* \[Report\]/);
  expect(await pressList(page, { area: "row", row: 0, slot: 1 })).toBe("list:report");

  // Page 1: who was here, the alarm, the acknowledgement; page 2: the shelving, with its reason in words.
  await expect
    .poll(() => wristText(page), { timeout: 60_000 })
    .toMatch(
      /^T102 · .* \(1\/2\)\n\[Back\] \[Later ▶\]\nBo joined — \S+\nAda joined — \S+\nAlarm came in — \S+ · .*\nAcknowledged by Bo — \S+$/,
    );
  expect(await pressList(page, { area: "action", slot: 2 })).toBe("list:report-page");
  await expect
    .poll(() => wristText(page))
    .toMatch(/^T102 · .* \(2\/2\)\n\[Back\] \[◀ Earlier\]\nShelved by Bo — \S+ · Level probe being swapped$/);

  // Back to the list, back to the alarms.
  expect(await pressList(page, { area: "action", slot: 0 })).toBe("list:report-back");
  await expect.poll(() => wristText(page)).toMatch(/^Incident reports: pick an alarm\n/);
  expect(await pressList(page, { area: "action", slot: 0 })).toBe("list:report-back");
  await expect.poll(() => wristText(page)).toMatch(/\n\[Reports\]\nT102 · /);

  await bo.leave();
  expect(watch.offOrigin, "requests off the app's origin").toEqual([]);
  expect(watch.errors, "console errors").toEqual([]);
});
