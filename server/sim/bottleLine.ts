/** The bottle line: each filler, its empty-bottle infeed and the chain from its discharge to the palletizer. */
import {
  AMBIENT,
  BOTTLES_PER_LAYER,
  BOWL_L,
  CONV_CAP,
  CONV_MAX_BPS,
  CONV_TRANSIT_S,
  FILL_ML,
  FILLER_RATED_BPM,
  FILLER_TARGET_BPM,
  LAYERS_PER_PALLET,
  MACHINE_MAX_BPS,
  PALLETIZER_MAX_BPS,
  clamp,
  lagK,
} from "./plantConstants.ts";
import type { SimPlant } from "./simModel.ts";

/** Bottle flow: acceptance propagates upstream from the palletizer, bottles flow downstream from the filler. */
export function stepPackaging(plant: SimPlant, dt: number): void {
  for (const f of plant.fillers.values()) {
    // Pass 1: how many bottles/s each element can take this step.
    let accept = Number.POSITIVE_INFINITY;
    for (let i = f.chain.length - 1; i >= 0; i--) {
      const e = f.chain[i]!;
      if (e.kind === "Conveyor") {
        // A conveyor discharges what the next one takes, no faster than its transit allows; a jammed one nothing.
        e.out = e.jam ? 0 : Math.min(accept, CONV_MAX_BPS, e.n / CONV_TRANSIT_S);
        e.accept = e.n < CONV_CAP ? CONV_MAX_BPS : e.out;
      } else if (e.kind === "Palletizer") e.accept = PALLETIZER_MAX_BPS;
      else e.accept = Math.min(MACHINE_MAX_BPS, accept); // capper/labeler: no buffer, pass-through
      accept = e.accept;
    }
    const first = f.chain[0];
    // Blocked: the discharge can no longer take bottles (full and not draining). Restart once it has room.
    if (first?.kind === "Conveyor") {
      if (first.n >= CONV_CAP && first.out < 0.5) f.blocked = true;
      else if (first.n < 0.7 * CONV_CAP) f.blocked = false;
    } else f.blocked = accept < 0.5;
    // Starved: the product bowl runs low (no product from the BBT) or no empty bottles arrive.
    const bowlPct = (100 * f.bowl) / BOWL_L;
    const noBottles = f.infeed.length > 0 && f.infeed.every((c) => c.n < 1 || c.jam);
    if (bowlPct < 15 || noBottles) f.starved = true;
    else if (bowlPct > 30) f.starved = false;
    // Speed ramps (60 bpm/s) to a slowly wandering target while production runs.
    const target =
      f.blocked || f.starved ? 0 : FILLER_TARGET_BPM + 12 * Math.sin((plant.t - plant.t0) / 300_000 + f.phase);
    f.speed += clamp(target - f.speed, -60 * dt, 60 * dt);
    f.out = Math.min(f.speed / 60, accept);
    if (f.out < 1e-6) f.out = 0;
    f.state = f.blocked ? 3 : f.starved ? 2 : f.speed > 1 ? 1 : 0;
    const filled = f.out * dt;
    f.count += filled;
    // Rejects: ~0.2 % of bottles (under/over-fill, missing cap) — random but seeded.
    if (filled > 0 && plant.rand() < filled * 0.002) f.rejects++;
    if (filled > 0) f.fill = FILL_ML + (plant.rand() + plant.rand() - 1) * 1.6;
    // Bowl: product in from the supply pipe, out into bottles.
    f.bowl = clamp(f.bowl + (f.supplyFlow - (f.out * f.fill) / 1000) * dt, 0, BOWL_L);
    const supplyT = f.supplyFlow > 0.01 ? f.supplyHeat / f.supplyFlow : AMBIENT;
    f.productT += (supplyT + 0.3 - f.productT) * lagK(dt, f.supplyFlow > 0.01 ? 30 : 1800);
    // Efficiency: output against rated speed, averaged over ~15 min.
    f.eff += ((100 * f.out * 60) / FILLER_RATED_BPM - f.eff) * lagK(dt, 900);
    // Empty-bottle infeed: the depalletiser keeps the infeed buffer around 55 %.
    for (const c of f.infeed) {
      c.out = c.jam ? 0 : f.out / f.infeed.length;
      c.in = c.jam ? 0 : clamp(c.out + 0.5 * (0.55 * CONV_CAP - c.n), 0, CONV_MAX_BPS);
      c.n = clamp(c.n + (c.in - c.out) * dt, 0, CONV_CAP);
      c.state = c.jam ? 4 : c.out > 0.05 ? 1 : 3;
    }
    // Pass 2: bottles move downstream.
    let flow = f.out;
    for (const e of f.chain) {
      e.in = flow;
      if (e.kind === "Conveyor") {
        e.n = clamp(e.n + (e.in - e.out) * dt, 0, CONV_CAP);
        flow = e.out;
        e.state = e.jam ? 4 : e.n >= CONV_CAP - 0.5 && e.out < 0.05 ? 3 : e.out > 0.05 || e.in > 0.05 ? 1 : 2;
      } else if (e.kind === "Palletizer") {
        e.ema += (e.in - e.ema) * lagK(dt, 10);
        e.state = e.ema > 0.3 ? 1 : 2;
        e.bottles += e.in * dt;
        if (e.bottles >= BOTTLES_PER_LAYER) {
          e.bottles -= BOTTLES_PER_LAYER;
          e.cycleTime = (plant.t - e.layerStart) / 1000;
          e.layerStart = plant.t;
          e.layer++;
          if (e.layer >= LAYERS_PER_PALLET) {
            e.layer = 0;
            e.pallets++;
          }
        }
      } else {
        e.out = flow;
        e.speed += (e.out * 60 - e.speed) * lagK(dt, 1.5);
        e.state = e.out > 0.05 ? 1 : e.accept < 0.05 ? 3 : 2;
        const n = e.out * dt;
        e.count += n;
        if (n > 0 && plant.rand() < n * (e.kind === "Capper" ? 0.001 : 0.0015)) e.rejects++;
        if (e.kind === "Capper") {
          // Cap hopper: 3000 caps; the elevator refills it from 35 % to 90 %.
          e.stock -= (n * 100) / 3000;
          if (e.stock < 35) e.refilling = true;
          if (e.refilling) e.stock += 1.5 * dt;
          if (e.stock >= 90) e.refilling = false;
          if (n > 0) e.torque = 2.1 + (plant.rand() + plant.rand() - 1) * 0.12;
        } else {
          // Label reel: 20 000 labels; the auto-splicer changes reels at 15 %.
          e.stock -= (n * 100) / 20000;
          if (e.stock < 15) e.stock = 100;
        }
      }
    }
  }
  for (const e of plant.line.values()) {
    if (e.kind === "Conveyor") {
      // Motor warms with load (running + accumulated bottles).
      const running = e.state === 1 || e.state === 2;
      e.motorT += ((running ? 28 + (12 * e.n) / CONV_CAP : AMBIENT + 2) - e.motorT) * lagK(dt, 600);
      if (e.role === "orphan") e.state = 0;
    } else if (!e.inLine) {
      e.state = 0;
    }
  }
}
