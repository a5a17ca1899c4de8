/**
 * The alarm forecast on the page: a pump whose bearing heats up steadily shows "Bearing temperature reaches HIGH
 * 85 °C in ~N min" on its label and in its inspector, and the inspector's chart continues past now as a ghost.
 * The test is the plant's data source (simulator off): it publishes three minutes of the climb at once (back-dated,
 * as a gateway catching up would), then one sample a second, so the forecast has history from the first pass.
 */
import mqtt, { type MqttClient } from "mqtt";
import { expect, test } from "./fixtures.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { joinAs, watchPage } from "./page.ts";

let server: RunningServer;
let pub: MqttClient | undefined;
let feed: ReturnType<typeof setInterval> | undefined;
test.beforeAll(async () => {
  // FORECAST_USUAL_MINUTES=0: the hour of history that says what is usual for a point is not part of this test.
  server = await startAppServer({ SIM: "off", FORECAST_USUAL_MINUTES: "0" });
});
test.afterAll(async () => {
  if (feed) clearInterval(feed);
  await pub?.endAsync();
  await server?.stop();
});

test("a pump heating up shows when it reaches its alarm limit, on its label and as a ghost in the inspector chart", async ({
  page,
}) => {
  const watch = watchPage(page, server.url);
  await joinAs(page, server.url, "Reliability engineer");

  // A pump drawn where a click lands on it (nothing in front), so the inspector opens the way a person opens it.
  const canvas = (await page.locator("#view").boundingBox())!;
  const pick = await page.evaluate(() => {
    const scene = window.__gemba!.scene()!;
    for (const id of ["P401", "P402", "P301", "P302", "P201", "P202", "P101", "P102", "P103"]) {
      const at = scene.screenOf(id);
      if (at && scene.pickAt(at.x, at.y)?.twin === id) return { id, at };
    }
    return null;
  });
  expect(pick, "a pump is in plain view").not.toBeNull();
  const pump = pick!.id;

  const broker = /MQTT: embedded broker on (mqtt:\/\/\S+)/.exec(server.output())?.[1];
  expect(broker, "the server names its embedded broker").toBeDefined();
  pub = await mqtt.connectAsync(broker!);
  // 0.05 °C a second from 50 °C: 85 °C is 700 s after the climb began.
  const began = Date.now() - 180_000;
  const valueAt = (ts: number) => 50 + ((ts - began) / 1000) * 0.05;
  const send = (ts: number) =>
    pub!.publishAsync(`gemba/demo/${pump}/bearingTemperature`, JSON.stringify({ v: valueAt(ts), ts }));
  for (let ts = began; ts <= Date.now(); ts += 1000) await send(ts);
  feed = setInterval(() => void send(Date.now()), 1000);

  const label = page.locator(`.label[data-twin="${pump}"] .ahead`);
  await expect(label).toHaveText(/^Bearing temperature reaches HIGH 85 °C in ~\d+ min$/);
  const minutes = Number(/~(\d+) min/.exec((await label.textContent()) ?? "")![1]);
  // About 8 minutes left when it first shows (85 °C at 700 s, three minutes and a few seconds in).
  expect(minutes).toBeGreaterThanOrEqual(6);
  expect(minutes).toBeLessThanOrEqual(9);

  await page.mouse.click(canvas.x + pick!.at.x, canvas.y + pick!.at.y);
  await expect(page.locator("#inspector-title")).toContainText(pump);
  await expect(page.locator("#inspector-forecast")).toHaveText(/^Bearing temperature reaches HIGH 85 °C in ~\d+ min$/);

  // The chart: the past on the left half, the ghost (band and dashed mean) on the right half, past now.
  const spark = page.locator('#inspector-rows tr[data-point="bearingTemperature"] canvas');
  await expect(spark).toHaveAttribute("data-forecast", "shown");
  const inked = await spark.evaluate((c: HTMLCanvasElement) => {
    const g = c.getContext("2d")!;
    const count = (x0: number, x1: number) => {
      const d = g.getImageData(x0, 0, x1 - x0, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    };
    return { past: count(0, Math.floor(c.width / 2) - 2), ahead: count(Math.ceil(c.width / 2) + 2, c.width) };
  });
  expect(inked.past).toBeGreaterThan(0);
  expect(inked.ahead).toBeGreaterThan(0);

  expect(watch.offOrigin).toEqual([]);
  expect(watch.errors).toEqual([]);
});
