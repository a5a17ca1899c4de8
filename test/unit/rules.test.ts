/**
 * The rule language and engine: parsing and precedence, every function and relation
 * form, errors a plant engineer can act on (path + column), hostile input, and the
 * engine's semantics (for, clear, deadband, windows, missing data, relations) on a
 * hand-fed working memory with injected plant time. No sleeps.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { PlantModel } from "../../shared/plant.ts";
import { Quality } from "../../shared/status.ts";
import { PlantTwin } from "../../server/twin/PlantTwin.ts";
import { compileRules, RuleEngine, validateRules, type RuleTransition } from "../../server/rules/index.ts";
import { parseExpression, type Arg, type Expr } from "../../server/rules/parse.ts";
import { demoPlant } from "./fixtures.ts";

let model: PlantModel;
beforeAll(async () => {
  model = (await demoPlant()).model;
});

const T0 = Date.UTC(2025, 0, 6, 8, 0, 0);

/** A rule definition with defaults, overridden by `over`. */
function rule(over: Record<string, unknown>): Record<string, unknown> {
  return { id: "r", name: "Rule", for: "Pump", severity: "medium", when: "flow > 5", message: "m", ...over };
}

/** The problems compiling one rule, as "path: reason". */
function problems(over: Record<string, unknown>): string[] {
  return compileRules([rule(over)], model).issues.map((i) => `${i.path}: ${i.reason}`);
}
function whenError(when: string, over: Record<string, unknown> = {}): string {
  const p = problems({ when, ...over });
  expect(p, when).toHaveLength(1);
  return p[0]!;
}

/** S-expression of a syntax tree, to assert precedence. */
function show(e: Expr | Arg): string {
  switch (e.k) {
    case "num":
      return String(e.value);
    case "dur":
      return `${e.ms}ms`;
    case "bool":
      return String(e.value);
    case "ref":
      return e.name;
    case "neg":
      return `(- ${show(e.e)})`;
    case "not":
      return `(not ${show(e.e)})`;
    case "binary":
      return `(${e.op} ${show(e.a)} ${show(e.b)})`;
    case "for":
      return `(for ${e.ms}ms ${show(e.e)})`;
    case "call":
      return `(${e.fn} ${e.args.map(show).join(" ")})`;
    case "rel":
      return `${e.dir}${e.name ? `.${e.name}` : ""}${e.type ? `:${e.type}` : ""}`;
  }
}

/** A working memory fed by hand, a rule engine over it, and plant time moved in 250 ms ticks. */
function harness(defs: Record<string, unknown>[]) {
  const { rules, issues } = compileRules(defs, model);
  expect(issues).toEqual([]);
  const twin = new PlantTwin(model);
  const engine = new RuleEngine(rules, twin, model);
  const log: RuleTransition[] = [];
  let now = T0;
  return {
    twin,
    engine,
    log,
    now: () => now,
    set(id: string, point: string, v: number, q: Quality = Quality.GOOD): void {
      twin.apply(twin.indexOf(id, point)!, v, now, q, now);
    },
    /** Advance `ms` of plant time, calling `each` then evaluating at every 250 ms tick. */
    run(ms: number, each?: (t: number) => void): RuleTransition[] {
      const out: RuleTransition[] = [];
      for (let t = 0; t < ms; t += 250) {
        now += 250;
        each?.(now - T0);
        for (const x of engine.evaluate(now)) out.push(x);
      }
      log.push(...out);
      return out;
    },
    isActive(ruleId: string, twinId: string): boolean {
      return engine.active().some((a) => a.rule === ruleId && a.twin === twinId);
    },
  };
}

