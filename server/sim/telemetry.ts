/**
 * Telemetry: every point's current value from the units' state, with measurement noise, rounded as declared.
 * A flatlined point keeps its frozen value.
 */
import type { PointDef } from "../../shared/plant.ts";
import { BOWL_L, CONV_CAP, FILLER_RATED_BPM, RATED_RPM, clamp } from "./plantConstants.ts";
import { tankLevel, type ConvS, type MachS, type PalS, type SimPlant, type TwinRec } from "./simModel.ts";

/** Compute every point's current value (physics + measurement noise), in a fixed order. */
export function emit(plant: SimPlant): void {
  const pos = (v: number): number => Math.max(0, v);
  /** Measurement noise: triangular in (−a, a), from the plant's seeded randomness. */
  const nz = (a: number): number => (plant.rand() + plant.rand() - 1) * a;
  for (const rec of plant.twins.values()) {
    const id = rec.twin.id;
    switch (rec.kind) {
      case "Tank": {
        const tk = plant.tanks.get(id)!;
        const lvl = tankLevel(tk);
        const inflow = tk.pumpIn + tk.supplyFlow;
        put(rec, "level", clamp(lvl + nz(0.03), 0, 100));
        put(rec, "volume", pos(tk.vol + nz(0.5)));
        put(rec, "temperature", tk.temp + nz(0.05));
        // Hydrostatic head of a ~4 m tank: ρ·g·h.
        put(rec, "pressure", pos((0.4 * lvl) / 100 + nz(0.002)));
        put(rec, "inflow", inflow > 0 ? pos(inflow + nz(0.01 + 0.005 * inflow)) : 0);
        put(rec, "outflow", tk.outflow > 0 ? pos(tk.outflow + nz(0.01 + 0.005 * tk.outflow)) : 0);
        break;
      }
      case "Valve": {
        const v = plant.valves.get(id)!;
        put(rec, "position", clamp(v.pos + nz(0.05), 0, 100));
        put(rec, "command", v.cmd);
        // Actuator air comes from the compressed-air header, less the regulator/filter drop.
        put(rec, "actuatorPressure", plant.header - 0.35 + nz(0.02));
        put(rec, "cycles", v.cycles);
        break;
      }
      case "Pump": {
        const p = plant.pumps.get(id)!;
        const run = p.on && p.s > 0.01;
        const current = run ? p.currentBase + nz(0.1) + p.cav * nz(1.5) : 0;
        put(rec, "flow", p.flow > 0 ? pos(p.flow + nz(0.004 * p.nominal)) : 0);
        put(rec, "current", current);
        put(rec, "speed", pos(RATED_RPM * p.s + (run ? nz(3) : 0)));
        put(rec, "suctionPressure", pos(p.suctionP + nz(0.008)));
        put(rec, "dischargePressure", pos(p.dischargeP + nz(0.015)));
        // Vibration: healthy ~1.5–2.5 mm/s RMS running; cavitation adds broadband noise; worn bearings add a ramp.
        const vib = run ? 1.5 + 0.6 * p.s + nz(0.2) + p.cav * (4 + nz(0.6)) + p.wearV : 0.2 + nz(0.05) + 0.1 * p.wearV;
        put(rec, "vibration", pos(vib));
        // A failing bearing heads for ~98 °C whatever it ran at before.
        put(rec, "bearingTemperature", p.bearingBase + p.wearT * (98 - p.bearingBase) + nz(0.1));
        put(rec, "motorTemperature", p.motorT + nz(0.1));
        // P = √3·U·I·cosφ at 400 V, cosφ 0.87 → 0.6 kW per A.
        put(rec, "power", 0.6 * current);
        put(rec, "running", run ? 1 : 0);
        break;
      }
      case "HeatExchanger": {
        const hx = plant.hxs.get(id)!;
        put(rec, "productInletTemperature", hx.pIn + nz(0.05));
        put(rec, "productOutletTemperature", hx.pOut + nz(0.08));
        put(rec, "mediumInletTemperature", hx.mIn + nz(0.05));
        put(rec, "mediumOutletTemperature", hx.mOut + nz(0.05));
        put(rec, "productFlow", hx.pFlow > 0 ? pos(hx.pFlow + nz(0.03)) : 0);
        put(rec, "mediumFlow", hx.mFlow > 0 ? pos(hx.mFlow + nz(0.05)) : 0);
        put(rec, "pressureDrop", pos(hx.drop + nz(0.005)));
        put(rec, "duty", pos(hx.duty + (hx.duty > 0 ? nz(2) : 0)));
        break;
      }
      case "Pipe": {
        const pipe = plant.pipes.get(id)!;
        put(rec, "flow", pipe.flow > 0 ? pos(pipe.flow + nz(0.03)) : 0);
        put(rec, "pressure", pos(pipe.p + nz(0.01)));
        put(rec, "temperature", pipe.temp + nz(0.05));
        break;
      }
      case "Filler": {
        const f = plant.fillers.get(id)!;
        put(rec, "speed", pos(f.speed + (f.speed > 1 ? nz(2) : 0)));
        put(rec, "count", Math.floor(f.count));
        put(rec, "rejects", f.rejects);
        put(rec, "fillVolume", f.fill);
        put(rec, "bowlLevel", clamp((100 * f.bowl) / BOWL_L + nz(0.2), 0, 100));
        put(rec, "productTemperature", f.productT + nz(0.05));
        put(rec, "co2Pressure", 3.2 + nz(0.03));
        put(rec, "state", f.state);
        put(rec, "efficiency", clamp(f.eff, 0, 100));
        put(rec, "motorCurrent", f.speed > 1 ? 6 + (6 * f.speed) / FILLER_RATED_BPM + nz(0.15) : 0.8);
        break;
      }
      case "Conveyor": {
        const c = plant.line.get(id) as ConvS;
        const moving = c.state === 1 || c.state === 2;
        const acc = (100 * c.n) / CONV_CAP;
        put(rec, "speed", moving ? pos(c.belt + nz(0.004)) : 0);
        put(rec, "motorCurrent", moving ? 1.8 + (2.5 * acc) / 100 + nz(0.1) : 0);
        put(rec, "accumulation", clamp(acc + nz(0.5), 0, 100));
        put(rec, "motorTemperature", c.motorT + nz(0.1));
        put(rec, "state", c.state);
        break;
      }
      case "Capper":
      case "Labeler": {
        const m = plant.line.get(id) as MachS;
        const running = m.state === 1;
        put(rec, "speed", pos(m.speed + (running ? nz(2) : 0)));
        put(rec, "count", Math.floor(m.count));
        put(rec, "rejects", m.rejects);
        put(rec, "state", m.state);
        if (m.kind === "Capper") {
          put(rec, "torque", m.torque);
          put(rec, "motorCurrent", running ? 1.5 + (2.5 * m.speed) / 600 + nz(0.08) : 0.3);
          put(rec, "capFeedLevel", clamp(m.stock, 0, 100));
        } else {
          put(rec, "glueTemperature", 165 + nz(0.6));
          put(rec, "labelStock", clamp(m.stock, 0, 100));
          put(rec, "vacuum", running ? 0.62 + nz(0.01) : 0.1 + nz(0.01));
        }
        break;
      }
      case "Palletizer": {
        const pz = plant.line.get(id) as PalS;
        put(rec, "pallets", pz.pallets);
        put(rec, "layer", pz.layer);
        put(rec, "cycleTime", pz.cycleTime);
        put(rec, "motorCurrent", pz.state === 1 ? 7.5 + nz(0.4) : 1.2);
        put(rec, "state", pz.state);
        break;
      }
      case "Compressor": {
        const c = plant.comps.get(id)!;
        put(rec, "pressure", c.p + nz(0.01));
        put(rec, "flow", c.running ? 110 + nz(2) : 0);
        put(rec, "current", c.running ? 92 + nz(1.5) : 0);
        put(rec, "dischargeTemperature", c.dischargeT + nz(0.2));
        put(rec, "running", c.running ? 1 : 0);
        break;
      }
      case "Chiller": {
        const ch = plant.chillers.get(id)!;
        put(rec, "supplyTemperature", ch.supply + nz(0.05));
        // Glycol returns warmer by the absorbed duty: ΔT = Q / (ṁ·cp), glycol cp ≈ 3.7 kJ/kg·K.
        put(rec, "returnTemperature", ch.supply + ch.duty / (ch.flow * 3.7) + nz(0.05));
        put(rec, "power", 25 + ch.duty / 3.5 + nz(0.5)); // compressor power at COP 3.5
        put(rec, "flow", ch.flow + nz(0.3));
        put(rec, "running", 1);
        break;
      }
      default:
        break;
    }
  }
}

function put(rec: TwinRec, name: string, v: number): void {
  const p = rec.points.get(name);
  if (!p) return;
  p.value = p.frozen ?? format(p.def, v);
}

/** Round as the point is declared: integers whole, doubles to two more decimals than the label shows. */
function format(def: PointDef, v: number): number {
  if (def.schema === "boolean") return v ? 1 : 0;
  if (def.schema === "integer" || def.schema === "long") return Math.round(v);
  const f = 10 ** Math.min(6, def.decimals + 2);
  return Math.round(v * f) / f;
}

/** A constant, in-limits value for points the simulator has no physics for. */
export function restingValue(def: PointDef): number {
  const l = def.limits;
  if (!l) return 0;
  const lo = l.lowWarning ?? l.lowAlarm;
  const hi = l.highWarning ?? l.highAlarm;
  if (lo !== undefined && hi !== undefined) return format(def, (lo + hi) / 2);
  if (hi !== undefined) return format(def, hi > 0 ? hi / 2 : hi - 1);
  if (lo !== undefined) return format(def, lo >= 0 ? lo * 1.5 + 1 : lo / 2);
  return 0;
}
