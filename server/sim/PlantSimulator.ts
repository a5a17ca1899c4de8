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
import type { PlantModel, PointDef, TwinDef } from "../../shared/plant.ts";

export interface SimSample {
  twin: string;
  point: string;
  value: number;
  ts: number;
}

export const FAULTS = ["cavitation", "bearing-wear", "stuck-valve", "flatline", "line-jam"] as const;
export type FaultName = (typeof FAULTS)[number];

export type SimErrorCode = "unknown-fault" | "unknown-twin" | "unknown-point" | "wrong-type";

export class SimError extends Error {
  readonly code: SimErrorCode;
  constructor(code: SimErrorCode, message: string) {
    super(message);
    this.name = "SimError";
    this.code = code;
  }
}

export interface SimOptions {
  seed: number;
  /** Simulated start time, ms since the epoch. */
  startTime: number;
  /** Simulated milliseconds per step (default 250). */
  stepMs?: number;
}

export interface ActiveFault {
  name: FaultName;
  target: string;
  since: number;
}

export function isFaultName(s: string): s is FaultName {
  return (FAULTS as readonly string[]).includes(s);
}

/** Small, fast, seedable PRNG (mulberry32): uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a: stable per-point publish phases that do not depend on the seed. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** `dtmi:gemba:demo:Pump;1` -> `Pump`. */
export function typeName(dtmi: string): string {
  const m = /:([^:;]+);[0-9.]+$/.exec(dtmi);
  return m?.[1] ?? dtmi;
}

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
/** First-order lag factor for a step of dt seconds and time constant tau seconds. */
const lagK = (dt: number, tau: number): number => 1 - Math.exp(-dt / tau);

// ---- Plant constants (one place, so the numbers that keep the demo green are visible) ----
const AMBIENT = 20; // °C, plant hall
const HOT_WATER = 85; // °C, pasteuriser heating medium
const PASTEURISE_SP = 78; // °C, HX heating setpoint (75–80 °C product)
const COLD_TANK = 3; // °C, jacketed tanks downstream of a cooler hold this
const RATED_RPM = 2900; // 2-pole motor at 50 Hz
const FILLER_RATED_BPM = 400;
const FILLER_TARGET_BPM = 360;
const FILL_ML = 500.3;
const BOWL_L = 200; // filler product bowl
const BOWL_SP = 60; // % held by the feed pump's speed
const CONV_CAP = 150; // bottles a conveyor holds when fully accumulated
const CONV_TRANSIT_S = 5; // seconds a bottle takes to cross a free-flowing conveyor
const CONV_MAX_BPS = 12; // bottles/s a belt can discharge
const MACHINE_MAX_BPS = 10; // capper/labeler mechanical maximum (600 bpm): they follow the line with headroom to catch up
const PALLETIZER_MAX_BPS = 12;
const BOTTLES_PER_LAYER = 96;
const LAYERS_PER_PALLET = 5;

type Kind =
  | "Tank"
  | "Valve"
  | "Pump"
  | "Pipe"
  | "HeatExchanger"
  | "Filler"
  | "Conveyor"
  | "Capper"
  | "Labeler"
  | "Palletizer"
  | "Compressor"
  | "Chiller"
  | "Other";
const KINDS = new Set<string>([
  "Tank",
  "Valve",
  "Pump",
  "Pipe",
  "HeatExchanger",
  "Filler",
  "Conveyor",
  "Capper",
  "Labeler",
  "Palletizer",
  "Compressor",
  "Chiller",
]);
/** Elements that pass liquid through: a pump's flow is carried across them. */
const CONDUIT = new Set<Kind>(["Valve", "Pipe", "HeatExchanger"]);

interface PointRec {
  key: string;
  twin: string;
  point: string;
  def: PointDef;
  periodMs: number;
  nextDue: number;
  value: number;
  lastSent: number | undefined;
  /** Enumerated points (running, state) are also sent on change: rules see a stop at once. */
  onChange: boolean;
  frozen: number | undefined;
}

interface TwinRec {
  twin: TwinDef;
  kind: Kind;
  points: Map<string, PointRec>;
  label: string[];
}

interface TankS {
  id: string;
  cap: number;
  vol: number;
  temp: number;
  ambient: number;
  supply: "makeup" | "delivery" | null;
  supplyTemp: number;
  supplyFlow: number;
  delivering: boolean;
  /** Fill demand with hysteresis: set below 50 %, cleared above 80 %. */
  demand: boolean;
  /** Pumps may draw: cleared below 10 %, set again above 15 %. */
  drawOk: boolean;
  pumpIn: number;
  pumpInHeat: number;
  outflow: number;
  cold: boolean;
}

type ValveRole = "onoff" | "route" | "dose" | "temp" | "fixed";
interface ValveS {
  id: string;
  pos: number;
  ctrl: number;
  cmd: number;
  cycles: number;
  role: ValveRole;
  pump: PumpS | null;
  routeTank: TankS | null;
  hx: HxS | null;
  integ: number;
  nextTrim: number;
  stuck: { pos: number; cmd: number; since: number } | null;
}

interface FlowNode {
  id: string;
  kind: Kind;
  children: FlowNode[];
  heats: HxS[];
}

type PumpRole = "transfer" | "feed" | "loop";
interface PumpS {
  id: string;
  nominal: number;
  src: TankS | null;
  suction: ValveS[];
  tree: FlowNode;
  role: PumpRole;
  dests: TankS[];
  fillers: FillerS[];
  on: boolean;
  speedCmd: number;
  s: number;
  flow: number;
  fluidTemp: number;
  suctionP: number;
  dischargeP: number;
  currentBase: number;
  bearingBase: number;
  motorT: number;
  cavActive: boolean;
  cav: number;
  wearSince: number | null;
  wearV: number;
  /** 0..1: how far a failing bearing's temperature has gone toward ~98 °C. */
  wearT: number;
}