describe("rule language: parsing", () => {
  it("binds * over +, arithmetic over comparison, not over and, and over or, and for loosest", () => {
    expect(show(parseExpression("1 + 2 * 3 > 4 and not flow < 2 or x == 1 for 5s"))).toBe(
      "(for 5000ms (or (and (> (+ 1 (* 2 3)) 4) (not (< flow 2))) (== x 1)))",
    );
    expect(show(parseExpression("a - b - c / d / e"))).toBe("(- (- a b) (/ (/ c d) e))");
    expect(show(parseExpression("(a or b) and c"))).toBe("(and (or a b) c)");
    expect(show(parseExpression("-3 * -x"))).toBe("(* -3 (- x))");
    expect(show(parseExpression("(flow > 1 for 2s) and not (x > 2 for 500ms)"))).toBe(
      "(and (for 2000ms (> flow 1)) (not (for 500ms (> x 2))))",
    );
    expect(show(parseExpression("motor.temperature > 80"))).toBe("(> motor.temperature 80)");
  });

  it("reads numbers, durations in ms, s, min and h, and booleans", () => {
    expect(show(parseExpression("0.2 + .5 + 1e3 + 2.5e-1 + 7"))).toBe("(+ (+ (+ (+ 0.2 0.5) 1000) 0.25) 7)");
    expect(show(parseExpression("500ms + 10s + 2min + 1h + 1.5s"))).toBe(
      "(+ (+ (+ (+ 500ms 10000ms) 120000ms) 3600000ms) 1500ms)",
    );
    expect(show(parseExpression("true == (not false)"))).toBe("(== true (not false))");
  });

  it("parses relations as the first argument of any, all, count, maxof and minof", () => {
    expect(show(parseExpression("any(in.feeds, x) and all(out.feeds:Pump, y)"))).toBe(
      "(and (any in.feeds x) (all out.feeds:Pump y))",
    );
    expect(
      show(parseExpression("count(upstream:Pump, r) + maxof(downstream, v) + minof(upstream.heats:Valve, w)")),
    ).toBe("(+ (+ (count upstream:Pump r) (maxof downstream v)) (minof upstream.heats:Valve w))");
  });
});

