/**
 * Liquid: each pump's flow and pressures, carried down its flow tree through valves, pipes and exchangers into
 * tanks and fillers; then every tank's mass and heat balance.
 */
import { clamp, lagK } from "./plantConstants.ts";
import { CONDUIT, tankLevel, type FlowNode, type SimPlant } from "./simModel.ts";

export function stepHydraulics(plant: SimPlant, dt: number): void {
  for (const pipe of plant.pipes.values()) {
    pipe.flow = 0;
    pipe.heat = 0;
    pipe.p = 0.2; // static head when nothing pushes
  }
  for (const hx of plant.hxs.values()) {
    hx.pFlow = 0;
    hx.pInHeat = 0;
    hx.mFlow = 0;
  }
  for (const tk of plant.tanks.values()) {
    tk.pumpIn = 0;
    tk.pumpInHeat = 0;
    tk.outflow = 0;
  }
  for (const f of plant.fillers.values()) {
    f.supplyFlow = 0;
    f.supplyHeat = 0;
  }
  for (const p of plant.pumps.values()) {
    // Motor speed ramps (soft starter / VFD ramp ~2 s).
    p.s += ((p.on ? p.speedCmd : 0) - p.s) * lagK(dt, 2);
    if (p.s < 1e-4) p.s = 0;
    const run = p.on && p.s > 0.01;
    const lvl = p.src ? tankLevel(p.src) : 100;
    let valveF = 1;
    for (const v of p.suction) valveF *= v.pos / 100;
    // Flow = nominal × speed × suction valves × downstream openness × cavitation loss; nothing from an empty tank.
    const q = run && lvl >= 3 ? p.nominal * p.s * valveF * openness(plant, p.tree) * (1 - 0.4 * p.cav) : 0;
    p.flow = q;
    if (p.src) p.fluidTemp = p.src.temp;
    const fr = q / p.nominal;
    // Suction: static head of the source tank (~0.35 bar + level) minus entrance loss;
    // cavitation (starved suction, e.g. a blocked strainer) pulls it toward vapour pressure.
    let suction = (p.src ? 0.35 + (0.8 * lvl) / 100 : 1.0) - (run ? 0.06 * fr * fr : 0);
    if (run) suction -= p.cav * (suction - 0.08);
    // Discharge: centrifugal pump curve, shut-off head ∝ speed², falling with flow²; cavitation collapses head.
    const discharge = run ? suction + (3.6 * p.s * p.s - 1.2 * fr * fr) * (1 - 0.3 * p.cav) : suction;
    p.suctionP = suction;
    p.dischargeP = discharge;
    // Motor current: magnetising + windage (speed²) + hydraulic load (flow); cavitation adds a load surge.
    p.currentBase = run ? 3.5 + 2.5 * p.s * p.s + 6 * fr + 5 * p.cav : 0;
    if (p.src) p.src.outflow += q;
    carry(plant, p.tree, q, p.fluidTemp, discharge);
  }
}

/** Fraction of the nominal flow the downstream network lets through (valves multiply, branches add). */
function openness(plant: SimPlant, n: FlowNode): number {
  let self = 1;
  if (n.kind === "Valve") self = plant.valves.get(n.id)!.pos / 100;
  if (n.kind === "Pump" || CONDUIT.has(n.kind)) {
    if (n.children.length === 0) return n.heats.length > 0 ? self : 0; // a dead end passes nothing
    let sum = 0;
    for (const c of n.children) sum += openness(plant, c);
    return self * Math.min(1, sum);
  }
  return self;
}

/** Carry a pump's flow q (L/s) at temperature temp (°C) and pressure p (bar) down its tree. */
function carry(plant: SimPlant, n: FlowNode, q: number, temp: number, p: number): void {
  switch (n.kind) {
    case "Valve":
      for (const hx of n.heats) {
        hx.mFlow += q;
        hx.mIn = temp;
      }
      break;
    case "Pipe": {
      const pipe = plant.pipes.get(n.id)!;
      pipe.flow += q;
      pipe.heat += q * temp;
      // Line losses grow with the square of velocity.
      pipe.p = Math.max(pipe.p, p - 0.1 * (q / pipe.qRef) ** 2);
      break;
    }
    case "HeatExchanger": {
      const hx = plant.hxs.get(n.id)!;
      hx.pFlow += q;
      hx.pInHeat += q * temp;
      temp = hx.pOut;
      p -= hx.drop;
      break;
    }
    case "Tank": {
      const tk = plant.tanks.get(n.id)!;
      tk.pumpIn += q;
      tk.pumpInHeat += q * temp;
      return;
    }
    case "Filler": {
      const f = plant.fillers.get(n.id);
      if (f) {
        f.supplyFlow += q;
        f.supplyHeat += q * temp;
      }
      return;
    }
    default:
      if (n.kind !== "Pump") return;
  }
  if (n.children.length === 0) return;
  let total = 0;
  const opens = n.children.map((c) => {
    const o = openness(plant, c);
    total += o;
    return o;
  });
  n.children.forEach((c, i) => carry(plant, c, total > 0 ? (q * opens[i]!) / total : 0, temp, p));
}

export function stepTanks(plant: SimPlant, dt: number): void {
  for (const tk of plant.tanks.values()) {
    const vol0 = tk.vol;
    // Mass balance: V += (Σ in − Σ out)·dt; overflow and empty are hard limits.
    tk.vol = clamp(tk.vol + (tk.pumpIn + tk.supplyFlow - tk.outflow) * dt, 0, tk.cap);
    // Perfect mixing: incoming liquid pulls the temperature toward its own; walls exchange with the hall (or jacket).
    if (vol0 > 1) {
      const mix = (tk.pumpInHeat - tk.pumpIn * tk.temp + tk.supplyFlow * (tk.supplyTemp - tk.temp)) * (dt / vol0);
      tk.temp += clamp(mix, -5, 5) + (tk.ambient - tk.temp) * lagK(dt, 4 * 3600);
    }
  }
}
