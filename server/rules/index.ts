/**
 * Rules: events from connected behaviour (full reference: docs/RULES.md).
 *
 * A rule in plant.json's "rules" runs once per twin of its type (or listed twin):
 *   { "id", "name", "for": "Pump" | ["P101"], "severity", "when", "clear"?, "message", "deadband"? }
 *
 * The language (grammar in parse.ts):
 *   - numbers 0.2 -3 1e3; durations 500ms 10s 2min 1h (seconds when used as a number); true false
 *   - point names of the rule's type (dotted for component points); + - * /; < <= > >= == != (no chaining);
 *     not, and, or; "cond for 5s" binds loosest and may be parenthesised
 *   - abs min max; rate(p, w) (least-squares slope per second), delta(p, w), avg(p, w), changes(p, w);
 *     stale(p), bad(p), age(p) (seconds since the source timestamp)
 *   - any/all/count(rel, cond), maxof/minof(rel, expr) with rel = in.<name> | out.<name> |
 *     upstream[.<name>] | downstream[.<name>] (transitive over feeds by default), optionally ":Type";
 *     bare names inside refer to the related twin
 *
 * Semantics: a point with no value, stale or bad has no value, and every comparison with no value is false
 * ("!=" included). "for" needs the condition at every evaluation for the duration. clear defaults to
 * "when is false" (without its top-level for). A deadband gives the top-level ordered comparisons of
 * "when" hysteresis. Windows are unknown until history covers them.
 */
export { RuleDef, RuleSeverity } from "./RuleDef.ts";
export { compileRules, validateRules, type CompiledRule, type MessagePart } from "./compileRules.ts";
export { RuleEngine, formatPointValue, type RuleTransition } from "./RuleEngine.ts";
export { RuleSyntaxError } from "./tokenize.ts";
