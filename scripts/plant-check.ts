/**
 * `npm run plant:check -- <dir>`: validate a plant directory (plant.json, DTDL
 * interfaces, bindings, scene file) and print every problem with file, path and reason.
 * Exit code 0 when valid, 1 when not, 2 on bad usage.
 */
import path from "node:path";
import { countPoints } from "../shared/plant.ts";
import { loadPlantDir } from "../server/plant/loadPlant.ts";
import { formatIssue, PlantError } from "../server/plant/PlantError.ts";

const dir = process.argv[2];
if (!dir || dir === "--help" || dir === "-h") {
  console.error("usage: npm run plant:check -- <plant directory>   (e.g. assets/plants/demo)");
  process.exit(2);
}
try {
  const { model } = await loadPlantDir(dir);
  // Start-up finds a plant by its directory name (PLANT=<id>, server/runtime/PlantHub.ts): same refusal, same words.
  const dirName = path.basename(path.resolve(dir));
  if (dirName !== model.id) {
    console.error(`${path.resolve(dir)}: 1 error`);
    console.error(`  plant directory "${dirName}" declares id "${model.id}"; they must match.`);
    process.exit(1);
  }
  console.log(
    `${path.resolve(dir)}: OK: plant "${model.id}" with ${model.types.length} types, ${model.twins.length} assets, ` +
      `${countPoints(model)} telemetry points, ${model.relationships.length} relationships.`,
  );
} catch (e) {
  if (e instanceof PlantError) {
    console.error(`${path.resolve(dir)}: ${e.issues.length} error${e.issues.length === 1 ? "" : "s"}`);
    for (const i of e.issues) console.error(`  ${formatIssue(i)}`);
    process.exit(1);
  }
  throw e;
}
