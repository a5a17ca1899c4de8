/** Utilities: the compressed-air header (compressors' start/stop control) and the chillers' glycol supply. */
import { clamp, lagK } from "./plantConstants.ts";
import type { SimPlant } from "./simModel.ts";

/** Compressed-air header (bar) and chillers. */
export function stepUtilities(plant: SimPlant, dt: number): void {
  for (const c of plant.comps.values()) {
    // Start/stop control between load and unload pressures: the header saw-tooths 6.5 ↔ 7.5 bar.
    if (c.p < 6.5) c.running = true;
    else if (c.p > 7.5) c.running = false;
    // Air demand wanders (valves actuating, blow-off) so cycles are not identical.
    c.demand = clamp(c.demand + (0.008 - c.demand) * 0.02 + (plant.rand() - 0.5) * 0.0006, 0.004, 0.012);
    c.p += ((c.running ? 0.02 : 0) - c.demand) * dt;
    // Discharge air heats with compression and cools when stopped.
    c.dischargeT += ((c.running ? 82 : 38) - c.dischargeT) * lagK(dt, 90);
  }
  let header = 0;
  for (const c of plant.comps.values()) header = Math.max(header, c.p);
  plant.header = plant.comps.size > 0 ? header : 6.8;
  for (const ch of plant.chillers.values()) {
    // Chilled glycol supply drifts up slightly with load (refrigeration capacity is finite).
    ch.duty = 0;
    for (const hx of plant.hxs.values()) if (hx.chillers.includes(ch)) ch.duty += hx.duty / hx.chillers.length;
    ch.supply += (0.9 + 0.4 * Math.min(1, ch.duty / 3000) - ch.supply) * lagK(dt, 60);
  }
}
