/** The rule language and engine: events from connected behaviour (docs/RULES.md). */
export { RuleDef, RuleSeverity } from "./RuleDef.ts";
export { compileRules, validateRules, type CompiledRule, type MessagePart } from "./compileRules.ts";
export { RuleEngine, formatPointValue, type RuleTransition } from "./RuleEngine.ts";
export { RuleSyntaxError } from "./tokenize.ts";
