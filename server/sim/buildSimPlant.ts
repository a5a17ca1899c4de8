/**
 * Builds the simulator's working state from a plant model: a record per twin and telemetry point, a process
 * unit per twin of a known type, and the plant's topology read from its `feeds` / `heats` / `cools`
 * relationships (each pump's suction path and flow tree, each filler's bottle line, each exchanger's medium).
 */
import type { PlantModel } from "../../shared/plant.ts";
import {
  AMBIENT,
  BOWL_L,
  BOWL_SP,
  CONV_CAP,
  CONV_TRANSIT_S,
  COLD_TANK,
  FILL_ML,
  FILLER_TARGET_BPM,
  HOT_WATER,
  PASTEURISE_SP,
  clamp,
} from "./plantConstants.ts";
import { createUnits } from "./createUnits.ts";
import { hash32, mulberry32 } from "./seededRandom.ts";
import {
  CONDUIT,
  KINDS,
  ins,
  kindOf,
  outs,
  typeName,
  type FillerS,
  type FlowNode,
  type Kind,
  type PointRec,
  type PumpRole,
  type PumpS,
  type SimPlant,
  type TankS,
  type TwinRec,
  type ValveS,
} from "./simModel.ts";
import { restingValue } from "./telemetry.ts";

/** A fresh plant at its start time, every unit in its initial state (not yet settled into steady running). */
export function buildSimPlant(model: PlantModel, seed: number, startTime: number): SimPlant {
  const plant: SimPlant = {
    model,
    rand: mulberry32(seed),
    t: startTime,
    t0: startTime,
    twins: new Map(),
    points: [],
    out: new Map(),
    inn: new Map(),
    tanks: new Map(),
    valves: new Map(),
    pumps: new Map(),
    hxs: new Map(),
    pipes: new Map(),
    fillers: new Map(),
    line: new Map(),
    comps: new Map(),
    chillers: new Map(),
    faults: [],
    header: 6.8,
  };
  const types = new Map(model.types.map((t) => [t.id, t]));
  for (const tw of model.twins) {
    const type = types.get(tw.type);
    const name = typeName(tw.type);
    const kind = (KINDS.has(name) ? name : "Other") as Kind;
    const rec: TwinRec = { twin: tw, kind, points: new Map(), label: type?.label ?? [] };
    for (const def of type?.points ?? []) {
      if (def.kind !== "telemetry") continue;
      const key = `${tw.id}/${def.name}`;
      const periodMs = Math.max(1, Math.round(def.period * 1000));
      const p: PointRec = {
        key,
        twin: tw.id,
        point: def.name,
        def,
        periodMs,
        nextDue: plant.t + (hash32(key) % periodMs),
        value: restingValue(def),
        lastSent: undefined,
        onChange: def.states !== undefined,
        frozen: undefined,
      };
      rec.points.set(def.name, p);
      plant.points.push(p);
    }
    plant.twins.set(tw.id, rec);
  }
  for (const r of model.relationships) {
    if (!plant.twins.has(r.source) || !plant.twins.has(r.target)) continue;
    push(plant.out, r.name, r.source, r.target);
    push(plant.inn, r.name, r.target, r.source);
  }
  buildUnits(plant);
  return plant;
}

