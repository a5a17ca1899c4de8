/**
 * A title too long for a wrist row's one line, wrapped at a word onto the line below it, so the row still says what
 * it is ("P101 Speed drifting" over "+200 rpm/min · …") rather than losing its end to the panel's edge. An arrow or a
 * number stays with the word after it ("→ 1450 rpm", "at 2800 rpm", "+200 rpm/min"): a value is never split from its unit.
 */

/** An arrow, "at" or a number: it belongs with the next word ("stuck" over "at 2800 rpm"). */
const BINDS = /^(?:→|at|[+\-−]?\d[\d.,]*)$/;

export function wrapTitle(words: string, max: number): { title: string; rest: string } {
  if (words.length <= max) return { title: words, rest: "" };
  const chunks: string[] = [];
  for (const w of words.split(" ")) {
    const last = chunks.at(-1);
    if (last !== undefined && BINDS.test(last.slice(last.lastIndexOf(" ") + 1)))
      chunks[chunks.length - 1] = `${last} ${w}`;
    else chunks.push(w);
  }
  let n = 1;
  while (n < chunks.length && chunks.slice(0, n + 1).join(" ").length <= max) n++;
  const first = chunks.slice(0, n).join(" ");
  // One chunk longer than the line (a very long asset name): shortened, its end on the next line.
  if (first.length > max)
    return { title: `${first.slice(0, max - 1)}…`, rest: [first.slice(max - 1), ...chunks.slice(n)].join(" ") };
  return { title: first, rest: chunks.slice(n).join(" ") };
}
