/**
 * Generates a plant's 3D scene (scene.glb) from its plant.json.
 *
 *   npx tsx scripts/gen-scene.ts [plantDir] [--scale N] [--out outDir]
 *
 * Default: assets/plants/demo → assets/plants/demo/scene.glb.
 * With --scale N the plant is replicated N times (scripts/scene/scalePlant.ts)
 * and the scaled plant.json plus its scene.glb are written to outDir
 * (default: "<plantDir>-x<N>" next to the plant).
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import { buildPlantSceneWithStats } from "./scene/buildScene.ts";
import { parsePlantInstance, PlantInputError, type PlantInstanceJson } from "./scene/plantJson.ts";
import { scalePlant } from "./scene/scalePlant.ts";

const USAGE = "usage: npx tsx scripts/gen-scene.ts [plantDir] [--scale N] [--out outDir]";

class CliError extends Error {}

interface Args {
  plantDir: string;
  scale: number;
  out: string | undefined;
}

function parseArgs(argv: string[]): Args {
  let plantDir: string | undefined;
  let scale = 1;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (a === "--scale") {
      const v = argv[++i];
      const n = Number(v);
      if (v === undefined || !Number.isInteger(n) || n < 1)
        throw new CliError(`--scale needs a positive integer, got ${v ?? "nothing"}.`);
      scale = n;
    } else if (a === "--out") {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new CliError("--out needs a directory.");
      out = v;
    } else if (a.startsWith("-")) {
      throw new CliError(`Unknown option ${a} (${USAGE}).`);
    } else if (plantDir === undefined) {
      plantDir = a;
    } else {
      throw new CliError(`Unexpected argument ${a} (${USAGE}).`);
    }
  }
  return { plantDir: plantDir ?? "assets/plants/demo", scale, out };
}

function readPlant(dir: string): PlantInstanceJson {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`Plant directory not found: ${dir}.`);
  const file = resolve(dir, "plant.json");
  if (!existsSync(file)) throw new CliError(`No plant.json in ${dir}.`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new CliError(`${file} is not valid JSON: ${(e as Error).message}.`);
  }
  return parsePlantInstance(raw, file);
}

function fmtBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MB` : `${(n / 1024).toFixed(1)} kB`;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const plantDir = resolve(args.plantDir);
  let plant = readPlant(plantDir);
  let outDir = plantDir;
  if (args.scale > 1 || args.out !== undefined) {
    outDir = resolve(args.out ?? `${plantDir}-x${args.scale}`);
  }
  if (args.scale > 1) {
    const modelsAbs =
      plant.models !== undefined && !isAbsolute(plant.models) ? resolve(plantDir, plant.models) : plant.models;
    const models = modelsAbs !== undefined && isAbsolute(modelsAbs) ? relative(outDir, modelsAbs) || "." : modelsAbs;
    plant = scalePlant(plant, args.scale, models !== undefined ? { models } : {});
  }
  const { glb, stats } = buildPlantSceneWithStats(plant);
  mkdirSync(outDir, { recursive: true });
  if (outDir !== plantDir) {
    if (args.scale === 1 && plant.models !== undefined && !isAbsolute(plant.models)) {
      // Plain copy to another directory: keep the models pointing at the original.
      plant = { ...plant, models: relative(outDir, resolve(plantDir, plant.models)) || "." };
    }
    writeFileSync(resolve(outDir, "plant.json"), `${JSON.stringify(plant, null, 2)}\n`);
  }
  const sceneFile = resolve(outDir, typeof plant.scene === "string" && plant.scene !== "" ? plant.scene : "scene.glb");
  mkdirSync(dirname(sceneFile), { recursive: true });
  writeFileSync(sceneFile, glb);
  const where = relative(process.cwd(), sceneFile) || basename(sceneFile);
  console.log(
    `${where}: ${stats.twins} twins, ${stats.nodes} nodes, ${stats.meshes} meshes (${stats.primitives} primitives), ` +
      `${stats.materials} materials, ${stats.uniqueTriangles} triangles stored / ${stats.renderedTriangles} drawn, ${fmtBytes(stats.bytes)} (${stats.bytes} bytes)`,
  );
}

try {
  main();
} catch (e) {
  if (e instanceof CliError || e instanceof PlantInputError) {
    console.error(`gen-scene: ${e.message}`);
  } else {
    console.error(`gen-scene: ${(e as Error).message ?? String(e)}`);
  }
  process.exit(1);
}
