import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "./fixtures.ts";
import { joinPlant } from "../../kit/observer.ts";
import { buildPlantScene } from "../../scripts/scene/buildScene.ts";
import { parsePlantInstance } from "../../scripts/scene/plantJson.ts";
import { startAppServer, type RunningServer } from "../../kit/appServer.ts";
import { joinAs } from "./page.ts";

const DEMO = path.resolve(import.meta.dirname, "../../assets/plants/demo");
let server: RunningServer | undefined;
test.afterAll(async () => {
  await server?.stop();
});

test("a pin stays on its asset after the asset is moved in the scene file and the page reloads", async ({ page }) => {
  const plants = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-plants-"));
  const dir = path.join(plants, "demo");
  fs.cpSync(DEMO, dir, { recursive: true });
  const env = {
    PLANTS_DIR: plants,
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "gemba-pin-")),
    DEV_ROLE: "operator",
  };
  server = await startAppServer(env);

  // Pin a note 1.5 m above T301's origin, in T301's own frame.
  const sdk = await joinPlant(server.url, "Pinner");
  const { id } = await sdk.request<object, { id: string }>("annotate", {
    kind: "pin",
    twin: "T301",
    offset: [0, 1.5, 0],
    text: "Sight glass cracked",
  });
  await sdk.leave();

  await joinAs(page, server.url, "Looker");
  const where = () =>
    page.evaluate((note) => {
      const g = window.__gemba!;
      const t = g.scene()!.twins.get("T301")!.node.getAbsolutePosition();
      return { pin: g.noteWorld(note), asset: [t.x, t.y, t.z] };
    }, id);
  await expect.poll(async () => (await where()).pin).not.toBeNull();
  const before = await where();

  // Move T301 by 6 m in the plant definition and regenerate its scene file, then restart and reload.
  const file = path.join(dir, "plant.json");
  const plant = JSON.parse(fs.readFileSync(file, "utf8")) as {
    twins: { id: string; layout?: { position?: number[] } }[];
  };
  const t301 = plant.twins.find((t) => t.id === "T301")!;
  t301.layout!.position![0]! += 6;
  fs.writeFileSync(file, JSON.stringify(plant, null, 2));
  fs.writeFileSync(path.join(dir, "scene.glb"), buildPlantScene(parsePlantInstance(plant)));
  await server.stop();
  server = await startAppServer(env);
  await joinAs(page, server.url, "Looker");
  await expect.poll(async () => (await where()).pin).not.toBeNull();
  const after = await where();

  expect(after.asset[0]! - before.asset[0]!).toBeCloseTo(6, 3); // the asset moved…
  for (let i = 0; i < 3; i++) {
    // …and the pin kept its place on it.
    expect(after.pin![i]! - after.asset[i]!).toBeCloseTo(before.pin![i]! - before.asset[i]!, 3);
  }
});
