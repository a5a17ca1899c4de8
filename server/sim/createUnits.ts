/** Each process unit's initial state, by kind of twin. */
import { AMBIENT, CONV_MAX_BPS, MACHINE_MAX_BPS, PALLETIZER_MAX_BPS } from "./plantConstants.ts";
import type { SimPlant } from "./simModel.ts";

/**
 * The unit each twin of a known type becomes, in its initial state (levels, valve cycle counts, conveyor belt
 * speeds and stock drawn from the plant's seeded randomness, in the model's twin order).
 */
export function createUnits(plant: SimPlant): void {
  const r = plant.rand;
  for (const [id, rec] of plant.twins) {
    const props = rec.twin.properties;
    switch (rec.kind) {
      case "Tank": {
        const cap = typeof props.capacity === "number" && props.capacity > 0 ? props.capacity : 5000;
        const level = 55 + 20 * r();
        plant.tanks.set(id, {
          id,
          cap,
          vol: (cap * level) / 100,
          temp: 15,
          ambient: AMBIENT,
          supply: null,
          supplyTemp: AMBIENT,
          supplyFlow: 0,
          delivering: false,
          demand: level < 65,
          drawOk: true,
          pumpIn: 0,
          pumpInHeat: 0,
          outflow: 0,
          cold: false,
        });
        break;
      }
      case "Valve":
        plant.valves.set(id, {
          id,
          pos: 100,
          ctrl: 100,
          cmd: 100,
          cycles: 500 + Math.floor(r() * 4000),
          role: "fixed",
          pump: null,
          routeTank: null,
          hx: null,
          integ: 50,
          nextTrim: plant.t,
          stuck: null,
        });
        break;
      case "HeatExchanger":
        plant.hxs.set(id, {
          id,
          mode: "none",
          pFlow: 0,
          pInHeat: 0,
          pIn: 15,
          pOut: 15,
          mFlow: 0,
          mIn: AMBIENT,
          mOut: AMBIENT,
          drop: 0,
          duty: 0,
          qRef: 10,
          chillers: [],
        });
        break;
      case "Pipe":
        plant.pipes.set(id, { id, flow: 0, heat: 0, p: 0.2, temp: 15, qRef: 10 });
        break;
      case "Conveyor":
        plant.line.set(id, {
          kind: "Conveyor",
          id,
          n: 0,
          jam: false,
          out: 0,
          in: 0,
          accept: CONV_MAX_BPS,
          role: "orphan",
          state: 0,
          belt: 0.45 + 0.1 * r(),
          motorT: 30,
        });
        break;
      case "Capper":
      case "Labeler":
        plant.line.set(id, {
          kind: rec.kind,
          id,
          in: 0,
          out: 0,
          accept: MACHINE_MAX_BPS,
          speed: 0,
          count: 0,
          rejects: 0,
          torque: 2.1,
          stock: 40 + 55 * r(),
          refilling: false,
          state: 0,
          inLine: false,
        });
        break;
      case "Palletizer":
        plant.line.set(id, {
          kind: "Palletizer",
          id,
          in: 0,
          accept: PALLETIZER_MAX_BPS,
          ema: 0,
          bottles: 0,
          layer: 0,
          pallets: 0,
          cycleTime: 16,
          layerStart: plant.t,
          state: 0,
          inLine: false,
        });
        break;
      case "Compressor":
        plant.comps.set(id, { id, p: 6.6 + 0.8 * r(), running: r() < 0.5, demand: 0.008, dischargeT: 70 });
        break;
      case "Chiller":
        plant.chillers.set(id, { id, supply: 1.0, flow: 60, duty: 0 });
        break;
      default:
        break;
    }
  }
}
