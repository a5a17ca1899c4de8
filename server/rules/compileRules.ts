/**
 * Compile plant.json's "rules" into checked rules for the RuleEngine, collecting
 * every problem as a PlantIssue (file "plant.json", path "rules[i].when" etc.,
 * reason with the column). A rule with any problem is left out; the others compile.
 */
import type { PlantModel, TypeDef } from "../../shared/plant.ts";
import type { PlantIssue } from "../plant/PlantError.ts";
import { Checker, MAX_FOR_MS, PlantVocabulary, suggest, type BoolNode, type Scope } from "./check.ts";
import { parseExpression } from "./parse.ts";
import { RuleDef, type RuleSeverity } from "./RuleDef.ts";
import { RuleSyntaxError } from "./tokenize.ts";

export type MessagePart = { k: "text"; text: string } | { k: "point"; name: string } | { k: "name" } | { k: "id" };

export interface CompiledRule {
  readonly id: string;
  readonly name: string;
  readonly severity: RuleSeverity;
  /** Twin ids with one instance each, in model order for a type rule. */
  readonly twins: readonly string[];
  /** "when" without its top-level "for". */
  readonly when: BoolNode;
  /** The top-level "for" of "when" in ms (0 when none). */
  readonly whenForMs: number;
  /** The explicit clear condition; null: clear when `when` (without its for) is false. */
  readonly clear: BoolNode | null;
  readonly message: readonly MessagePart[];
  /** State slots an instance needs: "for" timers and deadband comparisons. */
  readonly timerSlots: number;
  /** Timer slots [0, whenTimerSlots) belong to "when", the rest to "clear". */
  readonly whenTimerSlots: number;
  readonly hysteresisSlots: number;
  readonly source: { readonly when: string; readonly clear: string | null };
}

function zodPath(p: readonly PropertyKey[]): string {
  return p.map((k) => (typeof k === "number" ? `[${k}]` : `.${String(k)}`)).join("");
}

function issueFrom(path: string, e: unknown): PlantIssue {
  if (e instanceof RuleSyntaxError) return { file: "plant.json", path, reason: e.message };
  throw e;
}

/** Split a message template into text and {placeholder} parts; unknown placeholders are issues. */
function compileMessage(text: string, scope: Scope, checker: Checker): MessagePart[] {
  const parts: MessagePart[] = [];
  let lit = "";
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{", i);
    if (open < 0) break;
    const close = text.indexOf("}", open + 1);
    if (close < 0) break;
    const name = text.slice(open + 1, close).trim();
    const isName = name.length > 0 && /^[A-Za-z_][\w.]*$/.test(name);
    if (!isName) {
      // Not a placeholder: keep the brace as text and continue after it.
      lit += text.slice(i, open + 1);
      i = open + 1;
      continue;
    }
    lit += text.slice(i, open);
    if (lit) parts.push({ k: "text", text: lit });
    lit = "";
    if (name === "name" || name === "id") parts.push({ k: name });
    else {
      checker.point(name, open + 1, scope);
      parts.push({ k: "point", name });
    }
    i = close + 1;
  }
  lit += text.slice(i);
  if (lit) parts.push({ k: "text", text: lit });
  return parts;
}

/** Resolve a rule's "for" to its twins and the types their points are checked against. */
function resolveTargets(
  def: RuleDef,
  model: PlantModel,
  vocab: PlantVocabulary,
  at: string,
  issues: PlantIssue[],
): { twins: string[]; types: TypeDef[] } | null {
  const typeById = new Map(model.types.map((t) => [t.id, t]));
  if (typeof def.for === "string") {
    const types = vocab.typesByName.get(def.for);
    if (!types) {
      const names = vocab.shortNames();
      const hint = suggest(def.for, names);
      issues.push({
        file: "plant.json",
        path: `${at}.for`,
        reason: `unknown type "${def.for}" (${hint || `the plant has: ${names.join(", ")}`})`,
      });
      return null;
    }
    const ids = new Set(types.map((t) => t.id));
    return { twins: model.twins.filter((t) => ids.has(t.type)).map((t) => t.id), types };
  }
  const twinById = new Map(model.twins.map((t) => [t.id, t]));
  const types = new Map<string, TypeDef>();
  let ok = true;
  def.for.forEach((id, j) => {
    const tw = twinById.get(id);
    const type = tw ? typeById.get(tw.type) : undefined;
    if (!tw || !type) {
      const hint = suggest(id, twinById.keys());
      issues.push({
        file: "plant.json",
        path: `${at}.for[${j}]`,
        reason: `unknown twin "${id}"${hint ? ` (${hint})` : ""}`,
      });
      ok = false;
    } else types.set(type.id, type);
  });
  if (!ok) return null;
  return { twins: [...new Set(def.for)], types: [...types.values()] };
}

