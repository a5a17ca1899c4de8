/**
 * Closing an incident on the desktop hands it to maintenance (docs/TRAINING.md): a level alarm comes in, the
 * operator acknowledges it, closes its incident with what needs doing, and watches the work order's delivery in the
 * incident — refused twice by the local receiver (shown with the receiver's answer and the next try), then delivered.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures.ts";
import { MOSQUITTO, publisher } from "../integration/harness.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { joinAs, watchPage } from "./page.ts";

const prefix = `test-${randomUUID().slice(0, 8)}/`;
let server: RunningServer;
let receiver: http.Server;
const bodies: string[] = [];

test.beforeAll(async () => {
  // The receiver refuses the first two POSTs (503) and accepts the next: retried after 5 s, then 10 s.
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      bodies.push(body);
      res.writeHead(bodies.length <= 2 ? 503 : 201).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/work-orders`;
  server = await startAppServer({
    MQTT_URL: MOSQUITTO,
    MQTT_TOPIC_PREFIX: prefix,
    SIM: "off",
    DEV_ROLE: "operator",
    WORK_ORDER_URL: url,
  });
});
test.afterAll(async () => {
  await server?.stop();
  await new Promise<void>((r) => receiver?.close(() => r()));
});

test("closing an incident shows its work order in the incident: not accepted yet with the reason, then delivered", async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const watch = watchPage(page, server.url);
  await joinAs(page, server.url, "Operator Ada");
  const pub = await publisher();
  await pub.publishAsync(`${prefix}gemba/demo/T102/level`, JSON.stringify({ v: 98.5 }));
  await pub.endAsync();

  const incident = page.locator("#incident-list li").filter({ hasText: "T102" });
  await expect(incident).toContainText("Open", { timeout: 60_000 });
  const close = incident.locator("button.close-incident");
  // Unacknowledged: Close waits, and says why.
  await expect(close).toBeDisabled();
  await expect(close).toHaveAttribute("title", "Acknowledge the alarm before closing its incident");
  await page.locator('#alarm-list li[data-alarm="limit.level:T102"] button.ack').click();
  await expect(close).toBeEnabled();
  await close.click();
  await expect(page.locator("#incident-close-dialog")).toBeVisible();
  await page.locator("#incident-close-dialog button[type=submit]").click();
  await expect(page.locator("#incident-close-dialog .error")).toHaveText("Say what needs doing.");
  await page.fill("#incident-summary", "Recalibrate level transmitter LT-102");
  await page.locator("#incident-close-dialog button[type=submit]").click();
  await expect(page.locator("#incident-close-dialog")).toBeHidden();

  await expect(incident).toContainText("Closed by Operator Ada");
  await expect(incident).toContainText("“Recalibrate level transmitter LT-102”");
  const wo = incident.locator(".wo");
  await expect(wo).toHaveText(
    /^Work order not accepted yet: the receiver answered HTTP 503 Service Unavailable · 1 attempt · next try /,
    { timeout: 30_000 },
  );
  await expect(wo).toHaveClass(/failing/);
  await page.locator("#alarms").screenshot({ path: testInfo.outputPath("incident-work-order-failing.png") });
  await expect(wo).toHaveText(/^Work order delivered at .* \(after 3 attempts\)$/, { timeout: 60_000 });
  await expect(wo).toHaveClass(/delivered/);
  await page.locator("#alarms").screenshot({ path: testInfo.outputPath("incident-work-order-delivered.png") });
  await page.screenshot({ path: testInfo.outputPath("incident-page.png") });
  expect(bodies).toHaveLength(3);
  expect(new Set(bodies).size, "the same order each time").toBe(1);
  expect(JSON.parse(bodies[2]!)).toMatchObject({
    summary: "Recalibrate level transmitter LT-102",
    asset: { id: "T102" },
  });

  expect(watch.offOrigin, "requests off the app's origin").toEqual([]);
  expect(watch.errors, "console errors").toEqual([]);
});
