/** Heat: exchanger outlet temperatures, duty and pressure drop; pipe wall temperatures. */
import { AMBIENT, clamp, lagK } from "./plantConstants.ts";
import type { SimPlant } from "./simModel.ts";

export function stepHeat(plant: SimPlant, dt: number): void {
  for (const hx of plant.hxs.values()) {
    if (hx.pFlow > 1e-6) hx.pIn = hx.pInHeat / hx.pFlow;
    const fp = Math.max(hx.pFlow, 0.3);
    let target = hx.pIn;
    let fm = 0;
    if (hx.mode === "heat") {
      fm = hx.mFlow;
      if (fm < 1e-3) hx.mIn += (AMBIENT - hx.mIn) * lagK(dt, 300);
      // Effectiveness–NTU: more medium per litre of product brings the outlet closer to the medium.
      target = hx.pIn + (1 - Math.exp((-2 * fm) / fp)) * (hx.mIn - hx.pIn);
    } else if (hx.mode === "cool") {
      fm = 0;
      let tin = 0;
      for (const ch of hx.chillers) {
        fm += ch.flow;
        tin += ch.supply * ch.flow;
      }
      hx.mIn = fm > 0 ? tin / fm : AMBIENT;
      target = hx.pIn - (1 - Math.exp((-0.5 * fm) / fp)) * (hx.pIn - hx.mIn);
    }
    hx.mFlow = fm;
    // Plate pack thermal inertia: outlet lags its steady-state value.
    hx.pOut += (target - hx.pOut) * lagK(dt, 8);
    // Duty = ṁ·cp·ΔT (beverage: ρ 1.04 kg/L, cp 4.0 kJ/kg·K) → kW.
    hx.duty = hx.pFlow * 1.04 * 4.0 * Math.abs(hx.pOut - hx.pIn);
    if (hx.mode === "heat") {
      const mOut = fm > 0.05 ? hx.mIn - hx.duty / (fm * 4.18) : hx.pOut;
      hx.mOut = clamp(mOut, Math.min(hx.pIn, hx.mIn), hx.mIn);
    } else if (hx.mode === "cool") {
      const mOut = fm > 0.05 ? hx.mIn + hx.duty / (fm * 3.7) : hx.pOut;
      hx.mOut = clamp(mOut, hx.mIn, Math.max(hx.pIn, hx.mIn));
    } else hx.mOut = hx.mIn;
    // Pressure drop across the plates ∝ flow².
    hx.drop = 0.8 * (hx.pFlow / hx.qRef) ** 2;
  }
  for (const pipe of plant.pipes.values()) {
    // What a pipe carries sets its wall temperature; idle pipes drift to the hall temperature.
    if (pipe.flow > 0.01) pipe.temp += (pipe.heat / pipe.flow - pipe.temp) * lagK(dt, 15);
    else pipe.temp += (AMBIENT - pipe.temp) * lagK(dt, 900);
  }
}
