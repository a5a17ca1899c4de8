/**
 * The rule language's recursive-descent parser: tokens → an untyped syntax tree
 * with columns. Precedence, loosest first:
 *
 *   expr    := or ("for" DURATION)?            -- "for" binds looser than "or"
 *   or      := and ("or" and)*
 *   and     := not ("and" not)*
 *   not     := "not" not | compare
 *   compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?   -- does not chain
 *   sum     := product (("+" | "-") product)*
 *   product := unary (("*" | "/") unary)*
 *   unary   := "-" unary | primary
 *   primary := NUMBER | DURATION | "true" | "false" | point | call | "(" expr ")"
 *   point   := IDENT ("." IDENT)*               -- component points are dotted
 *   call    := IDENT "(" (arg ("," arg)*)? ")"  -- the first arg of any/all/count/maxof/minof is a relation
 *   rel     := ("in" | "out") "." NAME (":" TYPE)? | ("upstream" | "downstream") ("." NAME)? (":" TYPE)?
 *
 * Nesting is bounded (MAX_DEPTH) so hostile input gets a "too deep" error, never a stack overflow.
 * Types, names and arities are checked later (check.ts).
 */
import { RuleSyntaxError, tokenize, type Token } from "./tokenize.ts";

export type BinaryOp = "+" | "-" | "*" | "/" | "<" | "<=" | ">" | ">=" | "==" | "!=" | "and" | "or";
export type RelDir = "in" | "out" | "upstream" | "downstream";

/** col: where the node's operator or name is; start: its first character (an opening parenthesis included). */
interface At {
  col: number;
  start: number;
  /** Depth of the tree below this node. */
  d: number;
}
export type Expr =
  | ({ k: "num"; value: number } & At)
  | ({ k: "dur"; ms: number; text: string } & At)
  | ({ k: "bool"; value: boolean } & At)
  | ({ k: "ref"; name: string } & At)
  | ({ k: "neg" | "not"; e: Expr } & At)
  | ({ k: "binary"; op: BinaryOp; a: Expr; b: Expr } & At)
  | ({ k: "for"; e: Expr; ms: number } & At)
  | ({ k: "call"; fn: string; args: Arg[] } & At);

export interface RelExpr extends At {
  k: "rel";
  dir: RelDir;
  /** Relationship name; null for upstream/downstream without one (they walk "feeds"). */
  name: string | null;
  nameCol: number;
  /** Type short name filter, or null. */
  type: string | null;
  typeCol: number;
}
export type Arg = Expr | RelExpr;

/** Deepest nesting accepted (parentheses, calls, unary operators and operator chains all count). */
export const MAX_DEPTH = 48;

export const RELATION_FUNCTIONS: ReadonlySet<string> = new Set(["any", "all", "count", "maxof", "minof"]);
const KEYWORDS = new Set(["and", "or", "not", "for", "true", "false"]);
const COMPARE = new Set(["<", "<=", ">", ">=", "==", "!="]);

export function parseExpression(src: string): Expr {
  return new Parser(tokenize(src)).parseAll();
}