export function compileRules(raw: unknown, model: PlantModel): { rules: CompiledRule[]; issues: PlantIssue[] } {
  const issues: PlantIssue[] = [];
  const rules: CompiledRule[] = [];
  if (raw === undefined) return { rules, issues };
  if (!Array.isArray(raw)) {
    issues.push({ file: "plant.json", path: "rules", reason: "must be an array of rules." });
    return { rules, issues };
  }
  const vocab = new PlantVocabulary(model);
  const seen = new Map<string, number>();
  raw.forEach((item: unknown, i) => {
    const at = `rules[${i}]`;
    const parsed = RuleDef.safeParse(item);
    if (!parsed.success) {
      for (const z of parsed.error.issues)
        issues.push({ file: "plant.json", path: at + zodPath(z.path), reason: z.message });
      return;
    }
    const def = parsed.data;
    const before = issues.length;
    const first = seen.get(def.id);
    if (first !== undefined) {
      issues.push({
        file: "plant.json",
        path: `${at}.id`,
        reason: `duplicate rule id "${def.id}" (also rules[${first}]).`,
      });
    } else seen.set(def.id, i);
    const targets = resolveTargets(def, model, vocab, at, issues);
    if (!targets) return;
    const scope: Scope = { types: targets.types, every: true, inRelation: false };
    const deadband =
      def.deadband === undefined
        ? 0
        : typeof def.deadband === "number"
          ? def.deadband
          : new Map(Object.entries(def.deadband));
    if (deadband instanceof Map) {
      for (const name of deadband.keys()) {
        try {
          new Checker(vocab, 0).point(name, 0, scope);
        } catch (e) {
          issues.push(issueFrom(`${at}.deadband.${name}`, e));
        }
      }
    }
    const checker = new Checker(vocab, deadband);

    let when: BoolNode | undefined;
    let whenForMs = 0;
    try {
      const ast = parseExpression(def.when);
      if (ast.k === "for") {
        whenForMs = ast.ms;
        when = checker.condition(ast.e, scope, true);
        if (whenForMs > MAX_FOR_MS) throw new RuleSyntaxError('a "for" duration is at most 24h', ast.col);
      } else when = checker.condition(ast, scope, true);
    } catch (e) {
      issues.push(issueFrom(`${at}.when`, e));
    }
    const whenTimerSlots = checker.timers;
    if (when && deadband instanceof Map) {
      for (const name of deadband.keys()) {
        if (!checker.deadbandUsed.has(name) && issues.length === before) {
          issues.push({
            file: "plant.json",
            path: `${at}.deadband.${name}`,
            reason: `no top-level comparison of "${name}" with a constant in "when" to apply it to.`,
          });
        }
      }
    }
    let clear: BoolNode | null = null;
    if (def.clear !== undefined) {
      try {
        clear = checker.condition(parseExpression(def.clear), scope, false);
      } catch (e) {
        issues.push(issueFrom(`${at}.clear`, e));
      }
    }
    let message: MessagePart[] = [];
    try {
      message = compileMessage(def.message, scope, checker);
    } catch (e) {
      issues.push(issueFrom(`${at}.message`, e));
    }
    if (issues.length > before || !when) return;
    rules.push({
      id: def.id,
      name: def.name,
      severity: def.severity,
      twins: targets.twins,
      when,
      whenForMs,
      clear,
      message,
      timerSlots: checker.timers,
      whenTimerSlots,
      hysteresisSlots: checker.hysteresis,
      source: { when: def.when, clear: def.clear ?? null },
    });
  });
  return { rules, issues };
}

/** For `plant:check`: the problems in a plant.json's "rules" (none when it has no rules). */
export function validateRules(rawPlantJson: unknown, model: PlantModel): PlantIssue[] {
  if (typeof rawPlantJson !== "object" || rawPlantJson === null || Array.isArray(rawPlantJson)) return [];
  if (!Object.hasOwn(rawPlantJson, "rules")) return [];
  return compileRules((rawPlantJson as { rules?: unknown }).rules, model).issues;
}
