/**
 * The plant simulator: physically plausible telemetry for every telemetry point
 * of every twin of a plant made of the demo's types (Tank, Valve, Pump, Pipe,
 * HeatExchanger, Filler, Conveyor, Capper, Labeler, Palletizer, Compressor,
 * Chiller), with injectable faults. Pure: no I/O, no wall clock, no Math.random;
 * the same seed and the same calls give the same samples.
 *
 * Behaviour is driven by each twin's type (the `<Type>` segment of its DTMI) and
 * the `feeds` / `heats` / `cools` relationships, so a replicated plant (ids like
 * `P101-k2`) behaves like the demo. Points of unknown types, or unknown points of
 * known types, publish a constant resting value inside their limits.
 *
 * Optional twin properties the simulator reads: Tank `capacity` (L, default 5000),
 * Tank `supply` ("makeup" | "delivery"), Pump `nominalFlow` (L/s).
 */
import type { PlantModel } from "../../shared/plant.ts";
import { stepPackaging } from "./bottleLine.ts";
import { buildSimPlant } from "./buildSimPlant.ts";
import { stepControl, stepValves } from "./control.ts";
import type { ActiveFault, FaultName } from "./faultCatalogue.ts";
import { activeFaults, clearFault, injectFault, stepFaults } from "./faults.ts";
import { stepHeat } from "./heatTransfer.ts";
import { stepHydraulics, stepTanks } from "./hydraulics.ts";
import { AMBIENT } from "./plantConstants.ts";
import type { SimPlant } from "./simModel.ts";
import { emit } from "./telemetry.ts";
import { stepUtilities } from "./utilities.ts";

export { FAULTS, isFaultName, type ActiveFault, type FaultName } from "./faultCatalogue.ts";
export { SimError, type SimErrorCode } from "./SimError.ts";
export { mulberry32 } from "./seededRandom.ts";
export { typeName } from "./simModel.ts";

export interface SimSample {
  twin: string;
  point: string;
  value: number;
  ts: number;
}

export interface SimOptions {
  seed: number;
  /** Simulated start time, ms since the epoch. */
  startTime: number;
  /** Simulated milliseconds per step (default 250). */
  stepMs?: number;
}

/**
 * The simulator's face: builds the plant, runs the process stages in their fixed order each step, and
 * publishes the points that fall due. The stages live one per file (control, hydraulics, heat transfer,
 * bottle line, utilities, faults, telemetry); the order below is part of the behaviour (it fixes the
 * sequence of seeded random draws).
 */
export class PlantSimulator {
  readonly stepMs: number;
  private readonly plant: SimPlant;

  constructor(model: PlantModel, opts: SimOptions) {
    this.stepMs = Math.max(1, Math.round(opts.stepMs ?? 250));
    const plant = buildSimPlant(model, opts.seed, opts.startTime);
    this.plant = plant;
    // Start in steady running: controllers decide, valves and pumps already where they were told to be.
    stepControl(plant, 0);
    for (const v of plant.valves.values()) v.pos = v.cmd;
    for (const p of plant.pumps.values()) p.s = p.on ? p.speedCmd : 0;
    stepUtilities(plant, 0);
    stepHydraulics(plant, 0);
    for (const p of plant.pumps.values()) {
      p.bearingBase = p.on ? 25 + 22 * p.s : AMBIENT + 8;
      p.motorT = p.on ? 25 + (30 * p.currentBase) / 12 : AMBIENT + 10;
    }
    stepHeat(plant, 0);
    emit(plant);
  }

  get now(): number {
    return this.plant.t;
  }

  /** Advance one step; return the samples that fall due at the new simulated time. */
  step(): SimSample[] {
    const plant = this.plant;
    plant.t += this.stepMs;
    const dt = this.stepMs / 1000;
    stepUtilities(plant, dt);
    stepControl(plant, dt);
    stepValves(plant, dt);
    stepHydraulics(plant, dt);
    stepTanks(plant, dt);
    stepHeat(plant, dt);
    stepPackaging(plant, dt);
    stepFaults(plant, dt);
    emit(plant);
    const samples: SimSample[] = [];
    for (const p of plant.points) {
      const due = plant.t >= p.nextDue;
      const changed = p.onChange && p.lastSent !== undefined && p.value !== p.lastSent;
      if (due || changed) {
        samples.push({ twin: p.twin, point: p.point, value: p.value, ts: plant.t });
        p.lastSent = p.value;
      }
      if (due) p.nextDue += Math.ceil((plant.t - p.nextDue + 1) / p.periodMs) * p.periodMs;
    }
    return samples;
  }

  /**
   * Move simulated time forward to `time` without simulating the gap (the plant "paused"),
   * re-phasing the publish schedule so nothing bursts. Used to follow wall time after a stall.
   */
  skipTo(time: number): void {
    const plant = this.plant;
    if (time <= plant.t) return;
    plant.t += Math.floor((time - plant.t) / this.stepMs) * this.stepMs;
    for (const p of plant.points) {
      if (p.nextDue <= plant.t) p.nextDue += Math.ceil((plant.t - p.nextDue + 1) / p.periodMs) * p.periodMs;
    }
  }

  /**
   * Inject a fault (see faultCatalogue.ts for what each looks like); injecting an active one again does nothing.
   * `slowdown` ≥ 1 makes cavitation and bearing wear develop that many times slower (default 1: as catalogued).
   */
  injectFault(name: FaultName, target: string, slowdown = 1): void {
    injectFault(this.plant, name, target, slowdown);
  }

  /** Clear faults matching name and/or target (a twin id also matches its "twin/point" flatlines). Returns how many. */
  clearFault(name?: FaultName, target?: string): number {
    return clearFault(this.plant, name, target);
  }

  activeFaults(): ActiveFault[] {
    return activeFaults(this.plant);
  }

  /** "twin/point" → current value, as it would be published now. */
  snapshot(): Map<string, number> {
    return new Map(this.plant.points.map((p) => [p.key, p.value]));
  }
}
