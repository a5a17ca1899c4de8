/**
 * Reading an incident report in an emulated Quest 3 (iwer): an alarm comes in, a colleague acknowledges and shelves
 * it with a reason, and the headset user opens Alarms → Reports → Report and reads, page by page, what happened and
 * who did what, with the shelve reason in words. It is the report the desktop downloads; before, a headset could
 * not read it at all.
 */
import { expect, test } from "./fixtures.ts";
import { joinPlant } from "../../kit/observer.ts";
import { watchPage, expectQuietPage } from "./page.ts";
import { useQuietPlant } from "./quietPlant.ts";
import { joinInHeadset, openTab, pressList, wristText } from "./xrWrist.ts";

const plant = useQuietPlant();

test("a headset user reads an alarm's incident report on the wrist: what happened, who did what, the shelve reason", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const watch = watchPage(page, plant.url);
  const bo = await joinPlant(plant.url, "Bo", { role: "operator", device: "desktop" });

  await joinInHeadset(page, plant.url, "Ada");

  // T102's level goes above its alarm limit; Bo acknowledges it and shelves it with a reason.
  await plant.publish("T102/level", { v: 98.5 });
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
  expectQuietPage(watch);
});
