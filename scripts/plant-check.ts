/**
 * `npm run plant:check -- <dir>`: validate a plant directory (plant.json, DTDL interfaces
 * checked by Microsoft's reference parser, bindings, rules, procedures, scene file) and print every
 * problem with file, path and reason, in the same words start-up uses when it refuses.
 * Warnings (accepted, worth knowing) are printed too. Exit code 0 when valid, 1 when not, 2 on bad usage.
 */
import path from "node:path";
import { countPoints } from "../shared/plant.ts";
import { processLinks } from "../shared/processModel.ts";
import { loadPlantDir, plantDirMismatch } from "../server/plant/loadPlant.ts";
import { formatIssue, PlantError } from "../server/plant/PlantError.ts";

const dir = process.argv[2];
if (!dir || dir === "--help" || dir === "-h") {
  console.error("usage: npm run plant:check -- <plant directory>   (e.g. assets/plants/demo)");
  process.exit(2);
}
const abs = path.resolve(dir);
try {
  const { model, warnings, procedures, drills } = await loadPlantDir(dir);
  for (const w of warnings) console.log(`  warning: ${formatIssue(w)}`);
  const mismatch = plantDirMismatch(path.basename(abs), model.id);
  if (mismatch) {
    console.error(`${abs}: 1 error`);
    console.error(`  ${mismatch}`);
    process.exit(1);
  }
  console.log(
    `${abs}: OK: plant "${model.id}" with ${model.types.length} types, ${model.twins.length} assets, ` +
      `${countPoints(model)} points, ${model.relationships.length} relationships, ${processLinks(model.relationships).length} process links, ${procedures.length} procedure${procedures.length === 1 ? "" : "s"}, ${drills.length} drill${drills.length === 1 ? "" : "s"}` +
      (warnings.length ? `, ${warnings.length} warning${warnings.length === 1 ? "" : "s"}.` : "."),
  );
} catch (e) {
  if (e instanceof PlantError) {
    console.error(`${abs}: ${e.issues.length} error${e.issues.length === 1 ? "" : "s"}`);
    for (const i of e.issues) console.error(`  ${formatIssue(i)}`);
    process.exit(1);
  }
  throw e;
}
