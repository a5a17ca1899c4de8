/**
 * The rule engine: one instance per (rule, twin), each a small state machine
 * (normal ⇄ active) driven by the rule's when/clear conditions over the plant's
 * working memory. Pure: reads the PlantTwin (values, quality, staleness, history),
 * takes plant time as an argument, does no I/O and keeps no clock.
 *
 * Per evaluate(now), every instance is evaluated: 488 instances cost ~0.3 ms per tick
 * (docs/RULES.md), so tracking which inputs changed is not worth its bugs yet. "and"/"or" do not short-circuit so every
 * "for" timer and deadband state sees every evaluation. Relations (static topology)
 * and point indexes are resolved once and cached.
 */
import type { PlantModel, PointDef } from "../../shared/plant.ts";
import { Quality } from "../../shared/status.ts";
import type { PlantTwin } from "../twin/PlantTwin.ts";
import type { BoolNode, NumNode, Relation } from "./check.ts";
import type { CompiledRule } from "./compileRules.ts";
import type { RuleSeverity } from "./RuleDef.ts";
import { windowValue } from "./window.ts";

export interface RuleTransition {
  rule: string;
  twin: string;
  active: boolean;
  /** Plant time (ms, source-time clock) of the evaluation that changed the state. */
  at: number;
  severity: RuleSeverity;
  message: string;
  /** Point values the rule reads, at the transition ("flow"; a related twin's as "P101/running"). */
  values: Record<string, number>;
}

interface Instance {
  readonly rule: CompiledRule;
  readonly twin: number;
  readonly twinId: string;
  readonly twinName: string;
  active: boolean;
  since: number;
  /** When the when-condition (without its top-level for) started to hold; NaN while it does not. */
  whenSince: number;
  readonly timers: Float64Array;
  readonly hyst: Uint8Array;
  /** Active because its alarm was active at shutdown (restoreActive); cleared only on known inputs. */
  restored: boolean;
}

/** Most values a transition records for the journal. */
const MAX_VALUES = 48;
const NONE = new Int32Array(0);

export function formatPointValue(def: PointDef, v: number): string {
  if (Number.isNaN(v)) return "—";
  if (def.states) {
    const s = def.states[String(Math.round(v))];
    if (s) return s;
  }
  const n = v.toFixed(def.decimals);
  return def.symbol ? `${n} ${def.symbol}` : n;
}

export class RuleEngine {
  private readonly instances: Instance[] = [];
  /** point name → point index per twin index (-1: the twin has no such point). */
  private readonly pointTable = new Map<string, Int32Array>();
  /** relation → related twin indexes per twin index, filled on first use. */
  private readonly relCache = new Map<Relation, (Int32Array | undefined)[]>();
  private readonly outAdj = new Map<string, number[][]>();
  private readonly inAdj = new Map<string, number[][]>();
  private readonly twinType: string[] = [];
  private readonly twinIds: string[] = [];
  private now = 0;
  private cur!: Instance;

  constructor(
    rules: readonly CompiledRule[],
    private readonly twin: PlantTwin,
    model: PlantModel,
  ) {
    const n = twin.twins.length;
    for (let i = 0; i < n; i++) this.twinIds.push(twin.twins[i]!.id);
    const names = new Map<string, string>();
    for (const tw of model.twins) {
      const ti = twin.twinIndex(tw.id);
      if (ti === undefined) continue;
      this.twinType[ti] = tw.type;
      names.set(tw.id, tw.name);
    }
    for (const r of model.relationships) {
      const s = twin.twinIndex(r.source);
      const t = twin.twinIndex(r.target);
      if (s === undefined || t === undefined) continue;
      adj(this.outAdj, r.name, n)[s]!.push(t);
      adj(this.inAdj, r.name, n)[t]!.push(s);
    }
    for (const rule of rules) {
      for (const id of rule.twins) {
        const ti = twin.twinIndex(id);
        if (ti === undefined) continue; // compiled against another model: nothing to watch
        this.instances.push({
          rule,
          twin: ti,
          twinId: id,
          twinName: names.get(id) ?? id,
          active: false,
          since: Number.NaN,
          whenSince: Number.NaN,
          timers: new Float64Array(rule.timerSlots).fill(Number.NaN),
          hyst: new Uint8Array(rule.hysteresisSlots),
          restored: false,
        });
      }
    }
  }

  get instanceCount(): number {
    return this.instances.length;
  }