interface HxS {
  id: string;
  mode: "heat" | "cool" | "none";
  pFlow: number;
  pInHeat: number;
  pIn: number;
  pOut: number;
  mFlow: number;
  mIn: number;
  mOut: number;
  drop: number;
  duty: number;
  qRef: number;
  chillers: ChillerS[];
}

interface PipeS {
  id: string;
  flow: number;
  heat: number;
  p: number;
  temp: number;
  qRef: number;
}

interface ConvS {
  kind: "Conveyor";
  id: string;
  n: number;
  jam: boolean;
  out: number;
  in: number;
  accept: number;
  role: "infeed" | "line" | "orphan";
  state: number;
  belt: number;
  motorT: number;
}
interface MachS {
  kind: "Capper" | "Labeler";
  id: string;
  in: number;
  out: number;
  accept: number;
  speed: number;
  count: number;
  rejects: number;
  torque: number;
  stock: number;
  refilling: boolean;
  state: number;
  inLine: boolean;
}
interface PalS {
  kind: "Palletizer";
  id: string;
  in: number;
  accept: number;
  ema: number;
  bottles: number;
  layer: number;
  pallets: number;
  cycleTime: number;
  layerStart: number;
  state: number;
  inLine: boolean;
}
type LineEl = ConvS | MachS | PalS;

interface FillerS {
  id: string;
  speed: number;
  out: number;
  count: number;
  rejects: number;
  fill: number;
  bowl: number;
  supplyFlow: number;
  supplyHeat: number;
  productT: number;
  eff: number;
  blocked: boolean;
  starved: boolean;
  state: number;
  infeed: ConvS[];
  chain: LineEl[];
  phase: number;
}

interface CompS {
  id: string;
  p: number;
  running: boolean;
  demand: number;
  dischargeT: number;
}
interface ChillerS {
  id: string;
  supply: number;
  flow: number;
  duty: number;
}

interface FaultRec {
  name: FaultName;
  target: string;
  /** What the caller named (a Filler for line-jam, a twin for flatline), so clearing by it works too. */
  requested: string;
  since: number;
}

export class PlantSimulator {
  readonly stepMs: number;
  private t: number;
  private readonly t0: number;
  private readonly rand: () => number;
  private readonly model: PlantModel;
  private readonly twins = new Map<string, TwinRec>();
  private readonly points: PointRec[] = [];
  private readonly out = new Map<string, Map<string, string[]>>();
  private readonly inn = new Map<string, Map<string, string[]>>();
  private readonly tanks = new Map<string, TankS>();
  private readonly valves = new Map<string, ValveS>();
  private readonly pumps = new Map<string, PumpS>();
  private readonly hxs = new Map<string, HxS>();
  private readonly pipes = new Map<string, PipeS>();
  private readonly fillers = new Map<string, FillerS>();
  private readonly line = new Map<string, LineEl>();
  private readonly comps = new Map<string, CompS>();
  private readonly chillers = new Map<string, ChillerS>();
  private faults: FaultRec[] = [];
  private header = 6.8;

