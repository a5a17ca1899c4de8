/**
 * The rule language's checker: turns a syntax tree into a typed, name-resolved
 * tree the engine interprets. Every point name is checked against the PointDefs of
 * the twin type(s) in scope, every function against its signature, every relation
 * against the plant's relationship names and types. The first problem is thrown as a
 * RuleSyntaxError with its column.
 *
 * Types: a number, a condition (boolean), or a duration literal (usable as a number
 * of seconds; windows and "for" take duration literals only).
 */
import type { PlantModel, TypeDef } from "../../shared/plant.ts";
import type { Arg, Expr, RelDir, RelExpr } from "./parse.ts";
import { RuleSyntaxError } from "./tokenize.ts";

export type CompareOp = "<" | "<=" | ">" | ">=" | "==" | "!=";
export type WindowFn = "rate" | "delta" | "avg" | "changes";

/** A related-twin set: direct neighbours (in/out) or a transitive walk (up/down) over one relationship name. */
export interface Relation {
  readonly dir: "in" | "out" | "up" | "down";
  readonly name: string;
  /** DTMIs the related twins must have; null: any type. */
  readonly types: ReadonlySet<string> | null;
}

export type NumNode =
  | { readonly k: "const"; readonly v: number }
  | { readonly k: "point"; readonly name: string }
  | { readonly k: "neg"; readonly e: NumNode }
  | { readonly k: "arith"; readonly op: "+" | "-" | "*" | "/"; readonly a: NumNode; readonly b: NumNode }
  | { readonly k: "abs"; readonly e: NumNode }
  | { readonly k: "min" | "max"; readonly a: NumNode; readonly b: NumNode }
  | { readonly k: "window"; readonly fn: WindowFn; readonly point: string; readonly ms: number }
  | { readonly k: "age"; readonly point: string }
  | { readonly k: "count"; readonly rel: Relation; readonly body: BoolNode }
  | { readonly k: "maxof" | "minof"; readonly rel: Relation; readonly body: NumNode };

export type BoolNode =
  | { readonly k: "bconst"; readonly v: boolean }
  /** hyst: deadband state slot, or -1 when the comparison has no deadband; db: the deadband. */
  | {
      readonly k: "cmp";
      readonly op: CompareOp;
      readonly a: NumNode;
      readonly b: NumNode;
      readonly hyst: number;
      readonly db: number;
    }
  | { readonly k: "beq"; readonly ne: boolean; readonly a: BoolNode; readonly b: BoolNode }
  | { readonly k: "not"; readonly e: BoolNode }
  | { readonly k: "and" | "or"; readonly a: BoolNode; readonly b: BoolNode }
  /** slot: the instance's timer slot for this "for". */
  | { readonly k: "for"; readonly e: BoolNode; readonly ms: number; readonly slot: number }
  | { readonly k: "stale" | "bad"; readonly point: string }
  | { readonly k: "any" | "all"; readonly rel: Relation; readonly body: BoolNode };

/** Where bare point names are looked up. */
export interface Scope {
  readonly types: readonly TypeDef[];
  /** true: the point must exist on every type (rule twins); false: on at least one (an unfiltered relation). */
  readonly every: boolean;
  readonly inRelation: boolean;
}

export const MAX_WINDOW_MS = 3_600_000;
export const MAX_FOR_MS = 24 * 3_600_000;

type Typed = { t: "num"; n: NumNode; dur: boolean } | { t: "bool"; n: BoolNode };

interface FnSig {
  args: readonly ("num" | "point" | "window" | "rel" | "bool")[];
  usage: string;
}
const FUNCTIONS: ReadonlyMap<string, FnSig> = new Map<string, FnSig>([
  ["abs", { args: ["num"], usage: "abs(x)" }],
  ["min", { args: ["num", "num"], usage: "min(a, b)" }],
  ["max", { args: ["num", "num"], usage: "max(a, b)" }],
  ["rate", { args: ["point", "window"], usage: "rate(point, window)" }],
  ["delta", { args: ["point", "window"], usage: "delta(point, window)" }],
  ["avg", { args: ["point", "window"], usage: "avg(point, window)" }],
  ["changes", { args: ["point", "window"], usage: "changes(point, window)" }],
  ["stale", { args: ["point"], usage: "stale(point)" }],
  ["bad", { args: ["point"], usage: "bad(point)" }],
  ["age", { args: ["point"], usage: "age(point)" }],
  ["any", { args: ["rel", "bool"], usage: "any(relation, condition)" }],
  ["all", { args: ["rel", "bool"], usage: "all(relation, condition)" }],
  ["count", { args: ["rel", "bool"], usage: "count(relation, condition)" }],
  ["maxof", { args: ["rel", "num"], usage: "maxof(relation, expression)" }],
  ["minof", { args: ["rel", "num"], usage: "minof(relation, expression)" }],
]);

