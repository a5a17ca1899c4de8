/**
 * The wrist tabs in an emulated Quest 3 (iwer), used with the controller ray as a
 * headset user would: acknowledge an alarm from the Alarms tab, follow someone from
 * the People tab (the headset teleports behind them), and pin a quick-label note on
 * the asset the ray hit from the Notes tab. Each reaches the room like the desktop's.
 */
import { expect, test } from "./fixtures.ts";
import { joinPlant } from "../../kit/observer.ts";
import { xrFrames } from "../../kit/iwer.ts";
import { watchPage, expectQuietPage } from "./page.ts";
import { useQuietPlant } from "./quietPlant.ts";
import {
  holdControllers as hold,
  joinInHeadset,
  openTab,
  pressList,
  selectAheadWithRay,
  wristText as tabText,
} from "./xrWrist.ts";

const plant = useQuietPlant();

test("from the wrist tabs a headset user acknowledges an alarm, follows a colleague and pins a quick note on the asset the ray hit", async ({
  page,
}) => {
  test.setTimeout(480_000);
  const watch = watchPage(page, plant.url);
  // A desktop colleague standing somewhere else in the plant.
  const bo = await joinPlant(plant.url, "Bo", { device: "desktop" });
  bo.send("pose", { h: [-12, 1.7, 6, 0, 0, 0, 1] });

  await joinInHeadset(page, plant.url, "Ada");

  // An alarm comes in: T102's level above its alarm limit.
  await plant.publish("T102/level", { v: 98.5 });
  await openTab(page, "alarms");
  await expect.poll(() => tabText(page), { timeout: 60_000 }).toMatch(/not acknowledged\n(.*\n)*T102 · .*\[Ack\]/);
  // The header line, the action line ([Reports]), then one line per row.
  await expect.poll(() => tabText(page)).toMatch(/^[^\n]*\n\[Reports\]\n/);
  const row = (await tabText(page)).split("\n").findIndex((l) => l.startsWith("T102 · ")) - 2;
  expect(await pressList(page, { area: "row", row, slot: 0 })).toBe("list:ack");
  await expect.poll(() => bo.state.alarms.get("limit.level:T102")?.ackedBy, { timeout: 60_000 }).toBe("Ada");
  await expect.poll(() => tabText(page)).toContain("Active, acknowledged by Ada");

  // Notes: the ray selects the nearest asset in front, then "Leak?" pins a note where the ray hit it.
  await hold(page);
  await xrFrames(page, 2);
  const twin = await selectAheadWithRay(page);
  await openTab(page, "notes");
  await expect.poll(() => tabText(page)).toContain(`Notes on ${twin.id}: none yet\n[Check here] [Leak?] [Write…]`);
  expect(await pressList(page, { area: "action", slot: 1 })).toBe("list:note");
  await expect
    .poll(() => [...bo.state.annotations.values()].map((n) => `${n.twin}|${n.text}|${n.author}`), { timeout: 60_000 })
    .toEqual([`${twin.id}|Leak?|Ada`]);
  await expect.poll(() => tabText(page)).toContain("Leak? — Ada · open [Resolve]");

  // People: Ada (you) first, then Bo with Follow; following teleports the headset behind Bo.
  await openTab(page, "people");
  await expect.poll(() => tabText(page)).toContain("Bo — desktop · not in voice [Follow]");
  expect(await pressList(page, { area: "row", row: 1, slot: 1 })).toBe("list:follow");
  const boSeat = [...bo.state.seats.values()].find((s) => s.name === "Bo")!.id;
  await expect
    .poll(() => [...bo.state.seats.values()].find((s) => s.name === "Ada")?.following, { timeout: 60_000 })
    .toBe(boSeat);
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const p = window.__gemba!.scene()!.scene.activeCamera!.position;
          return Math.hypot(p.x + 12, p.z - 6);
        }),
      { timeout: 60_000 },
    )
    .toBeLessThan(2);
  expect(await pressList(page, { area: "row", row: 1, slot: 1 })).toBe("list:follow");
  await expect.poll(() => page.evaluate(() => window.__gemba_xr!.following)).toBeNull();

  await bo.leave();
  expectQuietPage(watch);
});
