/**
 * A plant made only by `npm run plant:discover` from the simulator's broker (the real Mosquitto, a topic
 * prefix of its own) starts as written and shows live values, its assets laid out by area (no scene file)
 * with a notice saying so.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { runDiscover, startDemoSimulator } from "../../kit/discover.ts";
import { joinAs, watchPage } from "./page.ts";

const MOSQUITTO = process.env["TEST_MQTT_URL"] ?? "mqtt://127.0.0.1:1883";

let server: RunningServer | undefined;
let stopSimulator: (() => Promise<void>) | undefined;
let plantsDir = "";

test.beforeAll(async () => {
  const prefix = `gemba-e2e-discover-${randomUUID().slice(0, 8)}/`;
  stopSimulator = await startDemoSimulator(MOSQUITTO, prefix);
  plantsDir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-e2e-discover-"));
  const args = ["--mqtt", MOSQUITTO, "--seconds", "6", "--topic", `${prefix}#`];
  const found = await runDiscover([...args, "--out", path.join(plantsDir, "found")]).done;
  expect(found.code, found.out).toBe(0);
  server = await startAppServer({ PLANTS_DIR: plantsDir, PLANT: "found", MQTT_URL: MOSQUITTO, SIM: "off" });
});
test.afterAll(async () => {
  await server?.stop();
  await stopSimulator?.();
  fs.rmSync(plantsDir, { recursive: true, force: true });
});

test("a discovered plant without a scene starts, lays its assets out by area, and shows live values", async ({
  page,
}) => {
  const url = server!.url;
  const watch = watchPage(page, url);
  await joinAs(page, url, "Finder");
  await expect(page.locator("#plant-status")).toContainText(
    "No 3D scene for this plant: assets are laid out by area. Add scene.glb to place them.",
  );
  // Live values from the broker, under names discovered from its topics.
  await expect(page.locator('.label[data-twin="T101"] .val').first()).toHaveText(/\d/);
  // The generated boxes are picked like a scene's nodes: the asset nearest the camera, tapped at its centre.
  const nearest = await page.evaluate(() => {
    const scene = window.__gemba!.scene()!;
    const drawn = scene.twinList
      .map((t) => ({ id: t.id, at: scene.screenOf(t.id) }))
      .filter((d): d is { id: string; at: { x: number; y: number } } => d.at !== null)
      .sort((a, b) => b.at.y - a.at.y)[0]!;
    return { id: drawn.id, picked: scene.pickAt(drawn.at.x, drawn.at.y)?.twin ?? null };
  });
  expect(nearest.picked).toBe(nearest.id);
  expect(watch.offOrigin).toEqual([]);
  expect(watch.errors).toEqual([]);
});
