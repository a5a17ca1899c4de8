/**
 * Drills on the wrist of an emulated Quest 3 (iwer). A trainee in the headset: an instructor starts "Cavitation on
 * CIP pump P401" for them; the Drills tab says a drill runs for them (the brief, never the fault; how long) and Join
 * drill reopens the page in the drill's room; there they acknowledge the cavitation alarm from the Alarms tab, the
 * Drills tab shows their score (time to detect, to act, wrong actions, alarm handling), and Debrief replays the drill
 * to the room, playing from its start. An instructor in the headset starts a drill: New drill, pick the trainee,
 * Start.
 */
import { expect, test } from "./fixtures.ts";
import type { Page } from "@playwright/test";
import type { Room } from "@colyseus/sdk";
import type { PlantRoomState } from "../../shared/state.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { joinPlant } from "../../kit/observer.ts";
import { DRILL_URL, expectQuietPage, joinAs, rejoinAfterReload, watchPage } from "./page.ts";
import { enterVr, joinInHeadset, openTab, pressList, pressListAway, wristText } from "./xrWrist.ts";
import { installIwer } from "../../kit/iwer.ts";

let server: RunningServer;
test.beforeAll(async () => {
  server = await startAppServer({ DEV_ROLE: "operator" });
});
test.afterAll(async () => {
  await server?.stop();
});

async function seatOf(room: Room<unknown, PlantRoomState>, name: string): Promise<string> {
  await expect.poll(() => [...room.state.seats.values()].some((s) => s.name === name), { timeout: 60_000 }).toBe(true);
  return [...room.state.seats.values()].find((s) => s.name === name)!.id;
}

/** The row (0-based, under the header and the action line) of the wrist's list whose text holds `needle`. */
async function rowWith(page: Page, needle: string): Promise<number> {
  const lines = (await wristText(page)).split("\n").slice(2);
  const i = lines.findIndex((l) => l.includes(needle));
  expect(i, `a row with "${needle}"`).toBeGreaterThanOrEqual(0);
  return i;
}

