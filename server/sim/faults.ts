/** Injecting and clearing faults, and the fault dynamics that evolve with time (see faultCatalogue.ts). */
import { FAULTS, isFaultName, type ActiveFault, type FaultName } from "./faultCatalogue.ts";
import { AMBIENT, clamp, lagK } from "./plantConstants.ts";
import { SimError } from "./SimError.ts";
import { typeName, type ConvS, type FaultRec, type Kind, type SimPlant, type TwinRec } from "./simModel.ts";

/**
 * `slowdown` (pump faults only, ≥ 1): the fault develops that many times slower than catalogued, e.g. bearing wear
 * over half an hour instead of ninety seconds, so a forecast's lead can be measured on a fault that gives time for one
 * (bench/forecastBacktest.ts). Deterministic: it draws no random numbers.
 */
export function injectFault(plant: SimPlant, name: FaultName, target: string, slowdown = 1): void {
  if (!isFaultName(name)) {
    throw new SimError("unknown-fault", `Unknown fault "${String(name)}"; use one of ${FAULTS.join(", ")}.`);
  }
  if (!Number.isFinite(slowdown) || slowdown < 1 || slowdown > 10_000) {
    throw new SimError("bad-option", `A fault's slowdown is a number from 1 to 10000, not ${String(slowdown)}.`);
  }
  const resolved = resolveTarget(plant, name, target);
  if (plant.faults.some((f) => f.name === name && f.target === resolved)) return; // already active
  plant.faults.push({ name, target: resolved, requested: target, since: plant.t });
  const pump = plant.pumps.get(resolved);
  if (pump && (name === "cavitation" || name === "bearing-wear")) pump.slowdown = slowdown;
  applyFault(plant, name, resolved, true);
}

/** Clear faults matching name and/or target (a twin id also matches its "twin/point" flatlines). Returns how many. */
export function clearFault(plant: SimPlant, name?: FaultName, target?: string): number {
  if (name !== undefined && !isFaultName(name)) {
    throw new SimError("unknown-fault", `Unknown fault "${String(name)}"; use one of ${FAULTS.join(", ")}.`);
  }
  const keep: FaultRec[] = [];
  let n = 0;
  for (const f of plant.faults) {
    const nameOk = name === undefined || f.name === name;
    const targetOk =
      target === undefined || f.target === target || f.requested === target || f.target.startsWith(`${target}/`);
    if (nameOk && targetOk) {
      applyFault(plant, f.name, f.target, false);
      n++;
    } else keep.push(f);
  }
  plant.faults = keep;
  return n;
}

export function activeFaults(plant: SimPlant): ActiveFault[] {
  return plant.faults.map((f) => ({ name: f.name, target: f.target, since: f.since }));
}

/** Fault dynamics that evolve with time (onset ramps, recovery after clearing). */
export function stepFaults(plant: SimPlant, dt: number): void {
  for (const p of plant.pumps.values()) {
    // Cavitation develops over ~10 s and subsides over ~10 s after clearing.
    p.cav = clamp(p.cav + (p.cavActive ? dt / (10 * p.slowdown) : -dt / 10), 0, 1);
    if (p.wearSince !== null) {
      const e = (plant.t - p.wearSince) / 1000 / p.slowdown;
      p.wearV = 6.5 * Math.min(1, e / 90);
      p.wearT = clamp((e - 90) / 60, 0, 1);
    } else {
      // Bearing replaced: vibration and the extra heat decay within seconds.
      p.wearV *= 1 - lagK(dt, 8);
      p.wearT *= 1 - lagK(dt, 8);
    }
    const run = p.on && p.s > 0.01;
    // Bearing temperature follows speed (friction), motor temperature follows current (I²R), both slowly.
    p.bearingBase += ((run ? 25 + 22 * p.s : AMBIENT) - p.bearingBase) * lagK(dt, 240);
    p.motorT += ((run ? 25 + (30 * p.currentBase) / 12 : AMBIENT) - p.motorT) * lagK(dt, 400);
  }
}

function twinOrThrow(plant: SimPlant, id: string): TwinRec {
  const rec = plant.twins.get(id);
  if (!rec) throw new SimError("unknown-twin", `No twin "${id}" in plant "${plant.model.id}".`);
  return rec;
}

function resolveTarget(plant: SimPlant, name: FaultName, target: string): string {
  const need = (rec: TwinRec, kind: Kind): void => {
    if (rec.kind !== kind) {
      throw new SimError(
        "wrong-type",
        `Fault "${name}" applies to a ${kind}, but ${rec.twin.id} is a ${typeName(rec.twin.type)}.`,
      );
    }
  };
  switch (name) {
    case "cavitation":
    case "bearing-wear":
      need(twinOrThrow(plant, target), "Pump");
      return target;
    case "stuck-valve":
      need(twinOrThrow(plant, target), "Valve");
      return target;
    case "line-jam": {
      const rec = twinOrThrow(plant, target);
      if (rec.kind === "Filler") {
        const first = plant.fillers.get(target)?.chain[0];
        if (first?.kind !== "Conveyor") {
          throw new SimError("wrong-type", `Filler ${target} has no discharge conveyor to jam.`);
        }
        return first.id;
      }
      if (rec.kind !== "Conveyor") {
        throw new SimError(
          "wrong-type",
          `Fault "line-jam" applies to a Conveyor or a Filler, but ${target} is a ${typeName(rec.twin.type)}.`,
        );
      }
      return target;
    }
    case "flatline": {
      const slash = target.lastIndexOf("/");
      const twinId = slash >= 0 ? target.slice(0, slash) : target;
      const rec = twinOrThrow(plant, twinId);
      const point =
        slash >= 0
          ? target.slice(slash + 1)
          : (rec.label.find((l) => rec.points.has(l)) ?? rec.points.keys().next().value);
      if (point === undefined || !rec.points.has(point)) {
        throw new SimError("unknown-point", `Twin ${twinId} has no telemetry point "${point ?? ""}".`);
      }
      return `${twinId}/${point}`;
    }
  }
}

function applyFault(plant: SimPlant, name: FaultName, target: string, on: boolean): void {
  switch (name) {
    case "cavitation":
      plant.pumps.get(target)!.cavActive = on;
      break;
    case "bearing-wear":
      plant.pumps.get(target)!.wearSince = on ? plant.t : null;
      break;
    case "stuck-valve": {
      const v = plant.valves.get(target)!;
      v.stuck = on
        ? { pos: v.pos, cmd: clamp(Math.round(v.pos >= 50 ? v.pos - 30 : v.pos + 30), 0, 100), since: plant.t }
        : null;
      break;
    }
    case "line-jam":
      (plant.line.get(target) as ConvS).jam = on;
      break;
    case "flatline": {
      const p = plant.points.find((x) => x.key === target)!;
      p.frozen = on ? p.value : undefined;
      break;
    }
  }
}
