/**
 * The 10× plant for benches: generated on the fly by the scene generator (`npm run plant:scene -- --scale N`)
 * into a temporary plants directory, never committed (its scene alone is ~0.75 MB). The copy's models point
 * back at the demo plant's DTDL files; its topics follow its id ("gemba/demo-x10/..."), so the simulator feeds it.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./common.ts";

export interface ScaledPlant {
  /** PLANTS_DIR for the server. */
  plantsDir: string;
  /** PLANT id, e.g. "demo-x10". */
  id: string;
  remove(): void;
}

export function makeScaledPlant(scale: number, base = "demo"): ScaledPlant {
  const plantsDir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-scaled-"));
  const id = `${base}-x${scale}`;
  execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(ROOT, "scripts/gen-scene.ts"),
      path.join(ROOT, "assets/plants", base),
      "--scale",
      String(scale),
      "--out",
      path.join(plantsDir, id),
    ],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] },
  );
  // The base plant too, so a server started with PLANT=<base> against this directory still finds it.
  fs.symlinkSync(path.join(ROOT, "assets/plants", base), path.join(plantsDir, base));
  return { plantsDir, id, remove: () => fs.rmSync(plantsDir, { recursive: true, force: true }) };
}