function describe(t: Token): string {
  return t.kind === "eof" ? "end of expression" : `"${t.text}"`;
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.i]!;
  }
  private next(): Token {
    const t = this.toks[this.i]!;
    if (t.kind !== "eof") this.i++;
    return t;
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === "op" && t.text === text;
  }
  private isWord(text: string): boolean {
    const t = this.peek();
    return t.kind === "ident" && t.text === text;
  }
  private tooDeep(col: number): never {
    throw new RuleSyntaxError(`expression nests too deeply (more than ${MAX_DEPTH} levels)`, col);
  }
  /** Guard recursion before descending (parentheses, unary chains). */
  private enter(col: number): void {
    if (++this.depth > MAX_DEPTH) this.tooDeep(col);
  }
  private leave(): void {
    this.depth--;
  }
  /** Guard the built tree's depth (operator chains are parsed iteratively but evaluated recursively). */
  private node<T extends Expr | RelExpr>(n: T): T {
    if (n.d > MAX_DEPTH) this.tooDeep(n.col);
    return n;
  }

  parseAll(): Expr {
    const e = this.parseExpr();
    const t = this.peek();
    if (t.kind !== "eof") {
      const hint =
        t.kind === "ident" && t.text === "for"
          ? "one for per condition; use parentheses to nest them"
          : t.kind === "ident" && (t.text === "and" || t.text === "or") && e.k === "for"
            ? `"for" binds looser than "${t.text}"; put the "... for" part in parentheses`
            : "";
      throw new RuleSyntaxError(`unexpected ${describe(t)}`, t.col, hint);
    }
    return e;
  }

  private parseExpr(): Expr {
    const start = this.peek();
    this.enter(start.col);
    const e = this.parseOr();
    let out = e;
    if (this.isWord("for")) {
      const kw = this.next();
      const t = this.next();
      if (t.kind !== "dur") {
        throw new RuleSyntaxError(`expected a duration like 5s after "for" but found ${describe(t)}`, t.col);
      }
      out = this.node({ k: "for", e, ms: t.value, col: kw.col, start: e.start, d: e.d + 1 });
    }
    this.leave();
    return out;
  }

  private parseOr(): Expr {
    let a = this.parseAnd();
    while (this.isWord("or")) {
      const op = this.next();
      const b = this.parseAnd();
      a = this.node({ k: "binary", op: "or", a, b, col: op.col, start: a.start, d: Math.max(a.d, b.d) + 1 });
    }
    return a;
  }

  private parseAnd(): Expr {
    let a = this.parseNot();
    while (this.isWord("and")) {
      const op = this.next();
      const b = this.parseNot();
      a = this.node({ k: "binary", op: "and", a, b, col: op.col, start: a.start, d: Math.max(a.d, b.d) + 1 });
    }
    return a;
  }

  private parseNot(): Expr {
    if (this.isWord("not")) {
      const op = this.next();
      this.enter(op.col);
      const e = this.parseNot();
      this.leave();
      return this.node({ k: "not", e, col: op.col, start: op.col, d: e.d + 1 });
    }
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const a = this.parseSum();
    const t = this.peek();
    if (t.kind !== "op" || !COMPARE.has(t.text)) return a;
    this.next();
    const b = this.parseSum();
    const again = this.peek();
    if (again.kind === "op" && COMPARE.has(again.text)) {
      throw new RuleSyntaxError("comparisons do not chain", again.col, "write a < b and b < c");
    }
    const d = Math.max(a.d, b.d) + 1;
    return this.node({ k: "binary", op: t.text as BinaryOp, a, b, col: t.col, start: a.start, d });
  }

  private parseSum(): Expr {
    let a = this.parseProduct();
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.next();
      const b = this.parseProduct();
      a = this.node({
        k: "binary",
        op: op.text as BinaryOp,
        a,
        b,
        col: op.col,
        start: a.start,
        d: Math.max(a.d, b.d) + 1,
      });
    }
    return a;
  }

  private parseProduct(): Expr {
    let a = this.parseUnary();
    while (this.isOp("*") || this.isOp("/")) {
      const op = this.next();
      const b = this.parseUnary();
      a = this.node({
        k: "binary",
        op: op.text as BinaryOp,
        a,
        b,
        col: op.col,
        start: a.start,
        d: Math.max(a.d, b.d) + 1,
      });
    }
    return a;
  }

  private parseUnary(): Expr {
    if (this.isOp("-")) {
      const op = this.next();
      this.enter(op.col);
      const e = this.parseUnary();
      this.leave();
      if (e.k === "num") return { k: "num", value: -e.value, col: op.col, start: op.col, d: e.d };
      return this.node({ k: "neg", e, col: op.col, start: op.col, d: e.d + 1 });
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case "num":
        return { k: "num", value: t.value, col: t.col, start: t.col, d: 0 };
      case "dur":
        return { k: "dur", ms: t.value, text: t.text, col: t.col, start: t.col, d: 0 };
      case "ident": {
        if (t.text === "true" || t.text === "false")
          return { k: "bool", value: t.text === "true", col: t.col, start: t.col, d: 0 };
        if (KEYWORDS.has(t.text)) throw new RuleSyntaxError(`unexpected "${t.text}"`, t.col);
        if (this.isOp("(")) return this.parseCall(t);
        let name = t.text;
        while (this.isOp(".")) {
          this.next();
          const part = this.next();
          if (part.kind !== "ident") {
            throw new RuleSyntaxError(`expected a name after "." but found ${describe(part)}`, part.col);
          }
          name += `.${part.text}`;
        }
        return { k: "ref", name, col: t.col, start: t.col, d: 0 };
      }
      case "op":
        if (t.text === "(") {
          const e = this.parseExpr();
          this.close(t);
          return { ...e, start: t.col };
        }
        throw new RuleSyntaxError(`unexpected ${describe(t)}`, t.col);
      case "eof":
        throw new RuleSyntaxError("unexpected end of expression", t.col);
    }
  }

  private close(open: Token): void {
    const t = this.next();
    if (t.kind === "op" && t.text === ")") return;
    throw new RuleSyntaxError(`expected ")" but found ${describe(t)}`, t.col, `to close the "(" at column ${open.col}`);
  }

  private parseCall(name: Token): Expr {
    const open = this.next(); // "("
    this.enter(open.col);
    const args: Arg[] = [];
    if (!this.isOp(")")) {
      for (;;) {
        args.push(args.length === 0 && RELATION_FUNCTIONS.has(name.text) ? this.parseRel() : this.parseExpr());
        if (!this.isOp(",")) break;
        this.next();
      }
    }
    this.close(open);
    this.leave();
    const d = args.reduce((m, a) => Math.max(m, a.d), 0) + 1;
    return this.node({ k: "call", fn: name.text, args, col: name.col, start: name.col, d });
  }

  private parseRel(): RelExpr {
    const t = this.next();
    const dir = t.text;
    if (t.kind !== "ident" || (dir !== "in" && dir !== "out" && dir !== "upstream" && dir !== "downstream")) {
      throw new RuleSyntaxError(
        `expected a relation like in.feeds, out.feeds:Pump or upstream:Pump but found ${describe(t)}`,
        t.col,
      );
    }
    let name: string | null = null;
    let nameCol = t.col;
    if (this.isOp(".")) {
      this.next();
      const n = this.next();
      if (n.kind !== "ident") {
        throw new RuleSyntaxError(`expected a relationship name after "${dir}." but found ${describe(n)}`, n.col);
      }
      name = n.text;
      nameCol = n.col;
    } else if (dir === "in" || dir === "out") {
      throw new RuleSyntaxError(`expected "." and a relationship name after "${dir}"`, t.col, `e.g. ${dir}.feeds`);
    }
    let type: string | null = null;
    let typeCol = 0;
    if (this.isOp(":")) {
      this.next();
      const n = this.next();
      if (n.kind !== "ident")
        throw new RuleSyntaxError(`expected a type name after ":" but found ${describe(n)}`, n.col);
      type = n.text;
      typeCol = n.col;
    }
    return { k: "rel", dir, name, nameCol, type, typeCol, col: t.col, start: t.col, d: 0 };
  }
}
