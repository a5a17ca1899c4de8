import mqtt from "mqtt";
import { expect, test } from "./fixtures.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { distinctScreenColours, expectLiveValues, joinAs, watchPage } from "./page.ts";
import { devToken } from "../../kit/devSignIn.ts";

let server: RunningServer;
test.beforeAll(async () => {
  // A status stamped a minute ahead (the quality-code check below) must not be refused as "future" (default 5 s).
  server = await startAppServer({ MAX_FUTURE_SECONDS: "120" });
});
test.afterAll(async () => {
  await server?.stop();
});

test("a newcomer opens the page, joins by name, sees the plant rendered and live values moving, with nothing fetched off-origin", async ({
  page,
}) => {
  const watch = watchPage(page, server.url);
  await joinAs(page, server.url, "Newcomer");

  // The plant rendered: the screen shows many colours, not a blank canvas behind the panels.
  const distinctColours = await distinctScreenColours(page);
  expect(distinctColours).toBeGreaterThan(20);

  // Labels show live values, and values change within 10 s.
  await expectLiveValues(page);

  // The participant list shows us.
  await expect(page.locator("#participant-list")).toContainText("Newcomer (you)");

  // Clicking an asset where it is drawn opens its inspector with live properties. The click goes through the
  // canvas and the scene's own picking; the page hook only tells where T201's centre is projected on screen.
  const canvas = await page.locator("#view").boundingBox();
  expect(canvas).not.toBeNull();
  const drawn = await page.evaluate(() => window.__gemba!.scene()!.screenOf("T201"));
  expect(drawn, "T201 is in front of the camera").not.toBeNull();
  const at = { x: canvas!.x + drawn!.x, y: canvas!.y + drawn!.y };
  // Under that spot is the canvas (no panel over it) and, in the scene, T201 itself (no other asset in front).
  const under = await page.evaluate(
    ({ at, drawn }) => ({
      element: document.elementFromPoint(at.x, at.y)?.id ?? null,
      twin: window.__gemba!.scene()!.pickAt(drawn.x, drawn.y)?.twin ?? null,
    }),
    { at, drawn: drawn! },
  );
  expect(under).toEqual({ element: "view", twin: "T201" });
  await expect(page.locator("#inspector")).toBeHidden();
  await page.mouse.click(at.x, at.y);
  await expect(page.locator("#inspector")).toBeVisible();
  await expect(page.locator("#inspector-title")).toContainText("T201");
  await expect(page.locator('#inspector-rows tr[data-point="level"] td.v')).toHaveText(/%/);

  // The plant says why a value is bad: an OPC UA StatusCode with its sub-code, sent as a status without a value
  // (stamped a minute ahead, so the simulator's next samples cannot undo it before the page shows it), is shown on
  // hover of the point's quality by name and number.
  const broker = /MQTT: embedded broker on (mqtt:\/\/\S+)/.exec(server.output())?.[1];
  expect(broker, "the server names its embedded broker").toBeDefined();
  const pub = await mqtt.connectAsync(broker!);
  await pub.publishAsync(
    "gemba/demo/T201/pressure",
    JSON.stringify({ ts: Date.now() + 60_000, q: { Code: 0x80310000, Symbol: "BadNoCommunication" } }),
  );
  await pub.endAsync();
  const pressureQuality = page.locator('#inspector-rows tr[data-point="pressure"] td').nth(3);
  await expect(pressureQuality).toHaveText("bad");
  await expect(pressureQuality).toHaveAttribute("title", "BadNoCommunication (0x80310000)");

  expect(watch.offOrigin).toEqual([]);
  expect(watch.errors).toEqual([]);
});

test("a simulator fault raises an alarm in the alarms panel, and an operator acknowledges it there", async ({
  page,
}) => {
  const watch = watchPage(page, server.url);
  await joinAs(page, server.url, "Operator");
  // Fault control is for experts (POST /api/sim/faults), whoever is on the page.
  const headers = { authorization: `Bearer ${await devToken(server.url, "Trainer", "expert")}` };
  const res = await page.request.post(`${server.url}/api/sim/faults`, {
    headers,
    data: { name: "cavitation", target: "P401" },
  });
  expect(res.status()).toBe(201);
  const row = page.locator('#alarm-list li[data-alarm="limit.suctionPressure:P401"]');
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row).toContainText("Active, not acknowledged");
  await expect(page.locator('.label[data-twin="P401"]')).toHaveClass(/s2/);
  await row.getByRole("button", { name: "Ack" }).click();
  await expect(row).toContainText("acknowledged by Operator");
  await page.request.delete(`${server.url}/api/sim/faults`, { headers, data: {} });
  expect(watch.offOrigin).toEqual([]);
  expect(watch.errors).toEqual([]);
});