/** `dtmi:gemba:demo:Pump;1` → `Pump`. */
export function typeShortName(dtmi: string): string {
  const semi = dtmi.lastIndexOf(";");
  const end = semi >= 0 ? semi : dtmi.length;
  const colon = dtmi.lastIndexOf(":", end - 1);
  return dtmi.slice(colon + 1, end);
}

/** What the checker needs from the plant, built once per compile. */
export class PlantVocabulary {
  readonly typesByName = new Map<string, TypeDef[]>();
  readonly relationshipNames: ReadonlySet<string>;
  readonly allTypes: readonly TypeDef[];

  constructor(model: PlantModel) {
    this.allTypes = model.types;
    for (const t of model.types) {
      for (const key of [typeShortName(t.id), t.id]) {
        const list = this.typesByName.get(key);
        if (list) list.push(t);
        else this.typesByName.set(key, [t]);
      }
    }
    this.relationshipNames = new Set(model.relationships.map((r) => r.name));
  }

  shortNames(): string[] {
    return [...new Set(this.allTypes.map((t) => typeShortName(t.id)))].sort();
  }
}

/** Edit distance with adjacent transpositions ("flwo" → "flow" is 1), for "did you mean" hints. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[x.length]![y.length]!;
}

export function suggest(name: string, candidates: Iterable<string>): string {
  let best = "";
  let bestD = Math.max(1, Math.min(2, Math.floor(name.length / 3)));
  for (const c of candidates) {
    const d = distance(name, c);
    if (d <= bestD && (best === "" || d < bestD)) {
      best = c;
      bestD = d;
    }
  }
  return best ? `did you mean "${best}"?` : "";
}

export class Checker {
  timers = 0;
  hysteresis = 0;
  /** Points of a per-point deadband that matched a comparison. */
  readonly deadbandUsed = new Set<string>();

  constructor(
    private readonly vocab: PlantVocabulary,
    /** A rule's deadband: top-level ordered comparisons of "when" get a hysteresis slot (see RuleDef). */
    private readonly deadband: number | ReadonlyMap<string, number>,
  ) {}

  /** Check a condition (a rule's when/clear). `top`: deadband applies to its top-level comparisons. */
  condition(e: Expr, scope: Scope, top: boolean): BoolNode {
    const r = this.check(e, scope, top);
    if (r.t !== "bool") {
      throw new RuleSyntaxError("the expression is a number, not a condition", e.start, "compare it, e.g. flow > 5");
    }
    return r.n;
  }

  pointExists(name: string, scope: Scope): TypeDef | null {
    const has = (t: TypeDef): boolean => t.points.some((p) => p.name === name);
    if (scope.every) return scope.types.find((t) => !has(t)) ?? null;
    return scope.types.some(has) ? null : (scope.types[0] ?? null);
  }

  /** Throws unless `name` is a point in scope. */
  point(name: string, col: number, scope: Scope): void {
    const missing = this.pointExists(name, scope);
    if (!missing) return;
    const pool = scope.every
      ? missing.points.map((p) => p.name)
      : scope.types.flatMap((t) => t.points.map((p) => p.name));
    let hint = suggest(name, pool);
    if (!hint && (name.startsWith("in.") || name.startsWith("out.") || name === "upstream" || name === "downstream")) {
      hint = "a relation is the first argument of any, all, count, maxof or minof";
    }
    const on = scope.every ? `on ${typeShortName(missing.id)}` : "on any type";
    throw new RuleSyntaxError(`unknown point "${name}" ${on}`, col, hint);
  }

  private check(e: Expr, scope: Scope, top: boolean): Typed {
    switch (e.k) {
      case "num":
        return { t: "num", n: { k: "const", v: e.value }, dur: false };
      case "dur":
        return { t: "num", n: { k: "const", v: e.ms / 1000 }, dur: true };
      case "bool":
        return { t: "bool", n: { k: "bconst", v: e.value } };
      case "ref":
        this.point(e.name, e.col, scope);
        return { t: "num", n: { k: "point", name: e.name }, dur: false };
      case "neg":
        return { t: "num", n: { k: "neg", e: this.num(e.e, scope, '"-"') }, dur: false };
      case "not":
        return { t: "bool", n: { k: "not", e: this.bool(e.e, scope, '"not"', top) } };
      case "for": {
        if (scope.inRelation) {
          throw new RuleSyntaxError(
            '"for" is not allowed inside a relation function',
            e.col,
            "put it outside, e.g. any(in.feeds:Pump, running == 1) for 5s",
          );
        }
        if (e.ms > MAX_FOR_MS) throw new RuleSyntaxError('a "for" duration is at most 24h', e.col);
        const inner = this.bool(e.e, scope, '"for"', top);
        return { t: "bool", n: { k: "for", e: inner, ms: e.ms, slot: this.timers++ } };
      }
      case "binary":
        return this.binary(e, scope, top);
      case "call":
        return this.call(e, scope);
    }
  }

  private num(e: Expr, scope: Scope, what: string): NumNode {
    const r = this.check(e, scope, false);
    if (r.t !== "num") throw new RuleSyntaxError(`${what} needs a number but got a condition`, e.start);
    return r.n;
  }

  private bool(e: Expr, scope: Scope, what: string, top: boolean): BoolNode {
    const r = this.check(e, scope, top);
    if (r.t !== "bool") {
      throw new RuleSyntaxError(`${what} needs a condition but got a number`, e.start, "compare it, e.g. running == 1");
    }
    return r.n;
  }

  private binary(e: Extract<Expr, { k: "binary" }>, scope: Scope, top: boolean): Typed {
    const op = e.op;
    if (op === "and" || op === "or") {
      const a = this.bool(e.a, scope, `"${op}"`, top);
      const b = this.bool(e.b, scope, `"${op}"`, top);
      return { t: "bool", n: { k: op, a, b } };
    }
    if (op === "+" || op === "-" || op === "*" || op === "/") {
      const a = this.num(e.a, scope, `"${op}"`);
      const b = this.num(e.b, scope, `"${op}"`);
      return { t: "num", n: { k: "arith", op, a, b }, dur: false };
    }
    const a = this.check(e.a, scope, false);
    const b = this.check(e.b, scope, false);
    if (a.t === "bool" || b.t === "bool") {
      if ((op === "==" || op === "!=") && a.t === "bool" && b.t === "bool") {
        return { t: "bool", n: { k: "beq", ne: op === "!=", a: a.n, b: b.n } };
      }
      throw new RuleSyntaxError(
        op === "==" || op === "!="
          ? `"${op}" compares a number with a condition`
          : `"${op}" compares numbers, not conditions`,
        e.col,
      );
    }
    const db = top && op !== "==" && op !== "!=" ? this.deadbandFor(a.n, b.n) : 0;
    const hyst = db > 0 ? this.hysteresis++ : -1;
    return { t: "bool", n: { k: "cmp", op, a: a.n, b: b.n, hyst, db } };
  }

  private deadbandFor(a: NumNode, b: NumNode): number {
    if (typeof this.deadband === "number") return this.deadband;
    const name = a.k === "point" && b.k === "const" ? a.name : b.k === "point" && a.k === "const" ? b.name : null;
    const db = name === null ? undefined : this.deadband.get(name);
    if (db === undefined) return 0;
    this.deadbandUsed.add(name!);
    return db;
  }

  private call(e: Extract<Expr, { k: "call" }>, scope: Scope): Typed {
    const sig = FUNCTIONS.get(e.fn);
    if (!sig) {
      throw new RuleSyntaxError(`unknown function "${e.fn}"`, e.col, suggest(e.fn, FUNCTIONS.keys()));
    }
    if (e.args.length !== sig.args.length) {
      const n = sig.args.length;
      throw new RuleSyntaxError(
        `${e.fn}() takes ${n} argument${n === 1 ? "" : "s"} but got ${e.args.length}`,
        e.col,
        `use ${sig.usage}`,
      );
    }
    const [a0, a1] = e.args;
    switch (e.fn) {
      case "abs":
        return { t: "num", n: { k: "abs", e: this.num(this.expr(a0!), scope, "abs()") }, dur: false };
      case "min":
      case "max":
        return {
          t: "num",
          n: {
            k: e.fn,
            a: this.num(this.expr(a0!), scope, `${e.fn}()`),
            b: this.num(this.expr(a1!), scope, `${e.fn}()`),
          },
          dur: false,
        };
      case "rate":
      case "delta":
      case "avg":
      case "changes": {
        const point = this.pointArg(e.fn, a0!, scope);
        const w = this.expr(a1!);
        if (w.k !== "dur") {
          throw new RuleSyntaxError(`the window of ${e.fn}() must be a duration`, w.start, "e.g. 10s, 500ms or 2min");
        }
        if (w.ms <= 0 || w.ms > MAX_WINDOW_MS) {
          throw new RuleSyntaxError(`the window of ${e.fn}() must be more than 0 and at most 1h`, w.start);
        }
        return { t: "num", n: { k: "window", fn: e.fn, point, ms: w.ms }, dur: false };
      }
      case "stale":
      case "bad":
        return { t: "bool", n: { k: e.fn, point: this.pointArg(e.fn, a0!, scope) } };
      case "age":
        return { t: "num", n: { k: "age", point: this.pointArg(e.fn, a0!, scope) }, dur: false };
      default: {
        // any / all / count / maxof / minof: the parser made the first argument a relation.
        const rel = this.relation(a0 as RelExpr);
        const inner: Scope = rel.scope;
        if (e.fn === "maxof" || e.fn === "minof") {
          return {
            t: "num",
            n: { k: e.fn, rel: rel.rel, body: this.num(this.expr(a1!), inner, `${e.fn}()`) },
            dur: false,
          };
        }
        const body = this.bool(this.expr(a1!), inner, `${e.fn}()`, false);
        if (e.fn === "count") return { t: "num", n: { k: "count", rel: rel.rel, body }, dur: false };
        return { t: "bool", n: { k: e.fn as "any" | "all", rel: rel.rel, body } };
      }
    }
  }

  /** Arguments other than a relation function's first are expressions (the parser guarantees it). */
  private expr(a: Arg): Expr {
    if (a.k === "rel") throw new RuleSyntaxError("a relation can only be the first argument", a.col);
    return a;
  }

  private pointArg(fn: string, a: Arg, scope: Scope): string {
    const e = this.expr(a);
    if (e.k !== "ref") throw new RuleSyntaxError(`the first argument of ${fn}() must be a point name`, e.start);
    this.point(e.name, e.col, scope);
    return e.name;
  }

  private relation(r: RelExpr): { rel: Relation; scope: Scope } {
    const dirs: Record<RelDir, Relation["dir"]> = { in: "in", out: "out", upstream: "up", downstream: "down" };
    const name = r.name ?? "feeds";
    if (!this.vocab.relationshipNames.has(name)) {
      const known = [...this.vocab.relationshipNames].sort().join(", ") || "none";
      const hint = suggest(name, this.vocab.relationshipNames) || `the plant has: ${known}`;
      throw new RuleSyntaxError(`unknown relationship "${name}"`, r.nameCol, hint);
    }
    if (r.type === null) {
      return {
        rel: { dir: dirs[r.dir], name, types: null },
        scope: { types: this.vocab.allTypes, every: false, inRelation: true },
      };
    }
    const types = this.vocab.typesByName.get(r.type);
    if (!types) {
      const names = this.vocab.shortNames();
      throw new RuleSyntaxError(
        `unknown type "${r.type}"`,
        r.typeCol,
        suggest(r.type, names) || `the plant has: ${names.join(", ")}`,
      );
    }
    return {
      rel: { dir: dirs[r.dir], name, types: new Set(types.map((t) => t.id)) },
      scope: { types, every: true, inRelation: true },
    };
  }
}