/** Each twin of a known type becomes a process unit (createUnits.ts), wired to its neighbours. */
function buildUnits(plant: SimPlant): void {
  const r = plant.rand;
  createUnits(plant);

  // Heat exchanger media: a valve that `heats` it (hot water), a chiller that `cools` it.
  for (const [id, hx] of plant.hxs) {
    const heatedBy = ins(plant, "heats", id).filter((v) => plant.valves.has(v));
    const cooledBy = ins(plant, "cools", id).flatMap((c) => {
      const ch = plant.chillers.get(c);
      return ch ? [ch] : [];
    });
    if (heatedBy.length > 0) {
      hx.mode = "heat";
      hx.pIn = 14;
      hx.pOut = PASTEURISE_SP;
      hx.mIn = HOT_WATER;
      hx.mOut = 30;
    } else if (cooledBy.length > 0) {
      hx.mode = "cool";
      hx.chillers = cooledBy;
      hx.pIn = PASTEURISE_SP;
      hx.pOut = 4;
      hx.mIn = 1;
      hx.mOut = 10;
    }
    for (const v of heatedBy) {
      const vs = plant.valves.get(v)!;
      vs.role = "temp";
      vs.hx = hx;
    }
  }

  // Fillers and their bottle lines: infeed conveyors feed the filler; the filler feeds a chain to the palletizer.
  for (const [id, rec] of plant.twins) {
    if (rec.kind !== "Filler") continue;
    const f: FillerS = {
      id,
      speed: FILLER_TARGET_BPM,
      out: FILLER_TARGET_BPM / 60,
      count: 0,
      rejects: 0,
      fill: FILL_ML,
      bowl: (BOWL_L * BOWL_SP) / 100,
      supplyFlow: 0,
      supplyHeat: 0,
      productT: 4,
      eff: 90,
      blocked: false,
      starved: false,
      state: 1,
      infeed: [],
      chain: [],
      phase: r() * Math.PI * 2,
    };
    for (const src of ins(plant, "feeds", id)) {
      const el = plant.line.get(src);
      if (el?.kind === "Conveyor" && el.role === "orphan") {
        el.role = "infeed";
        el.n = 0.55 * CONV_CAP;
        f.infeed.push(el);
      }
    }
    const seen = new Set<string>([id]);
    let cur = id;
    for (;;) {
      const next = outs(plant, "feeds", cur).find((n) => plant.line.has(n) && !seen.has(n));
      if (next === undefined) break;
      const el = plant.line.get(next)!;
      if (el.kind === "Conveyor") {
        if (el.role !== "orphan") break;
        el.role = "line";
        el.n = (FILLER_TARGET_BPM / 60) * CONV_TRANSIT_S;
      } else {
        if (el.inLine) break;
        el.inLine = true;
        if (el.kind === "Palletizer") el.ema = FILLER_TARGET_BPM / 60;
        else el.speed = FILLER_TARGET_BPM;
      }
      f.chain.push(el);
      seen.add(next);
      cur = next;
    }
    plant.fillers.set(id, f);
  }

  // Pumps: suction path back to a source tank, flow tree downstream, role.
  for (const [id] of plant.twins) {
    if (kindOf(plant, id) !== "Pump") continue;
    const up = walkUp(plant, id, new Set([id]));
    const tree = buildTree(plant, id, new Set([id]));
    const dests: TankS[] = [];
    const fillers: FillerS[] = [];
    const src = up?.tank ? (plant.tanks.get(up.tank) ?? null) : null;
    const visit = (n: FlowNode, cooled: boolean): void => {
      const hx = plant.hxs.get(n.id);
      const c = cooled || hx?.mode === "cool";
      if (n.kind === "Tank") {
        const tk = plant.tanks.get(n.id)!;
        if (c) tk.cold = true;
        if (tk !== src && !dests.includes(tk)) dests.push(tk);
      }
      if (n.kind === "Filler") {
        const f = plant.fillers.get(n.id);
        if (f && !fillers.includes(f)) fillers.push(f);
      }
      for (const ch of n.children) visit(ch, c);
    };
    visit(tree, false);
    const props = plant.twins.get(id)!.twin.properties;
    const role: PumpRole = fillers.length > 0 ? "feed" : dests.length > 0 ? "transfer" : "loop";
    // Sizing when the instance gives none: a filler feed pump is sized ~30 % above the filler's rated draw;
    // a loop pump with no source tank is a utility circulation pump; a transfer pump scales with its source tank.
    const nominal =
      typeof props.nominalFlow === "number" && props.nominalFlow > 0
        ? props.nominalFlow
        : role === "feed"
          ? 4.5
          : !src
            ? 20
            : clamp((1.5 * src.cap) / 1000, 1, 15);
    const pump: PumpS = {
      id,
      nominal,
      src,
      suction: (up?.valves ?? []).flatMap((v) => (plant.valves.has(v) ? [plant.valves.get(v)!] : [])),
      tree,
      role,
      dests,
      fillers,
      on: false,
      speedCmd: 0,
      s: 0,
      flow: 0,
      fluidTemp: src ? src.temp : AMBIENT,
      suctionP: 0.5,
      dischargeP: 0.5,
      currentBase: 0,
      bearingBase: 35,
      motorT: 40,
      cavActive: false,
      cav: 0,
      slowdown: 1,
      wearSince: null,
      wearV: 0,
      wearT: 0,
    };
    plant.pumps.set(id, pump);
    if (!src && treeHasHeats(plant, tree)) pump.fluidTemp = HOT_WATER;
    for (const v of pump.suction) assignValve(plant, v, pump, null);
    assignTreeValves(plant, pump, tree, false);
    setQRef(plant, tree, nominal);
  }

  // Raw-material tanks: no pump brings them liquid from elsewhere. Water is makeup-fed (a level
  // controller on the mains), other raw materials come by delivery when low.
  const fed = new Set<TankS>();
  for (const p of plant.pumps.values()) for (const d of p.dests) fed.add(d);
  for (const tk of plant.tanks.values()) {
    if (tk.cold) {
      tk.ambient = COLD_TANK; // jacketed bright beer/beverage tank
      tk.temp = 3.5;
    }
    if (fed.has(tk)) continue;
    const tw = plant.twins.get(tk.id)!.twin;
    const sup = tw.properties.supply;
    tk.supply = sup === "makeup" || (sup !== "delivery" && /water/i.test(tw.name)) ? "makeup" : "delivery";
    tk.supplyTemp = tk.supply === "makeup" ? 12 : AMBIENT;
    tk.temp = tk.supplyTemp;
  }
  for (const tk of plant.tanks.values()) if (!tk.cold && !tk.supply) tk.temp = 14;
  for (const p of plant.pumps.values()) if (p.src) p.fluidTemp = p.src.temp;
}

