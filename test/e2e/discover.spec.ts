/**
 * A plant made only by `npm run plant:discover` from the simulator's broker (the real Mosquitto, a topic
 * prefix of its own) and an Eclipse Tahu edge node starts as written and shows live values, its assets
 * laid out by area (no scene file) with a notice saying so. Gemba starts after the edge node's birth, as
 * it would on a real plant: the plant status panel says the node waits for its birth.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { devToken } from "../../kit/devSignIn.ts";
import { runDiscover, startDemoSimulator, startFillerEdgeNode, type FillerEdgeNode } from "../../kit/discover.ts";
import { joinAs, watchPage } from "./page.ts";

const MOSQUITTO = process.env["TEST_MQTT_URL"] ?? "mqtt://127.0.0.1:1883";

let server: RunningServer | undefined;
let stopSimulator: (() => Promise<void>) | undefined;
let edge: FillerEdgeNode | undefined;
let plantsDir = "";

test.beforeAll(async () => {
  const prefix = `gemba-e2e-discover-${randomUUID().slice(0, 8)}/`;
  const group = `E2E-${randomUUID().slice(0, 8)}`;
  stopSimulator = await startDemoSimulator(MOSQUITTO, prefix);
  edge = await startFillerEdgeNode(MOSQUITTO, group);
  plantsDir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-e2e-discover-"));
  const discover = runDiscover([
    ...["--mqtt", MOSQUITTO, "--seconds", "6", "--out", path.join(plantsDir, "found")],
    ...["--topic", `${prefix}#`, "--topic", `spBv1.0/${group}/#`],
  ]);
  await discover.listening;
  edge.birth();
  const found = await discover.done;
  expect(found.code, found.out).toBe(0);
  server = await startAppServer({ PLANTS_DIR: plantsDir, PLANT: "found", MQTT_URL: MOSQUITTO, SIM: "off" });
});
test.afterAll(async () => {
  await server?.stop();
  await edge?.stop();
  await stopSimulator?.();
  fs.rmSync(plantsDir, { recursive: true, force: true });
});

test("a discovered plant without a scene starts, lays its assets out by area, shows live values and its edge node's state", async ({
  page,
}) => {
  const url = server!.url;
  const watch = watchPage(page, url);
  await joinAs(page, url, "Finder");
  const status = page.locator("#plant-status");
  await expect(status).toContainText(
    "No 3D scene for this plant: assets are laid out by area. Add scene.glb to place them.",
  );
  // Live values from the broker, under names discovered from its topics.
  await expect(page.locator('.label[data-twin="T101"] .val').first()).toHaveText(/\d/);
  // Gemba started after the edge node's birth: its data (by name) still shows, and the panel says why the rest waits.
  edge!.bowlLevel(64.25);
  await expect(status.locator('li[data-status^="edge:"]')).toHaveText(
    "Edge node Filler1: waiting for birth — Gemba started after it; ask for a rebirth or restart it. Values it sends by name are shown meanwhile.",
  );
  await expect(page.locator('.label[data-twin="Filler1"] .val[data-point="Bowl_Level"]')).toHaveText(/64\.25/);

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
  // There is no scene file to fetch, and the server says so rather than failing.
  const scene = await page.request.get(`${url}/plants/found/scene`, {
    headers: { authorization: `Bearer ${await devToken(url, "Finder")}` },
  });
  expect(scene.status()).toBe(404);
  expect(await scene.json()).toEqual({ error: "This plant has no 3D scene: the page lays its assets out by area." });
  expect(watch.offOrigin).toEqual([]);
  expect(watch.errors).toEqual([]);
});