  /** Evaluate every rule instance at plant time `now`; return the state changes. */
  evaluate(now: number): RuleTransition[] {
    this.now = now;
    let out: RuleTransition[] | undefined;
    for (const inst of this.instances) {
      this.cur = inst;
      const rule = inst.rule;
      const holds = this.bool(rule.when, inst.twin);
      if (!holds) inst.whenSince = Number.NaN;
      else if (Number.isNaN(inst.whenSince)) inst.whenSince = now;
      const fire = holds && now - inst.whenSince >= rule.whenForMs;
      const clear = rule.clear ? this.bool(rule.clear, inst.twin) : !holds;
      if (!inst.active && fire) {
        inst.active = true;
        // A clear condition's timers count from activation, not from before it.
        this.restartTimers(inst, rule.whenTimerSlots, rule.timerSlots);
        (out ??= []).push(this.transition(inst, true));
      } else if (inst.active && clear && (!inst.restored || this.known(rule.clear ?? rule.when, inst.twin))) {
        inst.active = false;
        inst.restored = false;
        // To fire again, "when" must hold for its whole duration after the clear.
        if (!Number.isNaN(inst.whenSince)) inst.whenSince = now;
        this.restartTimers(inst, 0, rule.whenTimerSlots);
        (out ??= []).push(this.transition(inst, false));
      }
    }
    return out ?? [];
  }

  /**
   * After a restart: the instance of a rule whose alarm was active at shutdown starts active, so its clear
   * condition on fresh data ends the alarm (it would otherwise wait for a new activation that never comes). It clears
   * only once every point its condition reads has a usable value again: absence of evidence is not a return to normal.
   */
  restoreActive(rule: string, twin: string, since: number): boolean {
    const inst = this.instances.find((i) => i.rule.id === rule && i.twinId === twin);
    if (!inst || inst.active) return false;
    inst.active = true;
    inst.restored = true;
    inst.since = since;
    return true;
  }

  /** Active instances, in rule then twin order. */
  active(): { rule: string; twin: string; since: number }[] {
    const out: { rule: string; twin: string; since: number }[] = [];
    for (const i of this.instances) if (i.active) out.push({ rule: i.rule.id, twin: i.twinId, since: i.since });
    return out;
  }

  /** Current values of the points an instance's conditions read (what a transition records), e.g. for a procedure gate. */
  valuesOf(rule: string, twin: string): Record<string, number> {
    const inst = this.instances.find((i) => i.rule.id === rule && i.twinId === twin);
    const values: Record<string, number> = {};
    if (!inst) return values;
    this.collect(inst.rule.when, inst.twin, "", values);
    return values;
  }

  private restartTimers(inst: Instance, from: number, to: number): void {
    for (let s = from; s < to; s++) if (!Number.isNaN(inst.timers[s]!)) inst.timers[s] = this.now;
  }

  private transition(inst: Instance, active: boolean): RuleTransition {
    inst.since = this.now;
    const values: Record<string, number> = {};
    this.collect(inst.rule.when, inst.twin, "", values);
    if (inst.rule.clear) this.collect(inst.rule.clear, inst.twin, "", values);
    return {
      rule: inst.rule.id,
      twin: inst.twinId,
      active,
      at: this.now,
      severity: inst.rule.severity,
      message: this.render(inst),
      values,
    };
  }

  private render(inst: Instance): string {
    let s = "";
    for (const p of inst.rule.message) {
      if (p.k === "text") s += p.text;
      else if (p.k === "name") s += inst.twinName;
      else if (p.k === "id") s += inst.twinId;
      else {
        const pi = this.pointIndex(p.name, inst.twin);
        const slot = pi >= 0 ? this.twin.points[pi]! : undefined;
        s += slot ? formatPointValue(slot.def, slot.value) : "—";
      }
    }
    return s;
  }

  // ---------------------------------------------------------------- resolution

  private pointIndex(name: string, tw: number): number {
    let row = this.pointTable.get(name);
    if (!row) {
      row = new Int32Array(this.twinIds.length).fill(-1);
      for (let i = 0; i < row.length; i++) row[i] = this.twin.indexOf(this.twinIds[i]!, name) ?? -1;
      this.pointTable.set(name, row);
    }
    return row[tw] ?? -1;
  }

  private related(rel: Relation, tw: number): Int32Array {
    let byTwin = this.relCache.get(rel);
    if (!byTwin) {
      byTwin = [];
      this.relCache.set(rel, byTwin);
    }
    let list = byTwin[tw];
    if (!list) {
      list = this.resolve(rel, tw);
      byTwin[tw] = list;
    }
    return list;
  }

