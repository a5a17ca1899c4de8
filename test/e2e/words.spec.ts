/**
 * Words a plant person reads: alarms by the plant definition's names and units with their state in words, people
 * by name on the timeline, the incident report as a readable story (the shelve reason kept), and a badge that says
 * PLAYBACK while the page shows the past. The join → alarm → acknowledge path logs no warning or error.
 */
import { expect, test } from "./fixtures.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { devToken } from "../../kit/devSignIn.ts";
import { joinAs, watchPage } from "./page.ts";

let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer({ DEV_ROLE: "expert" });
});
test.afterAll(async () => {
  await server?.stop();
});

/** What only the code knows: rule ids, ISA state codes, journal kinds, seat ids, JSON. */
const MACHINE_WORDS = /limit\.suctionPressure|unack-active|ack-active|rtn-unack|alarm\.(ack|active|shelve)|seat-|\{"/;

test("an alarm reads in plant words from join to acknowledge and shelve, the report tells the story, the badge says PLAYBACK", async ({
  page,
}) => {
  const watch = watchPage(page, server.url);
  await joinAs(page, server.url, "Olu");
  const expert = { authorization: `Bearer ${await devToken(server.url, "Trainer", "expert")}` };
  const res = await page.request.post(`${server.url}/api/sim/faults`, {
    headers: expert,
    data: { name: "cavitation", target: "P401" },
  });
  expect(res.status()).toBe(201);

  // The alarm row: the asset, the point's display name with its unit, and the state in words.
  const row = page.locator('#alarm-list li[data-alarm="limit.suctionPressure:P401"]');
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row).toContainText("Active, not acknowledged");
  await expect(row).toContainText(/Suction pressure -?\d+(\.\d+)? bar below its alarm limit/);
  expect(await row.innerText()).not.toMatch(MACHINE_WORDS);

  // The inspector's alarm line says the same, not "limit.suctionPressure: … (unack-active)".
  await row.getByRole("button", { name: "Show" }).click();
  const inspectorAlarm = page.locator("#inspector-alarms li").first();
  await expect(inspectorAlarm).toContainText("Active, not acknowledged");
  expect(await inspectorAlarm.innerText()).not.toMatch(MACHINE_WORDS);

  await row.getByRole("button", { name: "Ack" }).click();
  await expect(row).toContainText("Active, acknowledged");
  await expect(row).toContainText("acknowledged by Olu");
  await expect(inspectorAlarm).toContainText("Active, acknowledged");
  // The path a newcomer takes (join, find the alarm, inspect, acknowledge) is quiet in the console.
  expect(watch.errors).toEqual([]);
  expect(watch.warnings).toEqual([]);

  // Shelve with a long reason: the report keeps all of it.
  const reason = "Strainer swap in progress; maintenance has the pump isolated until the new basket arrives at 14:00";
  await row.getByRole("button", { name: "Shelve" }).click();
  await page.fill("#shelve-reason", reason);
  await page.locator("#shelve-form button[type=submit]").click();
  await expect(row).toContainText("shelved by Olu");

  // The timeline's marks name people and say what happened.
  const ackMark = page.locator("#tl-marks .tl-mark.alarm-ack").first();
  await expect(ackMark).toHaveAttribute("title", /Olu acknowledged the alarm on P401 .*Suction pressure/, {
    timeout: 30_000,
  });
  const titles = await page.locator("#tl-marks .tl-mark").evaluateAll((ms) => ms.map((m) => m.getAttribute("title")));
  for (const t of titles) expect(t).not.toMatch(MACHINE_WORDS);

  // The incident report: what happened in order, who did it, values at that moment, the whole reason.
  const report = await page.request.get(
    `${server.url}/api/plants/demo/incidents/${encodeURIComponent("limit.suctionPressure:P401")}?format=html`,
    { headers: { authorization: `Bearer ${await devToken(server.url, "Reader", "viewer")}` } },
  );
  expect(report.status()).toBe(200);
  const html = await report.text();
  // The report as read (tags and the style sheet dropped, the report's own escapes undone).
  const text = html
    .replace(/<style>[\s\S]*?<\/style>/, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
  expect(text).toMatch(/Incident: P401 .*Suction pressure/);
  expect(text).toContain("Alarm raised: Suction pressure");
  expect(text).toContain("Olu acknowledged the alarm");
  expect(text).toContain(`Olu shelved the alarm for 1 h, reason: “${reason}”`);
  expect(text).toMatch(/P401 Suction pressure -?\d+(\.\d+)? bar/);
  expect(text).not.toMatch(MACHINE_WORDS);

  // Replaying the moment before the alarm: the badge says PLAYBACK and the time, then live again.
  await row.getByRole("button", { name: "−30 s" }).click();
  await expect(page.locator("#conn")).toHaveText(/^PLAYBACK \d{2}:\d{2}:\d{2}$/);
  await page.click("#tl-live");
  await expect(page.locator("#conn")).toHaveText("live");

  await page.request.delete(`${server.url}/api/sim/faults`, { headers: expert, data: {} });
  expect(watch.offOrigin).toEqual([]);
  expect(watch.errors).toEqual([]);
});