  constructor(model: PlantModel, opts: SimOptions) {
    this.model = model;
    this.stepMs = Math.max(1, Math.round(opts.stepMs ?? 250));
    this.t = opts.startTime;
    this.t0 = opts.startTime;
    this.rand = mulberry32(opts.seed);
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
          nextDue: this.t + (hash32(key) % periodMs),
          value: restingValue(def),
          lastSent: undefined,
          onChange: def.states !== undefined,
          frozen: undefined,
        };
        rec.points.set(def.name, p);
        this.points.push(p);
      }
      this.twins.set(tw.id, rec);
    }
    for (const r of model.relationships) {
      if (!this.twins.has(r.source) || !this.twins.has(r.target)) continue;
      push(this.out, r.name, r.source, r.target);
      push(this.inn, r.name, r.target, r.source);
    }
    this.build();
    // Start in steady running: controllers decide, valves and pumps already where they were told to be.
    this.stepControl(0);
    for (const v of this.valves.values()) v.pos = v.cmd;
    for (const p of this.pumps.values()) p.s = p.on ? p.speedCmd : 0;
    this.stepUtilities(0);
    this.stepHydraulics(0);
    for (const p of this.pumps.values()) {
      p.bearingBase = p.on ? 25 + 22 * p.s : AMBIENT + 8;
      p.motorT = p.on ? 25 + (30 * p.currentBase) / 12 : AMBIENT + 10;
    }
    this.stepHeat(0);
    this.emit();
  }

  get now(): number {
    return this.t;
  }

  // ------------------------------------------------------------------ topology

  private kindOf(id: string): Kind {
    return this.twins.get(id)?.kind ?? "Other";
  }
  private outs(rel: string, id: string): string[] {
    return this.out.get(rel)?.get(id) ?? [];
  }
  private ins(rel: string, id: string): string[] {
    return this.inn.get(rel)?.get(id) ?? [];
  }

  private build(): void {
    const r = this.rand;
    for (const [id, rec] of this.twins) {
      const props = rec.twin.properties;
      switch (rec.kind) {
        case "Tank": {
          const cap = typeof props.capacity === "number" && props.capacity > 0 ? props.capacity : 5000;
          const level = 55 + 20 * r();
          this.tanks.set(id, {
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
          this.valves.set(id, {
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
            nextTrim: this.t,
            stuck: null,
          });
          break;
        case "HeatExchanger":
          this.hxs.set(id, {
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
          this.pipes.set(id, { id, flow: 0, heat: 0, p: 0.2, temp: 15, qRef: 10 });
          break;
        case "Conveyor":
          this.line.set(id, {
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
          this.line.set(id, {
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
          this.line.set(id, {
            kind: "Palletizer",
            id,
            in: 0,
            accept: PALLETIZER_MAX_BPS,
            ema: 0,
            bottles: 0,
            layer: 0,
            pallets: 0,
            cycleTime: 16,
            layerStart: this.t,
            state: 0,
            inLine: false,
          });
          break;
        case "Compressor":
          this.comps.set(id, { id, p: 6.6 + 0.8 * r(), running: r() < 0.5, demand: 0.008, dischargeT: 70 });
          break;
        case "Chiller":
          this.chillers.set(id, { id, supply: 1.0, flow: 60, duty: 0 });
          break;
        default:
          break;
      }
    }

    // Heat exchanger media: a valve that `heats` it (hot water), a chiller that `cools` it.
    for (const [id, hx] of this.hxs) {
      const heatedBy = this.ins("heats", id).filter((v) => this.valves.has(v));
      const cooledBy = this.ins("cools", id).flatMap((c) => {
        const ch = this.chillers.get(c);
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
        const vs = this.valves.get(v)!;
        vs.role = "temp";
        vs.hx = hx;
      }
    }

    // Fillers and their bottle lines: infeed conveyors feed the filler; the filler feeds a chain to the palletizer.
    for (const [id, rec] of this.twins) {
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
      for (const src of this.ins("feeds", id)) {
        const el = this.line.get(src);
        if (el?.kind === "Conveyor" && el.role === "orphan") {
          el.role = "infeed";
          el.n = 0.55 * CONV_CAP;
          f.infeed.push(el);
        }
      }
      const seen = new Set<string>([id]);
      let cur = id;
      for (;;) {
        const next = this.outs("feeds", cur).find((n) => this.line.has(n) && !seen.has(n));
        if (next === undefined) break;
        const el = this.line.get(next)!;
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
      this.fillers.set(id, f);
    }

    // Pumps: suction path back to a source tank, flow tree downstream, role.
    for (const [id] of this.twins) {
      if (this.kindOf(id) !== "Pump") continue;
      const up = this.walkUp(id, new Set([id]));
      const tree = this.buildTree(id, new Set([id]));
      const dests: TankS[] = [];
      const fillers: FillerS[] = [];
      const src = up?.tank ? (this.tanks.get(up.tank) ?? null) : null;
      const visit = (n: FlowNode, cooled: boolean): void => {
        const hx = this.hxs.get(n.id);
        const c = cooled || hx?.mode === "cool";
        if (n.kind === "Tank") {
          const tk = this.tanks.get(n.id)!;
          if (c) tk.cold = true;
          if (tk !== src && !dests.includes(tk)) dests.push(tk);
        }
        if (n.kind === "Filler") {
          const f = this.fillers.get(n.id);
          if (f && !fillers.includes(f)) fillers.push(f);
        }
        for (const ch of n.children) visit(ch, c);
      };
      visit(tree, false);
      const props = this.twins.get(id)!.twin.properties;
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
        suction: (up?.valves ?? []).flatMap((v) => (this.valves.has(v) ? [this.valves.get(v)!] : [])),
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
        wearSince: null,
        wearV: 0,
        wearT: 0,
      };
      this.pumps.set(id, pump);
      if (!src && this.treeHasHeats(tree)) pump.fluidTemp = HOT_WATER;
      for (const v of pump.suction) this.assignValve(v, pump, null);
      this.assignTreeValves(pump, tree, false);
      this.setQRef(tree, nominal);
    }

    // Raw-material tanks: no pump brings them liquid from elsewhere. Water is makeup-fed (a level
    // controller on the mains), other raw materials come by delivery when low.
    const fed = new Set<TankS>();
    for (const p of this.pumps.values()) for (const d of p.dests) fed.add(d);
    for (const tk of this.tanks.values()) {
      if (tk.cold) {
        tk.ambient = COLD_TANK; // jacketed bright beer/beverage tank
        tk.temp = 3.5;
      }
      if (fed.has(tk)) continue;
      const tw = this.twins.get(tk.id)!.twin;
      const sup = tw.properties.supply;
      tk.supply = sup === "makeup" || (sup !== "delivery" && /water/i.test(tw.name)) ? "makeup" : "delivery";
      tk.supplyTemp = tk.supply === "makeup" ? 12 : AMBIENT;
      tk.temp = tk.supplyTemp;
    }
    for (const tk of this.tanks.values()) if (!tk.cold && !tk.supply) tk.temp = 14;
    for (const p of this.pumps.values()) if (p.src) p.fluidTemp = p.src.temp;
  }

  private walkUp(id: string, seen: Set<string>): { tank: string | null; valves: string[] } | null {
    for (const p of this.ins("feeds", id)) {
      if (seen.has(p)) continue;
      seen.add(p);
      const k = this.kindOf(p);
      if (k === "Tank") return { tank: p, valves: [] };
      if (CONDUIT.has(k)) {
        const r = this.walkUp(p, seen);
        if (r) {
          if (k === "Valve") r.valves.push(p);
          return r;
        }
      }
    }
    return null;
  }

  private buildTree(id: string, seen: Set<string>): FlowNode {
    const kind = this.kindOf(id);
    const node: FlowNode = { id, kind, children: [], heats: [] };
    if (kind === "Valve")
      node.heats = this.outs("heats", id).flatMap((h) => (this.hxs.has(h) ? [this.hxs.get(h)!] : []));
    if (kind === "Pump" || CONDUIT.has(kind)) {
      for (const next of this.outs("feeds", id)) {
        if (seen.has(next)) continue;
        node.children.push(this.buildTree(next, new Set([...seen, next])));
      }
    }
    return node;
  }

  private treeHasHeats(n: FlowNode): boolean {
    return n.heats.length > 0 || n.children.some((c) => this.treeHasHeats(c));
  }

  private assignValve(v: ValveS, pump: PumpS, routeTank: TankS | null): void {
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

  private assignTreeValves(pump: PumpS, n: FlowNode, afterSplit: boolean): void {
    const v = this.valves.get(n.id);
    if (v && n.kind === "Valve") {
      const tanks = this.leafTanks(n);
      this.assignValve(v, pump, afterSplit && tanks.length === 1 ? tanks[0]! : null);
    }
    const split = n.children.length > 1;
    for (const c of n.children) this.assignTreeValves(pump, c, afterSplit || split);
  }

  private leafTanks(n: FlowNode): TankS[] {
    if (n.kind === "Tank") return [this.tanks.get(n.id)!];
    return n.children.flatMap((c) => this.leafTanks(c));
  }

  private setQRef(n: FlowNode, q: number): void {
    const hx = this.hxs.get(n.id);
    if (hx) hx.qRef = q;
    const pipe = this.pipes.get(n.id);
    if (pipe) pipe.qRef = q;
    for (const c of n.children) this.setQRef(c, q);
  }

  // ------------------------------------------------------------------ stepping

  /** Advance one step; return the samples that fall due at the new simulated time. */
  step(): SimSample[] {
    this.t += this.stepMs;
    const dt = this.stepMs / 1000;
    this.stepUtilities(dt);
    this.stepControl(dt);
    this.stepValves(dt);
    this.stepHydraulics(dt);
    this.stepTanks(dt);
    this.stepHeat(dt);
    this.stepPackaging(dt);
    this.stepFaults(dt);
    this.emit();
    const samples: SimSample[] = [];
    for (const p of this.points) {
      const due = this.t >= p.nextDue;
      const changed = p.onChange && p.lastSent !== undefined && p.value !== p.lastSent;
      if (due || changed) {
        samples.push({ twin: p.twin, point: p.point, value: p.value, ts: this.t });
        p.lastSent = p.value;
      }
      if (due) p.nextDue += Math.ceil((this.t - p.nextDue + 1) / p.periodMs) * p.periodMs;
    }
    return samples;
  }

  /**
   * Move simulated time forward to `time` without simulating the gap (the plant "paused"),
   * re-phasing the publish schedule so nothing bursts. Used to follow wall time after a stall.
   */
  skipTo(time: number): void {
    if (time <= this.t) return;
    this.t += Math.floor((time - this.t) / this.stepMs) * this.stepMs;
    for (const p of this.points) {
      if (p.nextDue <= this.t) p.nextDue += Math.ceil((this.t - p.nextDue + 1) / p.periodMs) * p.periodMs;
    }
  }

  private level(tk: TankS): number {
    return (100 * tk.vol) / tk.cap;
  }

  /** Compressed-air header (bar) and chillers. */
  private stepUtilities(dt: number): void {
    for (const c of this.comps.values()) {
      // Start/stop control between load and unload pressures: the header saw-tooths 6.5 ↔ 7.5 bar.
      if (c.p < 6.5) c.running = true;
      else if (c.p > 7.5) c.running = false;
      // Air demand wanders (valves actuating, blow-off) so cycles are not identical.
      c.demand = clamp(c.demand + (0.008 - c.demand) * 0.02 + (this.rand() - 0.5) * 0.0006, 0.004, 0.012);
      c.p += ((c.running ? 0.02 : 0) - c.demand) * dt;
      // Discharge air heats with compression and cools when stopped.
      c.dischargeT += ((c.running ? 82 : 38) - c.dischargeT) * lagK(dt, 90);
    }
    let header = 0;
    for (const c of this.comps.values()) header = Math.max(header, c.p);
    this.header = this.comps.size > 0 ? header : 6.8;
    for (const ch of this.chillers.values()) {
      // Chilled glycol supply drifts up slightly with load (refrigeration capacity is finite).
      ch.duty = 0;
      for (const hx of this.hxs.values()) if (hx.chillers.includes(ch)) ch.duty += hx.duty / hx.chillers.length;
      ch.supply += (0.9 + 0.4 * Math.min(1, ch.duty / 3000) - ch.supply) * lagK(dt, 60);
    }
  }

  /** Level, run and valve controllers: what keeps the plant running for ever without draining or overflowing. */
  private stepControl(dt: number): void {
    for (const tk of this.tanks.values()) {
      const lvl = this.level(tk);
      // Transfer pumps fill a tank from 50 % to 80 % and then rest (hysteresis: no short-cycling).
      if (lvl < 50) tk.demand = true;
      else if (lvl > 80) tk.demand = false;
      // Pumps drawing from a tank stop below 10 % so they never run dry.
      if (lvl < 10) tk.drawOk = false;
      else if (lvl > 15) tk.drawOk = true;
      if (tk.supply === "makeup") {
        // Mains makeup valve: proportional level control around 65 %.
        tk.supplyFlow = clamp(((65 - lvl) * tk.cap) / 4000, 0, tk.cap / 400);
      } else if (tk.supply === "delivery") {
        // A tanker delivery starts when the tank is low and tops it up to 80 %.
        if (lvl < 35) tk.delivering = true;
        else if (lvl > 80) tk.delivering = false;
        tk.supplyFlow = tk.delivering ? tk.cap / 400 : 0;
      } else tk.supplyFlow = 0;
    }
    for (const p of this.pumps.values()) {
      const srcOk = !p.src || p.src.drawOk;
      if (p.role === "transfer") {
        p.on = srcOk && p.dests.some((d) => d.demand);
        p.speedCmd = 1;
      } else if (p.role === "feed") {
        // Filler feed: speed holds the filler bowl at 60 % (feed-forward on the filler's draw + P on the error).
        let draw = 0;
        let err = 0;
        for (const f of p.fillers) {
          draw += (f.out * f.fill) / 1000;
          err += BOWL_SP - (100 * f.bowl) / BOWL_L;
        }
        const sp = clamp(draw / p.nominal + 0.05 * (err / p.fillers.length), 0, 1);
        p.on = srcOk && (p.on ? sp > 0.02 : sp > 0.06);
        p.speedCmd = sp;
      } else {
        // Circulation loops (hot water, CIP return to its own tank) run continuously.
        p.on = srcOk;
        p.speedCmd = 1;
      }
    }
    for (const v of this.valves.values()) {
      switch (v.role) {
        case "route":
          // Routing valve after a split: open while its tank asks for product.
          v.ctrl = v.routeTank!.demand ? 100 : 0;
          break;
        case "onoff":
          // Line valves open with their pump (open on start, close on stop).
          v.ctrl = v.pump!.on ? 100 : 0;
          break;
        case "dose":
          // Dosing valve: the ratio controller re-trims every 30 s while its pump runs.
          if (v.pump!.on && this.t >= v.nextTrim) {
            v.ctrl = 25 + Math.round(10 * this.rand());
            v.nextTrim = this.t + 30_000;
          }
          break;
        case "temp": {
          // Integral temperature control of the heated exchanger's product outlet (clamped, 5 % minimum opening).
          const err = PASTEURISE_SP - v.hx!.pOut;
          v.integ = clamp(v.integ + clamp(0.3 * err * dt, -2, 2), 5, 100);
          v.ctrl = Math.round(v.integ);
          break;
        }
        case "fixed":
          v.ctrl = 100;
          break;
      }
      let cmd = v.ctrl;
      // Stuck valve: the positioner no longer moves it. The controller's partial-stroke check moves the command
      // 30 % away one second after the fault, so position and command visibly disagree.
      if (v.stuck && this.t - v.stuck.since >= 1000) cmd = v.stuck.cmd;
      if (cmd !== v.cmd) v.cycles++;
      v.cmd = cmd;
    }
  }

  private stepValves(dt: number): void {
    for (const v of this.valves.values()) {
      if (v.stuck) continue; // frozen where it stuck
      v.pos += (v.cmd - v.pos) * lagK(dt, 1.5); // actuator + positioner: first-order, ~5 s to 95 %
      if (Math.abs(v.cmd - v.pos) < 0.05) v.pos = v.cmd;
    }
  }

  /** Fraction of the nominal flow the downstream network lets through (valves multiply, branches add). */
  private openness(n: FlowNode): number {
    let self = 1;
    if (n.kind === "Valve") self = this.valves.get(n.id)!.pos / 100;
    if (n.kind === "Pump" || CONDUIT.has(n.kind)) {
      if (n.children.length === 0) return n.heats.length > 0 ? self : 0; // a dead end passes nothing
      let sum = 0;
      for (const c of n.children) sum += this.openness(c);
      return self * Math.min(1, sum);
    }
    return self;
  }

  /** Carry a pump's flow q (L/s) at temperature temp (°C) and pressure p (bar) down its tree. */
  private carry(n: FlowNode, q: number, temp: number, p: number): void {
    switch (n.kind) {
      case "Valve":
        for (const hx of n.heats) {
          hx.mFlow += q;
          hx.mIn = temp;
        }
        break;
      case "Pipe": {
        const pipe = this.pipes.get(n.id)!;
        pipe.flow += q;
        pipe.heat += q * temp;
        // Line losses grow with the square of velocity.
        pipe.p = Math.max(pipe.p, p - 0.1 * (q / pipe.qRef) ** 2);
        break;
      }
      case "HeatExchanger": {
        const hx = this.hxs.get(n.id)!;
        hx.pFlow += q;
        hx.pInHeat += q * temp;
        temp = hx.pOut;
        p -= hx.drop;
        break;
      }
      case "Tank": {
        const tk = this.tanks.get(n.id)!;
        tk.pumpIn += q;
        tk.pumpInHeat += q * temp;
        return;
      }
      case "Filler": {
        const f = this.fillers.get(n.id);
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
      const o = this.openness(c);
      total += o;
      return o;
    });
    n.children.forEach((c, i) => this.carry(c, total > 0 ? (q * opens[i]!) / total : 0, temp, p));
  }

  private stepHydraulics(dt: number): void {
    for (const pipe of this.pipes.values()) {
      pipe.flow = 0;
      pipe.heat = 0;
      pipe.p = 0.2; // static head when nothing pushes
    }
    for (const hx of this.hxs.values()) {
      hx.pFlow = 0;
      hx.pInHeat = 0;
      hx.mFlow = 0;
    }
    for (const tk of this.tanks.values()) {
      tk.pumpIn = 0;
      tk.pumpInHeat = 0;
      tk.outflow = 0;
    }
    for (const f of this.fillers.values()) {
      f.supplyFlow = 0;
      f.supplyHeat = 0;
    }
    for (const p of this.pumps.values()) {
      // Motor speed ramps (soft starter / VFD ramp ~2 s).
      p.s += ((p.on ? p.speedCmd : 0) - p.s) * lagK(dt, 2);
      if (p.s < 1e-4) p.s = 0;
      const run = p.on && p.s > 0.01;
      const lvl = p.src ? this.level(p.src) : 100;
      let valveF = 1;
      for (const v of p.suction) valveF *= v.pos / 100;
      // Flow = nominal × speed × suction valves × downstream openness × cavitation loss; nothing from an empty tank.
      const q = run && lvl >= 3 ? p.nominal * p.s * valveF * this.openness(p.tree) * (1 - 0.4 * p.cav) : 0;
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
      this.carry(p.tree, q, p.fluidTemp, discharge);
    }
  }

  private stepTanks(dt: number): void {
    for (const tk of this.tanks.values()) {
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

  private stepHeat(dt: number): void {
    for (const hx of this.hxs.values()) {
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
    for (const pipe of this.pipes.values()) {
      // What a pipe carries sets its wall temperature; idle pipes drift to the hall temperature.
      if (pipe.flow > 0.01) pipe.temp += (pipe.heat / pipe.flow - pipe.temp) * lagK(dt, 15);
      else pipe.temp += (AMBIENT - pipe.temp) * lagK(dt, 900);
    }
  }

  /** Bottle flow: acceptance propagates upstream from the palletizer, bottles flow downstream from the filler. */
  private stepPackaging(dt: number): void {
    for (const f of this.fillers.values()) {
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
        f.blocked || f.starved ? 0 : FILLER_TARGET_BPM + 12 * Math.sin((this.t - this.t0) / 300_000 + f.phase);
      f.speed += clamp(target - f.speed, -60 * dt, 60 * dt);
      f.out = Math.min(f.speed / 60, accept);
      if (f.out < 1e-6) f.out = 0;
      f.state = f.blocked ? 3 : f.starved ? 2 : f.speed > 1 ? 1 : 0;
      const filled = f.out * dt;
      f.count += filled;
      // Rejects: ~0.2 % of bottles (under/over-fill, missing cap) — random but seeded.
      if (filled > 0 && this.rand() < filled * 0.002) f.rejects++;
      if (filled > 0) f.fill = FILL_ML + (this.rand() + this.rand() - 1) * 1.6;
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
            e.cycleTime = (this.t - e.layerStart) / 1000;
            e.layerStart = this.t;
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
          if (n > 0 && this.rand() < n * (e.kind === "Capper" ? 0.001 : 0.0015)) e.rejects++;
          if (e.kind === "Capper") {
            // Cap hopper: 3000 caps; the elevator refills it from 35 % to 90 %.
            e.stock -= (n * 100) / 3000;
            if (e.stock < 35) e.refilling = true;
            if (e.refilling) e.stock += 1.5 * dt;
            if (e.stock >= 90) e.refilling = false;
            if (n > 0) e.torque = 2.1 + (this.rand() + this.rand() - 1) * 0.12;
          } else {
            // Label reel: 20 000 labels; the auto-splicer changes reels at 15 %.
            e.stock -= (n * 100) / 20000;
            if (e.stock < 15) e.stock = 100;
          }
        }
      }
    }
    for (const e of this.line.values()) {
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

  /** Fault dynamics that evolve with time (onset ramps, recovery after clearing). */
  private stepFaults(dt: number): void {
    for (const p of this.pumps.values()) {
      // Cavitation develops over ~10 s and subsides over ~10 s after clearing.
      p.cav = clamp(p.cav + (p.cavActive ? dt / 10 : -dt / 10), 0, 1);
      if (p.wearSince !== null) {
        const e = (this.t - p.wearSince) / 1000;
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

  // ------------------------------------------------------------------ values

  private nz(a: number): number {
    return (this.rand() + this.rand() - 1) * a;
  }

  private put(rec: TwinRec, name: string, v: number): void {
    const p = rec.points.get(name);
    if (!p) return;
    p.value = p.frozen ?? format(p.def, v);
  }

  /** Compute every point's current value (physics + measurement noise), in a fixed order. */
  private emit(): void {
    const pos = (v: number): number => Math.max(0, v);
    for (const rec of this.twins.values()) {
      const id = rec.twin.id;
      switch (rec.kind) {
        case "Tank": {
          const tk = this.tanks.get(id)!;
          const lvl = this.level(tk);
          const inflow = tk.pumpIn + tk.supplyFlow;
          this.put(rec, "level", clamp(lvl + this.nz(0.03), 0, 100));
          this.put(rec, "volume", pos(tk.vol + this.nz(0.5)));
          this.put(rec, "temperature", tk.temp + this.nz(0.05));
          // Hydrostatic head of a ~4 m tank: ρ·g·h.
          this.put(rec, "pressure", pos((0.4 * lvl) / 100 + this.nz(0.002)));
          this.put(rec, "inflow", inflow > 0 ? pos(inflow + this.nz(0.01 + 0.005 * inflow)) : 0);
          this.put(rec, "outflow", tk.outflow > 0 ? pos(tk.outflow + this.nz(0.01 + 0.005 * tk.outflow)) : 0);
          break;
        }
        case "Valve": {
          const v = this.valves.get(id)!;
          this.put(rec, "position", clamp(v.pos + this.nz(0.05), 0, 100));
          this.put(rec, "command", v.cmd);
          // Actuator air comes from the compressed-air header, less the regulator/filter drop.
          this.put(rec, "actuatorPressure", this.header - 0.35 + this.nz(0.02));
          this.put(rec, "cycles", v.cycles);
          break;
        }
        case "Pump": {
          const p = this.pumps.get(id)!;
          const run = p.on && p.s > 0.01;
          const current = run ? p.currentBase + this.nz(0.1) + p.cav * this.nz(1.5) : 0;
          this.put(rec, "flow", p.flow > 0 ? pos(p.flow + this.nz(0.004 * p.nominal)) : 0);
          this.put(rec, "current", current);
          this.put(rec, "speed", pos(RATED_RPM * p.s + (run ? this.nz(3) : 0)));
          this.put(rec, "suctionPressure", pos(p.suctionP + this.nz(0.008)));
          this.put(rec, "dischargePressure", pos(p.dischargeP + this.nz(0.015)));
          // Vibration: healthy ~1.5–2.5 mm/s RMS running; cavitation adds broadband noise; worn bearings add a ramp.
          const vib = run
            ? 1.5 + 0.6 * p.s + this.nz(0.2) + p.cav * (4 + this.nz(0.6)) + p.wearV
            : 0.2 + this.nz(0.05) + 0.1 * p.wearV;
          this.put(rec, "vibration", pos(vib));
          // A failing bearing heads for ~98 °C whatever it ran at before.
          this.put(rec, "bearingTemperature", p.bearingBase + p.wearT * (98 - p.bearingBase) + this.nz(0.1));
          this.put(rec, "motorTemperature", p.motorT + this.nz(0.1));
          // P = √3·U·I·cosφ at 400 V, cosφ 0.87 → 0.6 kW per A.
          this.put(rec, "power", 0.6 * current);
          this.put(rec, "running", run ? 1 : 0);
          break;
        }
        case "HeatExchanger": {
          const hx = this.hxs.get(id)!;
          this.put(rec, "productInletTemperature", hx.pIn + this.nz(0.05));
          this.put(rec, "productOutletTemperature", hx.pOut + this.nz(0.08));
          this.put(rec, "mediumInletTemperature", hx.mIn + this.nz(0.05));
          this.put(rec, "mediumOutletTemperature", hx.mOut + this.nz(0.05));
          this.put(rec, "productFlow", hx.pFlow > 0 ? pos(hx.pFlow + this.nz(0.03)) : 0);
          this.put(rec, "mediumFlow", hx.mFlow > 0 ? pos(hx.mFlow + this.nz(0.05)) : 0);
          this.put(rec, "pressureDrop", pos(hx.drop + this.nz(0.005)));
          this.put(rec, "duty", pos(hx.duty + (hx.duty > 0 ? this.nz(2) : 0)));
          break;
        }
        case "Pipe": {
          const pipe = this.pipes.get(id)!;
          this.put(rec, "flow", pipe.flow > 0 ? pos(pipe.flow + this.nz(0.03)) : 0);
          this.put(rec, "pressure", pos(pipe.p + this.nz(0.01)));
          this.put(rec, "temperature", pipe.temp + this.nz(0.05));
          break;
        }
        case "Filler": {
          const f = this.fillers.get(id)!;
          this.put(rec, "speed", pos(f.speed + (f.speed > 1 ? this.nz(2) : 0)));
          this.put(rec, "count", Math.floor(f.count));
          this.put(rec, "rejects", f.rejects);
          this.put(rec, "fillVolume", f.fill);
          this.put(rec, "bowlLevel", clamp((100 * f.bowl) / BOWL_L + this.nz(0.2), 0, 100));
          this.put(rec, "productTemperature", f.productT + this.nz(0.05));
          this.put(rec, "co2Pressure", 3.2 + this.nz(0.03));
          this.put(rec, "state", f.state);
          this.put(rec, "efficiency", clamp(f.eff, 0, 100));
          this.put(rec, "motorCurrent", f.speed > 1 ? 6 + (6 * f.speed) / FILLER_RATED_BPM + this.nz(0.15) : 0.8);
          break;
        }
        case "Conveyor": {
          const c = this.line.get(id) as ConvS;
          const moving = c.state === 1 || c.state === 2;
          const acc = (100 * c.n) / CONV_CAP;
          this.put(rec, "speed", moving ? pos(c.belt + this.nz(0.004)) : 0);
          this.put(rec, "motorCurrent", moving ? 1.8 + (2.5 * acc) / 100 + this.nz(0.1) : 0);
          this.put(rec, "accumulation", clamp(acc + this.nz(0.5), 0, 100));
          this.put(rec, "motorTemperature", c.motorT + this.nz(0.1));
          this.put(rec, "state", c.state);
          break;
        }
        case "Capper":
        case "Labeler": {
          const m = this.line.get(id) as MachS;
          const running = m.state === 1;
          this.put(rec, "speed", pos(m.speed + (running ? this.nz(2) : 0)));
          this.put(rec, "count", Math.floor(m.count));
          this.put(rec, "rejects", m.rejects);
          this.put(rec, "state", m.state);
          if (m.kind === "Capper") {
            this.put(rec, "torque", m.torque);
            this.put(rec, "motorCurrent", running ? 1.5 + (2.5 * m.speed) / 600 + this.nz(0.08) : 0.3);
            this.put(rec, "capFeedLevel", clamp(m.stock, 0, 100));
          } else {
            this.put(rec, "glueTemperature", 165 + this.nz(0.6));
            this.put(rec, "labelStock", clamp(m.stock, 0, 100));
            this.put(rec, "vacuum", running ? 0.62 + this.nz(0.01) : 0.1 + this.nz(0.01));
          }
          break;
        }
        case "Palletizer": {
          const pz = this.line.get(id) as PalS;
          this.put(rec, "pallets", pz.pallets);
          this.put(rec, "layer", pz.layer);
          this.put(rec, "cycleTime", pz.cycleTime);
          this.put(rec, "motorCurrent", pz.state === 1 ? 7.5 + this.nz(0.4) : 1.2);
          this.put(rec, "state", pz.state);
          break;
        }
        case "Compressor": {
          const c = this.comps.get(id)!;
          this.put(rec, "pressure", c.p + this.nz(0.01));
          this.put(rec, "flow", c.running ? 110 + this.nz(2) : 0);
          this.put(rec, "current", c.running ? 92 + this.nz(1.5) : 0);
          this.put(rec, "dischargeTemperature", c.dischargeT + this.nz(0.2));
          this.put(rec, "running", c.running ? 1 : 0);
          break;
        }
        case "Chiller": {
          const ch = this.chillers.get(id)!;
          this.put(rec, "supplyTemperature", ch.supply + this.nz(0.05));
          // Glycol returns warmer by the absorbed duty: ΔT = Q / (ṁ·cp), glycol cp ≈ 3.7 kJ/kg·K.
          this.put(rec, "returnTemperature", ch.supply + ch.duty / (ch.flow * 3.7) + this.nz(0.05));
          this.put(rec, "power", 25 + ch.duty / 3.5 + this.nz(0.5)); // compressor power at COP 3.5
          this.put(rec, "flow", ch.flow + this.nz(0.3));
          this.put(rec, "running", 1);
          break;
        }
        default:
          break;
      }
    }
  }

  // ------------------------------------------------------------------ faults

  /*
   * Fault catalogue — what each looks like and what a rule should detect:
   *  - cavitation (Pump): flow falls ~40 %, suction pressure drops below its lowAlarm (→ ~0.08 bar),
   *    current rises ~2–3 A and turns noisy (±1.5 A), vibration > highWarning (~6 mm/s) — all within ~10 s of
   *    injection while the pump runs. Rule: low suction + high vibration on a running pump.
   *  - bearing-wear (Pump): vibration ramps +6.5 mm/s over 90 s (> highAlarm 7.1 after ~75 s), then the bearing
   *    temperature climbs toward ~98 °C over the next 60 s (> highAlarm 85 °C ~2 min 20 s after injection).
   *    Rule: rising vibration trend followed by rising bearing temperature.
   *  - stuck-valve (Valve): position freezes; one second later the controller's partial-stroke check moves the
   *    command 30 % away, so |position − command| = 30 % persists. Rule: position/command divergence > 10 % for > 5 s.
   *  - flatline ("twin/point", or a twin → its first label point): the point repeats exactly the same value
   *    (no noise) on every publish. Rule: zero variance over N samples of an analog point.
   *  - line-jam (Conveyor, or a Filler → its discharge conveyor): belt speed 0, state 4 (fault), bottles pile up
   *    (accumulation → 100 % on the jammed conveyor and those upstream of it), the filler goes to state 3 (blocked)
   *    and stops counting (~20 s for a discharge conveyor). Rule: conveyor state 4 / accumulation high alarm.
   * Clearing any fault restores normal behaviour within ~10–40 s of simulated time.
   */
  injectFault(name: FaultName, target: string): void {
    if (!isFaultName(name)) {
      throw new SimError("unknown-fault", `Unknown fault "${String(name)}"; use one of ${FAULTS.join(", ")}.`);
    }
    const resolved = this.resolveTarget(name, target);
    if (this.faults.some((f) => f.name === name && f.target === resolved)) return; // already active
    this.faults.push({ name, target: resolved, requested: target, since: this.t });
    this.applyFault(name, resolved, true);
  }

  /** Clear faults matching name and/or target (a twin id also matches its "twin/point" flatlines). Returns how many. */
  clearFault(name?: FaultName, target?: string): number {
    if (name !== undefined && !isFaultName(name)) {
      throw new SimError("unknown-fault", `Unknown fault "${String(name)}"; use one of ${FAULTS.join(", ")}.`);
    }
    const keep: FaultRec[] = [];
    let n = 0;
    for (const f of this.faults) {
      const nameOk = name === undefined || f.name === name;
      const targetOk =
        target === undefined || f.target === target || f.requested === target || f.target.startsWith(`${target}/`);
      if (nameOk && targetOk) {
        this.applyFault(f.name, f.target, false);
        n++;
      } else keep.push(f);
    }
    this.faults = keep;
    return n;
  }

  activeFaults(): ActiveFault[] {
    return this.faults.map((f) => ({ name: f.name, target: f.target, since: f.since }));
  }

  /** "twin/point" → current value, as it would be published now. */
  snapshot(): Map<string, number> {
    return new Map(this.points.map((p) => [p.key, p.value]));
  }

  private twinOrThrow(id: string): TwinRec {
    const rec = this.twins.get(id);
    if (!rec) throw new SimError("unknown-twin", `No twin "${id}" in plant "${this.model.id}".`);
    return rec;
  }

  private resolveTarget(name: FaultName, target: string): string {
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
        need(this.twinOrThrow(target), "Pump");
        return target;
      case "stuck-valve":
        need(this.twinOrThrow(target), "Valve");
        return target;
      case "line-jam": {
        const rec = this.twinOrThrow(target);
        if (rec.kind === "Filler") {
          const first = this.fillers.get(target)?.chain[0];
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
        const rec = this.twinOrThrow(twinId);
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

  private applyFault(name: FaultName, target: string, on: boolean): void {
    switch (name) {
      case "cavitation":
        this.pumps.get(target)!.cavActive = on;
        break;
      case "bearing-wear":
        this.pumps.get(target)!.wearSince = on ? this.t : null;
        break;
      case "stuck-valve": {
        const v = this.valves.get(target)!;
        v.stuck = on
          ? { pos: v.pos, cmd: clamp(Math.round(v.pos >= 50 ? v.pos - 30 : v.pos + 30), 0, 100), since: this.t }
          : null;
        break;
      }
      case "line-jam":
        (this.line.get(target) as ConvS).jam = on;
        break;
      case "flatline": {
        const p = this.points.find((x) => x.key === target)!;
        p.frozen = on ? p.value : undefined;
        break;
      }
    }
  }
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

/** Round as the point is declared: integers whole, doubles to two more decimals than the label shows. */
function format(def: PointDef, v: number): number {
  if (def.schema === "boolean") return v ? 1 : 0;
  if (def.schema === "integer" || def.schema === "long") return Math.round(v);
  const f = 10 ** Math.min(6, def.decimals + 2);
  return Math.round(v * f) / f;
}

/** A constant, in-limits value for points the simulator has no physics for. */
function restingValue(def: PointDef): number {
  const l = def.limits;
  if (!l) return 0;
  const lo = l.lowWarning ?? l.lowAlarm;
  const hi = l.highWarning ?? l.highAlarm;
  if (lo !== undefined && hi !== undefined) return format(def, (lo + hi) / 2);
  if (hi !== undefined) return format(def, hi > 0 ? hi / 2 : hi - 1);
  if (lo !== undefined) return format(def, lo >= 0 ? lo * 1.5 + 1 : lo / 2);
  return 0;
}