test("a trainee in a headset joins the drill run for them, acts, reads their score and starts the debrief replay", async ({
  page,
}, testInfo) => {
  test.setTimeout(360_000);
  const watch = watchPage(page, server.url);
  const ines = await joinPlant(server.url, "Instructor Ines", { role: "expert" });
  await joinInHeadset(page, server.url, "Trainee Tina");
  await openTab(page, "drills");
  await expect.poll(() => wristText(page), { timeout: 30_000 }).toMatch(/^No drill under way\n/);

  const tina = await seatOf(ines, "Trainee Tina");
  await ines.request("drillStart", { scenario: "cip-pump-cavitation", trainees: [tina], request: "xr-drill-0001" });
  // The brief in plant words and how long the drill has run; never the fault.
  await expect
    .poll(() => wristText(page), { timeout: 30_000 })
    .toMatch(
      /^A drill is running for you\n\[Join drill\]\nYou take over the shift\. Watch the — plant, find what is wrong[^\n]*\nfor real\.\nUnder way \d+:\d\d — instructor Instructor Ines\n/,
    );
  expect(await wristText(page)).not.toMatch(/cavitation/i);

  // Join drill reopens the page on the drill's sandbox room (the immersive session ends there); enter VR again.
  await pressListAway(page, { area: "action", slot: 0 }, DRILL_URL);
  await rejoinAfterReload(page, DRILL_URL);
  await enterVr(page);
  await openTab(page, "drills");
  await expect
    .poll(() => wristText(page), { timeout: 30_000 })
    .toMatch(/^Drill for you · under way \d+:\d\d\n\[Debrief \(disabled\)\]\n/);
  expect(await pressList(page, { area: "action", slot: 0 })).toBe("list:disabled");

  // The sandbox's simulator cavitates P401; the trainee acknowledges its alarm from the wrist.
  await openTab(page, "alarms");
  // Its own row, by its words: the pump's low-suction limit alarm can be listed first (which comes first is a race).
  await expect.poll(() => wristText(page), { timeout: 90_000 }).toMatch(/\nP401 · Cavitation[^\n]*\[Ack\]/);
  expect(await pressList(page, { area: "row", row: await rowWith(page, "P401 · Cavitation"), slot: 0 })).toBe(
    "list:ack",
  );
  await expect
    .poll(() => page.evaluate(() => window.__gemba!.state()!.alarms.get("pump-cavitation:P401")?.ackedBy), {
      timeout: 30_000,
    })
    .toBe("Trainee Tina");

  // The score, on the wrist: time to detect, time to the correct action, wrong actions, alarm handling.
  await openTab(page, "drills");
  await expect
    .poll(() => wristText(page), { timeout: 30_000 })
    .toMatch(
      /^Your score: \d+ points\n\[Debrief\]\nFound it in \d+ s — time to detect[^\n]*\nActed in \d+ s — time to the correct action\n(No wrong actions|\d wrong actions?)[^\n]*\nAlarm handling clean — [^\n]*$/,
    );

  // Debrief: the room replays the drill from its start, playing (the shared playback moves on by itself).
  expect(await pressList(page, { area: "action", slot: 0 })).toBe("list:drill");
  const shown = () => page.evaluate(() => window.__gemba!.state()!.viewTime);
  await expect.poll(shown, { timeout: 30_000 }).toBeGreaterThan(0);
  const started = await page.evaluate(() => [...window.__gemba!.state()!.drills.values()][0]!.startedAt);
  const first = await shown();
  expect(first).toBeGreaterThanOrEqual(started);
  expect(await page.evaluate(() => window.__gemba!.state()!.playbackSpeed)).toBe(1);
  await expect.poll(shown, { timeout: 20_000 }).toBeGreaterThan(first);
  await expect
    .poll(() => wristText(page), { timeout: 20_000 })
    .toMatch(/^Debrief ▶ 1× at \d\d:\d\d:\d\d\n\[Debrief\]\nFound it/);
  await page.screenshot({ path: testInfo.outputPath("xr-drill-debrief.png") });

  await ines.leave();
  expectQuietPage(watch);
});

test("an instructor in a headset starts a drill: New drill, pick the trainee among the people here, Start", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const watch = watchPage(page, server.url);
  const bo = await joinPlant(server.url, "Operator Bo", { role: "operator" });
  await installIwer(page);
  await joinAs(page, server.url, "Instructor Ines", "?role=expert");
  await enterVr(page);
  await openTab(page, "drills");
  await expect.poll(() => wristText(page), { timeout: 30_000 }).toMatch(/\[New drill\]/);
  expect(await pressList(page, { area: "action", slot: 2 })).toBe("list:drill");
  await expect
    .poll(() => wristText(page), { timeout: 30_000 })
    .toMatch(/^Drill: .+\n\[Scenario ▸\] \[Start \(disabled\)\] \[Back\]\n/);
  // Start stays greyed until someone is picked; a pull on it says why and starts nothing.
  expect(await pressList(page, { area: "action", slot: 1 })).toBe("list:disabled");
  expect(await pressList(page, { area: "row", row: await rowWith(page, "Operator Bo"), slot: 1 })).toBe("list:drill");
  await expect.poll(() => wristText(page)).toMatch(/\[Start \(1\)\][\s\S]*\nOperator Bo — trainee \[Drop\]/);
  expect(await pressList(page, { area: "action", slot: 1 })).toBe("list:drill");

  // The drill is under way for Bo: his room has it, and the wrist lists it with Watch.
  await expect
    .poll(
      () =>
        [...bo.state.drills.values()].filter((d) => d.status === "running").map((d) => d.trainees.map((t) => t.name)),
      { timeout: 30_000 },
    )
    .toEqual([["Operator Bo"]]);
  await expect
    .poll(() => wristText(page), { timeout: 30_000 })
    .toMatch(
      /^1 drill under way\n\[New drill\]\nDrill for Operator Bo — under way \d+:\d\d · Instructor Ines \[Watch\]/,
    );
  await bo.leave();
  expectQuietPage(watch);
});