describe("rule language: compiling against the plant", () => {
  it("compiles every function and relation form against the demo types", () => {
    const whens: [string, string][] = [
      ["Pump", "abs(flow - 3) > min(current, 2) + max(speed, 1)"],
      ["Pump", "rate(flow, 10s) < 0 and delta(flow, 500ms) < 1 and avg(flow, 2min) > 1 and changes(flow, 30s) == 0"],
      ["Pump", "stale(flow) or bad(flow) or age(flow) > 30s"],
      ["Tank", "level < 15 and any(in.feeds:Pump, running == 1) == false"],
      ["Tank", "all(upstream:Pump, running == 0) and count(downstream:Pump, running == 1) >= 1"],
      ["Tank", "maxof(downstream:Pump, current) > 20 or minof(out.feeds, 1) < 0"],
      ["HeatExchanger", "any(in.heats:Valve, position > 5) and any(in.cools, true)"],
      ["Filler", "any(out.feeds:Conveyor, accumulation > 90 and any(out.feeds, true))"],
      ["Valve", "any(upstream, true) or any(downstream.feeds, true)"],
    ];
    const { rules, issues } = compileRules(
      whens.map(([type, when], i) => rule({ id: `r${i}`, for: type, when })),
      model,
    );
    expect(issues).toEqual([]);
    expect(rules).toHaveLength(whens.length);
    expect(rules[0]!.twins).toContain("P101");
  });

  it("runs one instance per twin of the type, or per listed twin", () => {
    const { rules } = compileRules(
      [rule({ id: "a", for: "Tank", when: "level > 1" }), rule({ id: "b", for: ["P101", "XV101"], when: "true" })],
      model,
    );
    expect(rules[0]!.twins).toEqual(["T101", "T102", "T103", "T201", "T301", "T302"]);
    expect(rules[1]!.twins).toEqual(["P101", "XV101"]);
    // Mixed types: a point must exist on every listed twin's type.
    expect(problems({ for: ["P101", "XV101"], when: "flow > 1" })).toEqual([
      'rules[0].when: unknown point "flow" on Valve at column 1',
    ]);
  });

  it("reports unknown points, functions, types and relationships with the rule path and column", () => {
    expect(problems({ when: "suctionPressure < 0.2 and flwo > 4" })).toEqual([
      'rules[0].when: unknown point "flwo" on Pump at column 27 (did you mean "flow"?)',
    ]);
    expect(whenError("rat(flow, 10s) < 0")).toBe(
      'rules[0].when: unknown function "rat" at column 1 (did you mean "rate"?)',
    );
    expect(whenError("any(in.feeds:Pmp, running == 1)", { for: "Tank" })).toBe(
      'rules[0].when: unknown type "Pmp" at column 14 (did you mean "Pump"?)',
    );
    expect(whenError("any(in.flows, true)", { for: "Tank" })).toMatch(
      /^rules\[0\]\.when: unknown relationship "flows" at column 8 \(.*feeds/,
    );
    expect(whenError("any(in.feeds:Pump, level > 1)", { for: "Tank" })).toBe(
      'rules[0].when: unknown point "level" on Pump at column 20',
    );
    expect(whenError("any(in.feeds, nosuchpoint > 1)", { for: "Tank" })).toBe(
      'rules[0].when: unknown point "nosuchpoint" on any type at column 15',
    );
    expect(whenError("in.feeds > 1")).toBe(
      'rules[0].when: unknown point "in.feeds" on Pump at column 1 (a relation is the first argument of any, all, count, maxof or minof)',
    );
    expect(problems({ for: "Pmp" })).toEqual(['rules[0].for: unknown type "Pmp" (did you mean "Pump"?)']);
    expect(problems({ for: ["P101", "P1O1"] })).toEqual([
      'rules[0].for[1]: unknown twin "P1O1" (did you mean "P101"?)',
    ]);
    expect(problems({ for: ["P999"] })).toEqual(['rules[0].for[0]: unknown twin "P999"']);
    expect(problems({ clear: "flow < " })).toEqual(["rules[0].clear: unexpected end of expression at column 8"]);
    expect(problems({ message: "{name}: {flow} and {vibraton}" })).toEqual([
      'rules[0].message: unknown point "vibraton" on Pump at column 20 (did you mean "vibration"?)',
    ]);
  });

  it("reports syntax errors at their column, with a hint where one helps", () => {
    const cases: [string, string][] = [
      ["flow > ", "unexpected end of expression at column 8"],
      ["(flow > 1", 'expected ")" but found end of expression at column 10 (to close the "(" at column 1)'],
      ["flow >> 2", 'unexpected ">" at column 7'],
      ["flow = 2", 'unexpected "=" at column 6 (compare with ==)'],
      ["flow > 1 && current > 2", 'unexpected "&&" at column 10 (write and)'],
      ["!stale(flow)", 'unexpected "!" at column 1 (write not, or != to compare)'],
      ["0 < flow < 5", "comparisons do not chain at column 10 (write a < b and b < c)"],
      ["age(flow) > 5sec", 'unknown unit "sec" after 5 at column 14 (use ms, s, min or h)'],
      ["flow > 1 for 5", 'expected a duration like 5s after "for" but found "5" at column 14'],
      [
        "flow > 1 for 5s and current > 2",
        'unexpected "and" at column 17 ("for" binds looser than "and"; put the "... for" part in parentheses)',
      ],
      ["flow > 1 for 5s for 2s", 'unexpected "for" at column 17 (one for per condition; use parentheses to nest them)'],
      ["flow > 1 $", 'unexpected "$" at column 10'],
      ["flow > 1 ∧ flow < 3", "unexpected character U+2227 at column 10"],
      ["flow >", "unexpected end of expression at column 7"],
      [
        "any(feeds, true)",
        'expected a relation like in.feeds, out.feeds:Pump or upstream:Pump but found "feeds" at column 5',
      ],
      ["any(in, true)", 'expected "." and a relationship name after "in" at column 5 (e.g. in.feeds)'],
      ["and > 1", 'unexpected "and" at column 1'],
    ];
    for (const [when, reason] of cases) expect(whenError(when), when).toBe(`rules[0].when: ${reason}`);
  });

  it("reports type errors: numbers where conditions belong and the other way round", () => {
    const cases: [string, string][] = [
      ["flow", "the expression is a number, not a condition at column 1 (compare it, e.g. flow > 5)"],
      ["flow and running == 1", '"and" needs a condition but got a number at column 1 (compare it, e.g. running == 1)'],
      ["flow + (running == 1) > 0", '"+" needs a number but got a condition at column 8'],
      ["(flow > 1) < 2", '"<" compares numbers, not conditions at column 12'],
      ["(flow > 1) == 2", '"==" compares a number with a condition at column 12'],
      ["flow for 5s", "the expression is a number, not a condition at column 1 (compare it, e.g. flow > 5)"],
      [
        "(flow for 5s) or running == 1",
        '"for" needs a condition but got a number at column 2 (compare it, e.g. running == 1)',
      ],
      ["rate(flow, 10) > 0", "the window of rate() must be a duration at column 12 (e.g. 10s, 500ms or 2min)"],
      ["rate(flow, 2h) > 0", "the window of rate() must be more than 0 and at most 1h at column 12"],
      ["rate(2, 10s) > 0", "the first argument of rate() must be a point name at column 6"],
      ["stale(flow + 1)", "the first argument of stale() must be a point name at column 7"],
      ["abs(flow, 1) > 0", "abs() takes 1 argument but got 2 at column 1 (use abs(x))"],
      ["min(flow) > 0", "min() takes 2 arguments but got 1 at column 1 (use min(a, b))"],
      ["any(in.feeds, flow)", "any() needs a condition but got a number at column 15 (compare it, e.g. running == 1)"],
      [
        "any(in.feeds:Pump, running == 1 for 5s)",
        '"for" is not allowed inside a relation function at column 33 (put it outside, e.g. any(in.feeds:Pump, running == 1) for 5s)',
      ],
    ];
    for (const [when, reason] of cases) expect(whenError(when, { for: "Pump" }), when).toBe(`rules[0].when: ${reason}`);
  });

  it("checks the JSON shape with zod, and rejects duplicate ids, collecting problems from every rule", () => {
    const { rules, issues } = compileRules(
      [
        { id: "a", name: "A", for: "Pump", severity: "urgent", when: "flow > 1", message: "m" },
        { id: "b", name: "B", for: "Pump", severity: "low", message: "m" },
        rule({ id: "c" }),
        rule({ id: "c" }),
        rule({ id: "d", extra: 1 }),
        null,
      ],
      model,
    );
    expect(rules.map((r) => r.id)).toEqual(["c"]);
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(["rules[0].severity", "rules[1].when", "rules[3].id", "rules[4]", "rules[5]"]);
    expect(issues[2]!.reason).toBe('duplicate rule id "c" (also rules[2]).');
    expect(issues.every((i) => i.file === "plant.json")).toBe(true);
    expect(compileRules({ not: "an array" }, model).issues).toEqual([
      { file: "plant.json", path: "rules", reason: "must be an array of rules." },
    ]);
  });

  it("validateRules reports a plant.json's rule problems for plant:check, and nothing when it has no rules", () => {
    expect(validateRules({ id: "demo" }, model)).toEqual([]);
    expect(validateRules(null, model)).toEqual([]);
    expect(validateRules({ rules: [rule({ when: "flwo > 1" })] }, model)).toEqual([
      {
        file: "plant.json",
        path: "rules[0].when",
        reason: 'unknown point "flwo" on Pump at column 1 (did you mean "flow"?)',
      },
    ]);
  });

  it("checks a per-point deadband against the points and the comparisons it applies to", () => {
    expect(problems({ deadband: { flow: 0.5 } })).toEqual([]);
    expect(problems({ deadband: { flwo: 0.5 } })).toEqual([
      'rules[0].deadband.flwo: unknown point "flwo" on Pump (did you mean "flow"?)',
    ]);
    expect(problems({ deadband: { current: 0.5 } })).toEqual([
      'rules[0].deadband.current: no top-level comparison of "current" with a constant in "when" to apply it to.',
    ]);
    expect(problems({ deadband: -1 })[0]).toMatch(/^rules\[0\]\.deadband: /);
  });
});

describe("rule language: hostile input", () => {
  it("rejects a 10 kB expression with a clear message, quickly", () => {
    const long = Array.from({ length: 1200 }, () => "flow > 1").join(" or ");
    expect(long.length).toBeGreaterThan(10_000);
    expect(whenError(long)).toBe(`rules[0].when: expression is too long (${long.length} characters; at most 2000)`);
  });

  it("deep nesting is a clear 'too deep' error, not a stack overflow", () => {
    for (const when of [
      "(".repeat(5000) + "flow > 1" + ")".repeat(5000),
      "not ".repeat(400) + "flow > 1",
      "-".repeat(1900) + "flow > 1",
      "abs(".repeat(300) + "flow" + ")".repeat(300) + " > 1",
      Array.from({ length: 200 }, () => "flow").join(" + ") + " > 1",
    ]) {
      const p = problems({ when: when.slice(0, 2000) });
      expect(p, when.slice(0, 30)).toHaveLength(1);
      expect(p[0]).toMatch(/^rules\[0\]\.when: expression nests too deeply \(more than 48 levels\) at column \d+$/);
    }
    // Reasonable nesting is fine.
    expect(problems({ when: "(".repeat(20) + "flow > 1" + ")".repeat(20) })).toEqual([]);
  });

  it("__proto__, constructor and toString are just unknown names", () => {
    expect(whenError("__proto__ > 1")).toBe('rules[0].when: unknown point "__proto__" on Pump at column 1');
    expect(whenError("constructor > 1")).toBe('rules[0].when: unknown point "constructor" on Pump at column 1');
    expect(whenError("toString(flow) > 1")).toBe('rules[0].when: unknown function "toString" at column 1');
    expect(whenError("any(in.__proto__, true)")).toMatch(/unknown relationship "__proto__" at column 8/);
    expect(whenError("any(in.feeds:constructor, true)")).toMatch(/^rules\[0\]\.when: unknown type "constructor"/);
    expect(problems({ for: "__proto__" })[0]).toMatch(/^rules\[0\]\.for: unknown type "__proto__"/);
    expect(problems({ message: "{__proto__}" })).toEqual([
      'rules[0].message: unknown point "__proto__" on Pump at column 1',
    ]);
  });
});

describe("rule engine", () => {
  it("'for' fires only after the condition held at every evaluation for the duration, and restarts when it breaks", () => {
    const h = harness([rule({ id: "hi", for: ["P101"], when: "flow > 5 for 5s", message: "{name}: flow {flow}" })]);
    h.set("P101", "flow", 6);
    const first = h.run(3000);
    expect(first).toEqual([]);
    h.set("P101", "flow", 4); // breaks the hold
    h.run(250);
    h.set("P101", "flow", 7);
    const start = h.now();
    let firedAt = 0;
    h.run(10_000, () => {
      if (firedAt === 0 && h.isActive("hi", "P101")) firedAt = h.now() - 250;
    });
    // The hold starts at the first evaluation that saw it true (start + 250) and must last 5 s.
    expect(firedAt - start).toBe(5250);
    const t = h.log[0]!;
    expect(t).toEqual({
      rule: "hi",
      twin: "P101",
      active: true,
      at: start + 5250,
      severity: "medium",
      message: "Transfer pump P101: flow 7.00 L/s",
      values: { flow: 7 },
    });
    expect(h.engine.active()).toEqual([{ rule: "hi", twin: "P101", since: start + 5250 }]);
  });

  it("without a clear condition, clears as soon as 'when' (without its for) is false", () => {
    const h = harness([rule({ for: ["P101"], when: "flow > 5 for 2s" })]);
    h.set("P101", "flow", 6);
    h.run(3000);
    expect(h.engine.active()).toHaveLength(1);
    h.set("P101", "flow", 5);
    const out = h.run(250);
    expect(out.map((t) => t.active)).toEqual([false]);
    expect(h.engine.active()).toEqual([]);
  });

  it("an explicit clear gives hysteresis; its timer counts from activation", () => {
    const h = harness([
      rule({ id: "cav", for: ["P101"], when: "suctionPressure < 0.2 for 1s", clear: "suctionPressure > 0.3 for 2s" }),
    ]);
    h.set("P101", "suctionPressure", 0.5);
    h.run(5000); // the clear condition holds for a long time before activation…
    h.set("P101", "suctionPressure", 0.1);
    h.run(1250);
    expect(h.isActive("cav", "P101")).toBe(true);
    h.set("P101", "suctionPressure", 0.25); // between the thresholds: stays active
    h.run(10_000);
    expect(h.isActive("cav", "P101")).toBe(true);
    h.set("P101", "suctionPressure", 0.35);
    h.run(1750);
    expect(h.isActive("cav", "P101")).toBe(true); // …but must then hold 2 s after activation
    h.run(500);
    expect(h.isActive("cav", "P101")).toBe(false);
    expect(h.log.map((t) => t.active)).toEqual([true, false]);
  });

  it("a deadband: x > k turns true above k + deadband and false only below k − deadband", () => {
    const h = harness([rule({ for: ["P101"], when: "vibration > 7", deadband: 0.5 })]);
    const active = (): boolean => h.engine.active().length > 0;
    const at = (v: number): boolean => {
      h.set("P101", "vibration", v);
      h.run(250);
      return active();
    };
    expect([at(7.2), at(7.5), at(7.6), at(7.0), at(6.6), at(6.5), at(6.4), at(7.4), at(7.51)]).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
      false,
      false,
      true,
    ]);
  });

  it("a per-point deadband leaves the rule's other comparisons crisp", () => {
    const h = harness([
      rule({
        for: ["HX202"],
        when: "productFlow > 0.5 and productOutletTemperature > 8",
        deadband: { productOutletTemperature: 1 },
      }),
    ]);
    h.set("HX202", "productFlow", 2);
    h.set("HX202", "productOutletTemperature", 9.5);
    h.run(250);
    expect(h.engine.active()).toHaveLength(1);
    h.set("HX202", "productOutletTemperature", 7.5); // inside the band: still warm
    h.run(250);
    expect(h.engine.active()).toHaveLength(1);
    h.set("HX202", "productFlow", 0.4); // flow stops: no deadband on flow
    h.run(250);
    expect(h.engine.active()).toHaveLength(0);
  });

  it("rate, delta, avg and changes read the point's history over the window", () => {
    const h = harness([
      rule({ id: "rising", for: ["P101"], when: "rate(flow, 10s) > 0.9 and rate(flow, 10s) < 1.1" }),
      rule({ id: "delta", for: ["P101"], when: "delta(flow, 10s) == 10" }),
      rule({ id: "avg", for: ["P101"], when: "avg(flow, 4s) == 18" }),
      rule({ id: "flat", for: ["P101"], when: "changes(current, 5s) == 0" }),
      rule({ id: "fresh", for: ["P101"], when: "age(flow) < 1s" }),
    ]);
    // flow ramps 1 L/s per second; current is constant for a while, then changes once.
    h.run(20_000, (t) => {
      if (t % 1000 === 0) {
        h.set("P101", "flow", t / 1000);
        h.set("P101", "current", t < 12_000 ? 5 : 6);
      }
    });
    const firstOn = (id: string): number => (h.log.find((x) => x.rule === id && x.active)?.at ?? 0) - T0;
    // The window must be covered by history: history starts at 1 s, so a 10 s window is known from 11 s.
    expect(firstOn("rising")).toBe(11_000);
    expect(firstOn("delta")).toBe(11_000);
    // avg over [t-4s, t] = mean of the value in force at t-4s and the 4 samples after it: t/1000 - 2 = 18.
    expect(firstOn("avg")).toBe(20_000);
    // current constant from 1 s: the 5 s window is covered and flat at 6 s; it changes at 12 s.
    expect(firstOn("flat")).toBe(6000);
    const flat = h.log.filter((x) => x.rule === "flat").map((x) => [x.active, x.at - T0]);
    expect(flat.slice(0, 3)).toEqual([
      [true, 6000],
      [false, 12_000],
      [true, 17_000],
    ]);
    expect(h.isActive("fresh", "P101")).toBe(true);
    expect(h.isActive("rising", "P101")).toBe(true);
  });

  it("missing, stale or bad data makes every comparison false; stale() and bad() say so explicitly", () => {
    const h = harness([
      rule({ id: "gt", for: ["P101"], when: "flow > 5" }),
      rule({ id: "ne", for: ["P101"], when: "flow != 5" }),
      rule({ id: "not", for: ["P101"], when: "not (flow > 5)" }),
      rule({ id: "stale", for: ["P101"], when: "stale(flow)" }),
      rule({ id: "bad", for: ["P101"], when: "bad(flow)" }),
      rule({ id: "old", for: ["P101"], when: "age(flow) > 10s" }),
    ]);
    const active = (): string[] => h.engine.active().map((a) => a.rule);
    h.run(250);
    expect(active()).toEqual(["not", "stale"]); // no value yet
    h.set("P101", "flow", 9);
    h.run(250);
    expect(active()).toEqual(["gt", "ne"]);
    h.set("P101", "flow", 9, Quality.BAD);
    h.run(250);
    expect(active()).toEqual(["not", "bad"]);
    h.set("P101", "flow", 9, Quality.UNCERTAIN); // uncertain values are used
    h.run(250);
    expect(active()).toEqual(["gt", "ne"]);
    h.run(11_000);
    expect(active()).toEqual(["gt", "ne", "old"]);
    h.twin.checkStale(h.now());
    h.run(250);
    expect(active()).toEqual(["not", "stale", "old"]);
  });

  it("relations: any/all/count/maxof/minof over in/out neighbours, and upstream/downstream walks to a type", () => {
    const h = harness([
      rule({ id: "dry", for: "Tank", when: "level < 15 and any(downstream:Pump, running == 1)" }),
      rule({ id: "nosupply", for: "Tank", when: "all(upstream:Pump, running == 0)" }),
      rule({ id: "two", for: "Tank", when: "count(upstream:Pump, running == 1) == 2" }),
      rule({ id: "hot", for: "Tank", when: "maxof(in.feeds, temperature) > 50" }),
      rule({ id: "cold", for: "Tank", when: "minof(upstream:Pump, bearingTemperature) < 10" }),
      rule({ id: "blocked", for: "Filler", when: "any(out.feeds:Conveyor, accumulation > 90) == true" }),
      rule({ id: "idle", for: "Tank", when: "any(in.feeds:Pump, running == 1) == false and level < 50" }),
    ]);
    const on = (id: string): string[] =>
      h.engine
        .active()
        .filter((a) => a.rule === id)
        .map((a) => a.twin);
    for (const p of ["P101", "P102", "P103", "P201", "P301", "P302", "P401"]) h.set(p, "running", 0);
    for (const t of ["T101", "T201", "T301"]) h.set(t, "level", 12);
    h.set("P101", "running", 1); // draws from T101 (through XV101); P401 also draws from T101, directly
    h.set("P102", "running", 1);
    h.set("L401", "temperature", 60); // the CIP return pipe feeds T101 directly
    h.set("P401", "bearingTemperature", 5);
    h.set("CV12", "accumulation", 95);
    h.run(250);
    expect(on("dry")).toEqual(["T101"]);
    // T201 is fed by P101, P102, P103 through lines; T301 by P201 through the HX train and XV301.
    expect(on("nosupply")).toEqual(expect.arrayContaining(["T301", "T302"]));
    expect(on("nosupply")).not.toContain("T201");
    expect(on("two")).toEqual(["T201"]);
    expect(on("hot")).toEqual(["T101"]);
    expect(on("cold")).toEqual(["T101"]); // upstream of T101: L401 → P401
    expect(on("blocked")).toEqual(["FL1"]);
    expect(on("idle")).toEqual(["T101", "T201", "T301"]); // no pump feeds a tank directly in the demo
    const dry = h.log.find((t) => t.rule === "dry")!;
    expect(dry.values).toEqual({ level: 12, "P101/running": 1, "P401/running": 0 });
  });

  it("formats message placeholders with the point's decimals and unit, or its state name", () => {
    const h = harness([
      rule({
        for: ["FL1"],
        when: "state == 3",
        message: "{id} ({name}) is {state} at {speed}; bowl {bowlLevel}, {co2Pressure}",
      }),
    ]);
    h.set("FL1", "state", 3);
    h.set("FL1", "speed", 12.4);
    h.set("FL1", "bowlLevel", 55.55);
    const [t] = h.run(250);
    expect(t!.message).toMatch(/^FL1 \(Line 1 filler\) is blocked at 12 \S+; bowl 55\.[56] %, — *$/);
  });

  it("counts its instances and does not depend on evaluation frequency beyond the tick", () => {
    const defs = [rule({ for: "Pump", when: "flow > 5 for 3s" })];
    const a = harness(defs);
    expect(a.engine.instanceCount).toBe(model.twins.filter((t) => t.type.includes(":Pump;")).length);
    const b = harness(defs);
    a.set("P101", "flow", 6);
    b.set("P101", "flow", 6);
    a.run(10_000);
    // b is evaluated once a second instead of every 250 ms
    let fired = 0;
    for (let t = 1000; t <= 10_000; t += 1000) {
      if (b.engine.evaluate(T0 + t).length > 0) fired = t;
    }
    expect(a.log[0]!.at - T0).toBe(3250);
    expect(fired).toBe(4000);
  });
});

