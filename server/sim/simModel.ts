/**
 * The simulator's working state: one record per twin and point, one per process unit (tanks, valves, pumps,
 * heat exchangers, pipes, the bottle line, utilities), the relationships between them, and simulated time.
 * Each process stage (control, hydraulics, heat, bottle line, faults, telemetry) reads and writes this state.
 */
import type { PlantModel, PointDef, TwinDef } from "../../shared/plant.ts";
import type { FaultName } from "./faultCatalogue.ts";

/** `dtmi:gemba:demo:Pump;1` -> `Pump`. */
export function typeName(dtmi: string): string {
  const m = /:([^:;]+);[0-9.]+$/.exec(dtmi);
  return m?.[1] ?? dtmi;
}

export type Kind =
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
export const KINDS = new Set<string>([
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
export const CONDUIT = new Set<Kind>(["Valve", "Pipe", "HeatExchanger"]);

export interface PointRec {
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

export interface TwinRec {
  twin: TwinDef;
  kind: Kind;
  points: Map<string, PointRec>;
  label: string[];
}

export interface TankS {
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

export type ValveRole = "onoff" | "route" | "dose" | "temp" | "fixed";
export interface ValveS {
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

export interface FlowNode {
  id: string;
  kind: Kind;
  children: FlowNode[];
  heats: HxS[];
}

export type PumpRole = "transfer" | "feed" | "loop";
export interface PumpS {
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
  /** How many times slower than the catalogue an injected cavitation / bearing wear develops (1: as catalogued). */
  slowdown: number;
  wearSince: number | null;
  wearV: number;
  /** 0..1: how far a failing bearing's temperature has gone toward ~98 °C. */
  wearT: number;
}

export interface HxS {
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

export interface PipeS {
  id: string;
  flow: number;
  heat: number;
  p: number;
  temp: number;
  qRef: number;
}

export interface ConvS {
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
export interface MachS {
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
export interface PalS {
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
export type LineEl = ConvS | MachS | PalS;

export interface FillerS {
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

export interface CompS {
  id: string;
  p: number;
  running: boolean;
  demand: number;
  dischargeT: number;
}
export interface ChillerS {
  id: string;
  supply: number;
  flow: number;
  duty: number;
}

export interface FaultRec {
  name: FaultName;
  target: string;
  /** What the caller named (a Filler for line-jam, a twin for flatline), so clearing by it works too. */
  requested: string;
  since: number;
}

export interface SimPlant {
  readonly model: PlantModel;
  readonly rand: () => number;
  /** Simulated time now, ms since the epoch. */
  t: number;
  /** Simulated start time: the filler's speed wanders on a slow cycle counted from it. */
  readonly t0: number;
  readonly twins: Map<string, TwinRec>;
  /** Every telemetry point, in the model's order: emit and publish walk it in this order. */
  readonly points: PointRec[];
  /** relationship name → source → targets (out) and target → sources (inn). */
  readonly out: Map<string, Map<string, string[]>>;
  readonly inn: Map<string, Map<string, string[]>>;
  readonly tanks: Map<string, TankS>;
  readonly valves: Map<string, ValveS>;
  readonly pumps: Map<string, PumpS>;
  readonly hxs: Map<string, HxS>;
  readonly pipes: Map<string, PipeS>;
  readonly fillers: Map<string, FillerS>;
  readonly line: Map<string, LineEl>;
  readonly comps: Map<string, CompS>;
  readonly chillers: Map<string, ChillerS>;
  faults: FaultRec[];
  /** Compressed-air header pressure (bar): every valve actuator's supply. */
  header: number;
}

export function kindOf(plant: SimPlant, id: string): Kind {
  return plant.twins.get(id)?.kind ?? "Other";
}

export function outs(plant: SimPlant, rel: string, id: string): string[] {
  return plant.out.get(rel)?.get(id) ?? [];
}

export function ins(plant: SimPlant, rel: string, id: string): string[] {
  return plant.inn.get(rel)?.get(id) ?? [];
}

export function tankLevel(tk: TankS): number {
  return (100 * tk.vol) / tk.cap;
}
