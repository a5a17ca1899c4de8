/**
 * Field paths into a JSON message, as a plant engineer writes them in plant.json.
 *
 *   data.level            keys separated by dots
 *   values[0]             an array element
 *   ["Tank 1.Level"].v    a key with any characters (spaces, dots, ";", "=") in brackets and
 *                         double quotes, JSON string escapes allowed; ['...'] works too
 *   $                     the whole message (a bare number, or the object itself)
 *
 * or the explicit list form `["Tank 1.Level", "v"]` / `["values", 0]`: one element per step,
 * strings are keys taken literally, integers are array indices.
 *
 * Paths are compiled once (at load) into steps; reading a path allocates nothing.
 */

export type PathStep = string | number;
export type FieldPathSpec = string | readonly PathStep[];

export class PathSyntaxError extends Error {}

/** Compile a path; throws PathSyntaxError with a sentence naming the problem. */
export function compilePath(spec: FieldPathSpec): PathStep[] {
  if (typeof spec !== "string") {
    if (spec.length === 0) throw new PathSyntaxError("an empty list selects nothing");
    for (const s of spec) {
      if (typeof s === "number" && !(Number.isInteger(s) && s >= 0))
        throw new PathSyntaxError(`list step ${s} is not an array index (0, 1, 2, ...)`);
    }
    return [...spec];
  }
  if (spec === "$") return [];
  if (spec.length === 0) throw new PathSyntaxError("an empty path selects nothing");
  const steps: PathStep[] = [];
  let i = 0;
  let afterStep = false;
  while (i < spec.length) {
    const c = spec[i]!;
    if (c === ".") {
      if (!afterStep) throw new PathSyntaxError(`unexpected "." at position ${i + 1}`);
      i++;
      afterStep = false;
      if (i >= spec.length || spec[i] === "." || spec[i] === "[")
        throw new PathSyntaxError(`a "." must be followed by a key (position ${i})`);
      continue;
    }
    if (c === "[") {
      const q = spec[i + 1];
      if (q === '"' || q === "'") {
        // Find the closing quote, honouring backslash escapes.
        let j = i + 2;
        while (j < spec.length && spec[j] !== q) j += spec[j] === "\\" ? 2 : 1;
        if (j >= spec.length || spec[j + 1] !== "]")
          throw new PathSyntaxError(`unclosed [${q}...${q}] starting at position ${i + 1}`);
        const body = spec.slice(i + 2, j);
        let key: string;
        try {
          key = JSON.parse(q === '"' ? `"${body}"` : `"${body.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
        } catch {
          throw new PathSyntaxError(`the quoted key at position ${i + 1} has a bad escape`);
        }
        steps.push(key);
        i = j + 2;
      } else {
        const close = spec.indexOf("]", i);
        const idx = spec.slice(i + 1, close);
        if (close < 0 || !/^\d{1,9}$/.test(idx))
          throw new PathSyntaxError(
            `[${idx}] at position ${i + 1} is neither an index like [0] nor a quoted key like ["a b"]`,
          );
        steps.push(Number(idx));
        i = close + 1;
      }
      afterStep = true;
      continue;
    }
    if (afterStep) throw new PathSyntaxError(`expected "." or "[" at position ${i + 1}`);
    let j = i;
    while (j < spec.length && spec[j] !== "." && spec[j] !== "[" && spec[j] !== "]") j++;
    if (j < spec.length && spec[j] === "]") throw new PathSyntaxError(`unexpected "]" at position ${j + 1}`);
    steps.push(spec.slice(i, j));
    i = j;
    afterStep = true;
  }
  return steps;
}

/** Writes a path back in the string syntax (for messages). */
export function formatPath(steps: readonly PathStep[]): string {
  if (steps.length === 0) return "$";
  let s = "";
  for (const st of steps) {
    if (typeof st === "number") s += `[${st}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(st)) s += s === "" ? st : `.${st}`;
    else s += `[${JSON.stringify(st)}]`;
  }
  return s;
}

/** The value at a compiled path, or undefined. Own properties only (no __proto__ or prototype walks). */
export function readPath(doc: unknown, steps: readonly PathStep[]): unknown {
  let cur = doc;
  for (let i = 0; i < steps.length; i++) {
    const k = steps[i]!;
    if (cur === null || typeof cur !== "object") return undefined;
    if (typeof k === "number") {
      if (!Array.isArray(cur) || k >= cur.length) return undefined;
      cur = cur[k] as unknown;
    } else {
      if (Array.isArray(cur) || !Object.hasOwn(cur, k)) return undefined;
      cur = (cur as Record<string, unknown>)[k];
    }
  }
  return cur;
}
