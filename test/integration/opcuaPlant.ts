/**
 * A plant directory for the OPC UA client tests: the demo plant's models, scene and rules, with its MQTT
 * binding replaced by the OPC UA binding a test gives. Written into a fresh temp folder per test file.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const DEMO = path.resolve(import.meta.dirname, "../../assets/plants/demo");

/** Returns the plants folder (PLANTS_DIR) holding one plant with id `id`. */
export function opcuaPlantDir(id: string, bindings: unknown[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-opcua-plants-"));
  const dir = path.join(root, id);
  fs.mkdirSync(dir);
  fs.cpSync(path.join(DEMO, "models"), path.join(dir, "models"), { recursive: true });
  fs.copyFileSync(path.join(DEMO, "scene.glb"), path.join(dir, "scene.glb"));
  const plant = JSON.parse(fs.readFileSync(path.join(DEMO, "plant.json"), "utf8")) as Record<string, unknown>;
  fs.writeFileSync(path.join(dir, "plant.json"), JSON.stringify({ ...plant, id, bindings }, null, 2));
  return root;
}