function walkUp(plant: SimPlant, id: string, seen: Set<string>): { tank: string | null; valves: string[] } | null {
  for (const p of ins(plant, "feeds", id)) {
    if (seen.has(p)) continue;
    seen.add(p);
    const k = kindOf(plant, p);
    if (k === "Tank") return { tank: p, valves: [] };
    if (CONDUIT.has(k)) {
      const r = walkUp(plant, p, seen);
      if (r) {
        if (k === "Valve") r.valves.push(p);
        return r;
      }
    }
  }
  return null;
}

function buildTree(plant: SimPlant, id: string, seen: Set<string>): FlowNode {
  const kind = kindOf(plant, id);
  const node: FlowNode = { id, kind, children: [], heats: [] };
  if (kind === "Valve")
    node.heats = outs(plant, "heats", id).flatMap((h) => (plant.hxs.has(h) ? [plant.hxs.get(h)!] : []));
  if (kind === "Pump" || CONDUIT.has(kind)) {
    for (const next of outs(plant, "feeds", id)) {
      if (seen.has(next)) continue;
      node.children.push(buildTree(plant, next, new Set([...seen, next])));
    }
  }
  return node;
}

function treeHasHeats(plant: SimPlant, n: FlowNode): boolean {
  return n.heats.length > 0 || n.children.some((c) => treeHasHeats(plant, c));
}

function assignValve(plant: SimPlant, v: ValveS, pump: PumpS, routeTank: TankS | null): void {
  if (v.role !== "fixed") return; // first owner wins; heats valves are already "temp"
  v.pump = pump;
  if (/^FCV/i.test(v.id)) {
    v.role = "dose"; // flow control valve: trims a dosing ratio
    v.integ = 30;
    v.ctrl = v.cmd = v.pos = 30;
  } else if (routeTank) {
    v.role = "route";
    v.routeTank = routeTank;
  } else v.role = "onoff";
}

function assignTreeValves(plant: SimPlant, pump: PumpS, n: FlowNode, afterSplit: boolean): void {
  const v = plant.valves.get(n.id);
  if (v && n.kind === "Valve") {
    const tanks = leafTanks(plant, n);
    assignValve(plant, v, pump, afterSplit && tanks.length === 1 ? tanks[0]! : null);
  }
  const split = n.children.length > 1;
  for (const c of n.children) assignTreeValves(plant, pump, c, afterSplit || split);
}

function leafTanks(plant: SimPlant, n: FlowNode): TankS[] {
  if (n.kind === "Tank") return [plant.tanks.get(n.id)!];
  return n.children.flatMap((c) => leafTanks(plant, c));
}

function setQRef(plant: SimPlant, n: FlowNode, q: number): void {
  const hx = plant.hxs.get(n.id);
  if (hx) hx.qRef = q;
  const pipe = plant.pipes.get(n.id);
  if (pipe) pipe.qRef = q;
  for (const c of n.children) setQRef(plant, c, q);
}

function push(m: Map<string, Map<string, string[]>>, rel: string, from: string, to: string): void {
  let byRel = m.get(rel);
  if (!byRel) {
    byRel = new Map<string, string[]>();
    m.set(rel, byRel);
  }
  const list = byRel.get(from);
  if (list) list.push(to);
  else byRel.set(from, [to]);
}