describe("rule engine after a restart (restoreActive)", () => {
  it("a rule alarm active at shutdown clears on the first fresh samples that meet its clear condition", () => {
    const h = harness([rule({ id: "lowflow", when: "flow < 5", clear: "flow > 8" })]);
    expect(h.engine.restoreActive("lowflow", "P101", T0 - 60_000)).toBe(true);
    expect(h.isActive("lowflow", "P101")).toBe(true);
    // No data yet: absence of evidence is not a return to normal.
    expect(h.run(2000)).toEqual([]);
    expect(h.isActive("lowflow", "P101")).toBe(true);
    h.set("P101", "flow", 6); // neither condition: stays active
    expect(h.run(500)).toEqual([]);
    h.set("P101", "flow", 9);
    const out = h.run(250);
    expect(out.map((t) => [t.rule, t.twin, t.active])).toEqual([["lowflow", "P101", false]]);
    expect(h.isActive("lowflow", "P101")).toBe(false);
  });

  it("a restored rule alarm whose condition still holds stays active without a second activation", () => {
    const h = harness([rule({ id: "lowflow", when: "flow < 5" })]);
    h.engine.restoreActive("lowflow", "P101", T0 - 60_000);
    h.set("P101", "flow", 1);
    expect(h.run(1000)).toEqual([]);
    expect(h.isActive("lowflow", "P101")).toBe(true);
  });

  it("a stale input does not clear a restored rule alarm; unknown rules and twins are not restored", () => {
    const h = harness([rule({ id: "lowflow", when: "flow < 5" })]);
    h.engine.restoreActive("lowflow", "P101", T0);
    h.set("P101", "flow", 9, Quality.BAD);
    expect(h.run(500)).toEqual([]);
    expect(h.isActive("lowflow", "P101")).toBe(true);
    expect(h.engine.restoreActive("nope", "P101", T0)).toBe(false);
    expect(h.engine.restoreActive("lowflow", "NOPE", T0)).toBe(false);
  });
});