  private resolve(rel: Relation, tw: number): Int32Array {
    const graph = (rel.dir === "out" || rel.dir === "down" ? this.outAdj : this.inAdj).get(rel.name);
    if (!graph) return NONE;
    const matches = (i: number): boolean => rel.types === null || rel.types.has(this.twinType[i] ?? "");
    if (rel.dir === "in" || rel.dir === "out") {
      return Int32Array.from(new Set(graph[tw]!.filter(matches)));
    }
    // upstream/downstream: walk the relationship transitively; a twin of the filter type is a result and
    // the walk does not go past it; other twins are passed through. No filter: every twin reached.
    const out: number[] = [];
    const seen = new Set<number>([tw]);
    const queue = [tw];
    while (queue.length > 0) {
      const at = queue.shift()!;
      for (const nb of graph[at]!) {
        if (seen.has(nb)) continue;
        seen.add(nb);
        if (matches(nb)) {
          out.push(nb);
          if (rel.types !== null) continue;
        }
        queue.push(nb);
      }
    }
    return Int32Array.from(out);
  }

  // ---------------------------------------------------------------- evaluation

  /** A point's value for comparisons: NaN when it has none, is stale or is bad. */
  private value(name: string, tw: number): number {
    const pi = this.pointIndex(name, tw);
    if (pi < 0) return Number.NaN;
    const p = this.twin.points[pi]!;
    if (p.stale || p.q === Quality.BAD) return Number.NaN;
    return p.value;
  }

  private num(n: NumNode, tw: number): number {
    switch (n.k) {
      case "const":
        return n.v;
      case "point":
        return this.value(n.name, tw);
      case "neg":
        return -this.num(n.e, tw);
      case "arith": {
        const a = this.num(n.a, tw);
        const b = this.num(n.b, tw);
        switch (n.op) {
          case "+":
            return a + b;
          case "-":
            return a - b;
          case "*":
            return a * b;
          case "/":
            return b === 0 ? Number.NaN : a / b;
        }
        break;
      }
      case "abs":
        return Math.abs(this.num(n.e, tw));
      case "min":
        return Math.min(this.num(n.a, tw), this.num(n.b, tw));
      case "max":
        return Math.max(this.num(n.a, tw), this.num(n.b, tw));
      case "window": {
        if (Number.isNaN(this.value(n.point, tw))) return Number.NaN;
        const p = this.twin.points[this.pointIndex(n.point, tw)]!;
        return windowValue(n.fn, p.history, this.now, n.ms);
      }
      case "age": {
        const pi = this.pointIndex(n.point, tw);
        if (pi < 0) return Number.NaN;
        const p = this.twin.points[pi]!;
        return Number.isNaN(p.value) ? Number.NaN : (this.now - p.ts) / 1000;
      }
      case "count": {
        let c = 0;
        for (const r of this.related(n.rel, tw)) if (this.bool(n.body, r)) c++;
        return c;
      }
      case "maxof":
      case "minof": {
        let best = Number.NaN;
        for (const r of this.related(n.rel, tw)) {
          const v = this.num(n.body, r);
          if (Number.isNaN(v)) continue;
          if (Number.isNaN(best) || (n.k === "maxof" ? v > best : v < best)) best = v;
        }
        return best;
      }
    }
    return Number.NaN;
  }

  private bool(n: BoolNode, tw: number): boolean {
    switch (n.k) {
      case "bconst":
        return n.v;
      case "cmp":
        return this.compare(n, tw);
      case "beq":
        return (this.bool(n.a, tw) === this.bool(n.b, tw)) !== n.ne;
      case "not":
        return !this.bool(n.e, tw);
      case "and": {
        // No short-circuit: timers and deadband states on both sides see every evaluation.
        const a = this.bool(n.a, tw);
        const b = this.bool(n.b, tw);
        return a && b;
      }
      case "or": {
        const a = this.bool(n.a, tw);
        const b = this.bool(n.b, tw);
        return a || b;
      }
      case "for": {
        const t = this.cur.timers;
        if (!this.bool(n.e, tw)) {
          t[n.slot] = Number.NaN;
          return false;
        }
        if (Number.isNaN(t[n.slot]!)) t[n.slot] = this.now;
        return this.now - t[n.slot]! >= n.ms;
      }
      case "stale": {
        const pi = this.pointIndex(n.point, tw);
        if (pi < 0) return true;
        const p = this.twin.points[pi]!;
        return p.stale || Number.isNaN(p.value);
      }
      case "bad": {
        const pi = this.pointIndex(n.point, tw);
        return pi >= 0 && this.twin.points[pi]!.q === Quality.BAD;
      }
      case "any": {
        let r = false;
        for (const o of this.related(n.rel, tw)) if (this.bool(n.body, o)) r = true;
        return r;
      }
      case "all": {
        let r = true;
        for (const o of this.related(n.rel, tw)) if (!this.bool(n.body, o)) r = false;
        return r;
      }
    }
  }

