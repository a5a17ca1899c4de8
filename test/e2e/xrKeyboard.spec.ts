/**
 * Writing a note in an emulated Quest 3 (iwer) on the wrist keyboard (client/xr/keyboardLayout.ts), with the
 * controller ray as a headset user would: select an asset, Notes → Write…, a quick label, a few keys (with a
 * correction), Pin note. The note lands in the room with that text, where the ray hit the asset. Before the
 * keyboard a headset could only pin one of three fixed labels.
 */
import { expect, test } from "./fixtures.ts";
import type { Page } from "@playwright/test";
import { joinPlant } from "../../kit/observer.ts";
import { keyUv } from "../../client/xr/keyboardLayout.ts";
import { watchPage, expectQuietPage } from "./page.ts";
import { useQuietPlant } from "./quietPlant.ts";
import { joinInHeadset, openTab, pressList, pressWrist, selectAheadWithRay, wristText } from "./xrWrist.ts";

const plant = useQuietPlant();

const key = (page: Page, label: string) => pressWrist(page, "_xrKeyboard", keyUv(label));

test("a headset user writes a free-text note on the wrist keyboard and pins it on the asset the ray hit", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const watch = watchPage(page, plant.url);
  const bo = await joinPlant(plant.url, "Bo", { role: "viewer", device: "desktop" });

  await joinInHeadset(page, plant.url, "Ada");

  const twin = await selectAheadWithRay(page);

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
  expectQuietPage(watch);
});
