/**
 * A procedure step on the wrist of an emulated Quest 3 (iwer): a colleague starts "Isolate CIP pump P401"; the
 * headset user opens Steps, reads step 1 and its gate with the live values; Done is greyed and a trigger pull on it
 * says why and changes nothing, until the published suction pressure meets the gate; then the same pull marks the
 * step done for everyone.
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
  server = await startAppServer({ MQTT_URL: MOSQUITTO, MQTT_TOPIC_PREFIX: prefix, SIM: "off", DEV_ROLE: "operator" });
});
test.afterAll(async () => {
  await server?.stop();
});

test("a gated step cannot be marked done from the headset until the gate holds, then can", async ({
  page,
}, testInfo) => {
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
  const pub = await publisher();
  const send = (point: string, v: number, ts: number) =>
    pub.publishAsync(`${prefix}gemba/demo/P401/${point}`, JSON.stringify({ v, ts }));
  // A live pump, as a plant sends it: running, its suction pressure once a second. Healthy suction first, so step
  // 1's gate ("running == 1 and suctionPressure < 0.25 for 5s") is not met.
  let suction = 0.6;
  const feed = async () => {
    const ts = Date.now();
    await send("running", 1, ts);
    await send("suctionPressure", suction, ts);
  };
  await feed();
  const live = setInterval(() => void feed(), 1000);

  await installIwer(page);
  await joinAs(page, server.url, "Ada");
  await holdControllers(page);
  await page.locator("#btn-xr-vr").click();
  await page.waitForFunction(() => window.__gemba_xr?.mode === "vr", null, { timeout: 60_000 });
  await xrFrames(page, 5);

  await openTab(page, "steps");
  await expect.poll(() => wristText(page), { timeout: 60_000 }).toMatch(/^No procedure running\n/);
  const { run } = await bo.request<object, { run: string }>("procedureStart", { procedure: "isolate-p401" });

  await expect
    .poll(() => wristText(page), { timeout: 60_000 })
    .toMatch(
      /^Step 1 of 5 · P401\n\[Done \(disabled\)\] \[Show\]\nConfirm the cavitation on P401 from — its live values: [\s\S]*\nGate not met yet — running == 1 and suctionPressure < 0\.25 for 5s\nWaiting for the gate on P401 — now: running running, suctionPressure 0\.60 bar$/,
    );
  await page.screenshot({ path: testInfo.outputPath("xr-procedure-waiting.png") });
  // A pull on the greyed Done is taken by the panel as disabled (it flashes the reason, sends nothing); the run
  // stays at step 1 and the wrist still says why.
  expect(await pressList(page, { area: "action", slot: 0 })).toBe("list:disabled");
  await expect.poll(() => wristText(page)).toMatch(/\[Done \(disabled\)\][\s\S]*\nWaiting for the gate on P401 — /);
  expect(bo.state.procedure.step).toBe(0);
  expect(bo.state.procedure.steps[0]!.doneBy).toBe("");

  // Suction falls and stays low: after 5 s of plant time the server's gate holds and Done is live on the wrist.
  suction = 0.07;
  await expect.poll(() => bo.state.procedure.gateHolds, { timeout: 60_000 }).toBe(true);
  await expect
    .poll(() => wristText(page), { timeout: 60_000 })
    .toMatch(
      /^Step 1 of 5 · P401\n\[Done\] \[Show\]\n[\s\S]*\nGate holds — running == 1 .*\nDone is ready — now: .*suctionPressure 0\.07 bar$/,
    );
  await page.screenshot({ path: testInfo.outputPath("xr-procedure-ready.png") });
  expect(await pressList(page, { area: "action", slot: 0 })).toBe("list:proc-done");

  await expect.poll(() => bo.state.procedure.steps[0]!.doneBy, { timeout: 30_000 }).toBe("Ada");
  expect(bo.state.procedure.run).toBe(run);
  await expect.poll(() => wristText(page), { timeout: 30_000 }).toMatch(/^Step 2 of 5 · T101\n/);

  clearInterval(live);
  await pub.endAsync();
  await bo.leave();
  expect(watch.offOrigin, "requests off the app's origin").toEqual([]);
  expect(watch.errors, "console errors").toEqual([]);
});