  private compare(n: Extract<BoolNode, { k: "cmp" }>, tw: number): boolean {
    const a = this.num(n.a, tw);
    const b = this.num(n.b, tw);
    const hyst = this.cur.hyst;
    if (Number.isNaN(a) || Number.isNaN(b)) {
      if (n.hyst >= 0) hyst[n.hyst] = 0;
      return false; // missing, stale or bad data: every comparison is false, "!=" included
    }
    if (n.hyst < 0) {
      switch (n.op) {
        case "<":
          return a < b;
        case "<=":
          return a <= b;
        case ">":
          return a > b;
        case ">=":
          return a >= b;
        case "==":
          return a === b;
        case "!=":
          return a !== b;
      }
    }
    // Deadband: turn true beyond the threshold by the deadband, turn false only back past it by the deadband.
    const db = n.db;
    const on = hyst[n.hyst] === 1;
    const d = a - b;
    let r: boolean;
    switch (n.op) {
      case ">":
        r = on ? d >= -db : d > db;
        break;
      case ">=":
        r = on ? d >= -db : d >= db;
        break;
      case "<":
        r = on ? d <= db : d < -db;
        break;
      case "<=":
        r = on ? d <= db : d <= -db;
        break;
      default:
        r = n.op === "==" ? a === b : a !== b;
    }
    hyst[n.hyst] = r ? 1 : 0;
    return r;
  }

  /** True when every point an expression reads has a usable value (fresh, not bad); stale()/bad() are answers. */
  private known(n: NumNode | BoolNode, tw: number): boolean {
    switch (n.k) {
      case "point":
      case "window":
      case "age":
        return !Number.isNaN(this.value(n.k === "point" ? n.name : n.point, tw));
      case "stale":
      case "bad":
      case "const":
      case "bconst":
        return true;
      case "neg":
      case "abs":
      case "not":
      case "for":
        return this.known(n.e, tw);
      case "arith":
      case "min":
      case "max":
      case "and":
      case "or":
      case "cmp":
      case "beq":
        return this.known(n.a, tw) && this.known(n.b, tw);
      case "count":
      case "maxof":
      case "minof":
      case "any":
      case "all":
        for (const r of this.related(n.rel, tw)) if (!this.known(n.body, r)) return false;
        return true;
    }
  }

  /** Record the current values of the points an expression reads (for the journal). */
  private collect(n: NumNode | BoolNode, tw: number, prefix: string, out: Record<string, number>): void {
    if (Object.keys(out).length >= MAX_VALUES) return;
    const put = (name: string): void => {
      const pi = this.pointIndex(name, tw);
      const v = pi >= 0 ? this.twin.points[pi]!.value : Number.NaN;
      if (!Number.isNaN(v)) out[prefix + name] = v;
    };
    switch (n.k) {
      case "point":
      case "window":
      case "age":
        put(n.k === "point" ? n.name : n.point);
        return;
      case "stale":
      case "bad":
        put(n.point);
        return;
      case "neg":
      case "abs":
      case "not":
      case "for":
        this.collect(n.e, tw, prefix, out);
        return;
      case "arith":
      case "min":
      case "max":
      case "and":
      case "or":
      case "cmp":
      case "beq":
        this.collect(n.a, tw, prefix, out);
        this.collect(n.b, tw, prefix, out);
        return;
      case "count":
      case "maxof":
      case "minof":
      case "any":
      case "all":
        for (const r of this.related(n.rel, tw)) this.collect(n.body, r, `${this.twinIds[r]!}/`, out);
        return;
      case "const":
      case "bconst":
        return;
    }
  }
}

function adj(m: Map<string, number[][]>, name: string, n: number): number[][] {
  let a = m.get(name);
  if (!a) {
    a = Array.from({ length: n }, () => []);
    m.set(name, a);
  }
  return a;
}
