/**
 * The rule language's tokenizer: a hand-written scanner over the expression text
 * (no regular expressions built from input, no eval). Every token carries its
 * 1-based column so errors can point at it. See docs/RULES.md for the language.
 */

export type TokenKind = "num" | "dur" | "ident" | "op" | "eof";

export interface Token {
  kind: TokenKind;
  /** The source text ("10s", "flow", "<="). */
  text: string;
  /** Numbers: the value; durations: milliseconds. */
  value: number;
  /** 1-based column of the first character. */
  col: number;
}

/** A problem in a rule expression, with the 1-based column it was found at (0 when it concerns the whole text). */
export class RuleSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly col: number,
    /** A suggestion shown after the position, e.g. 'did you mean "flow"?'. */
    readonly hint = "",
  ) {
    super(`${reason}${col > 0 ? ` at column ${col}` : ""}${hint ? ` (${hint})` : ""}`);
    this.name = "RuleSyntaxError";
  }
}

/** Longest expression accepted: a rule is a sentence, not a program; bounds tokenizer and parser work. */
export const MAX_EXPRESSION_LENGTH = 2000;

const UNIT_MS: ReadonlyMap<string, number> = new Map([
  ["ms", 1],
  ["s", 1000],
  ["min", 60_000],
  ["h", 3_600_000],
]);

const TWO_CHAR_OPS = new Set(["<=", ">=", "==", "!="]);
const ONE_CHAR_OPS = new Set(["+", "-", "*", "/", "(", ")", ",", ".", ":", "<", ">"]);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c);

export function tokenize(src: string): Token[] {
  if (src.length > MAX_EXPRESSION_LENGTH) {
    throw new RuleSyntaxError(`expression is too long (${src.length} characters; at most ${MAX_EXPRESSION_LENGTH})`, 0);
  }
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    const col = i + 1;
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(i + 1)))) {
      const start = i;
      while (isDigit(src.charCodeAt(i))) i++;
      if (src.charCodeAt(i) === 46) {
        i++;
        while (isDigit(src.charCodeAt(i))) i++;
      }
      // Exponent only when digits follow ("1e3", "2.5e-2"); "1min" and "10ms" are durations.
      const e = src.charCodeAt(i);
      if (e === 101 || e === 69) {
        let j = i + 1;
        const sign = src.charCodeAt(j);
        if (sign === 43 || sign === 45) j++;
        if (isDigit(src.charCodeAt(j))) {
          while (isDigit(src.charCodeAt(j))) j++;
          i = j;
        }
      }
      const numText = src.slice(start, i);
      const value = Number(numText);
      if (!Number.isFinite(value)) throw new RuleSyntaxError(`number "${numText}" is out of range`, col);
      if (isIdentStart(src.charCodeAt(i))) {
        const u0 = i;
        while (isIdentPart(src.charCodeAt(i))) i++;
        const unit = src.slice(u0, i);
        const ms = UNIT_MS.get(unit);
        if (ms === undefined) {
          throw new RuleSyntaxError(`unknown unit "${unit}" after ${numText}`, u0 + 1, "use ms, s, min or h");
        }
        out.push({ kind: "dur", text: src.slice(start, i), value: value * ms, col });
      } else {
        out.push({ kind: "num", text: numText, value, col });
      }
      continue;
    }
    if (isIdentStart(c)) {
      const start = i;
      while (isIdentPart(src.charCodeAt(i))) i++;
      out.push({ kind: "ident", text: src.slice(start, i), value: 0, col });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      out.push({ kind: "op", text: two, value: 0, col });
      i += 2;
      continue;
    }
    if (two === "&&" || two === "||") {
      throw new RuleSyntaxError(`unexpected "${two}"`, col, `write ${two === "&&" ? "and" : "or"}`);
    }
    const one = src[i]!;
    if (ONE_CHAR_OPS.has(one)) {
      out.push({ kind: "op", text: one, value: 0, col });
      i++;
      continue;
    }
    if (one === "=") throw new RuleSyntaxError('unexpected "="', col, "compare with ==");
    if (one === "!") throw new RuleSyntaxError('unexpected "!"', col, "write not, or != to compare");
    // Show a printable character; describe anything else by its code point.
    const shown = c >= 33 && c <= 126 ? `"${one}"` : `character U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
    throw new RuleSyntaxError(`unexpected ${shown}`, col);
  }
  out.push({ kind: "eof", text: "", value: 0, col: src.length + 1 });
  return out;
}
