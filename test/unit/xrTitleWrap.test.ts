/** Long titles on the wrist wrap at a word and keep a value with its unit (client/xr/titleWrap.ts). */
import { describe, expect, it } from "vitest";
import { wrapTitle } from "../../client/xr/titleWrap.ts";

describe("a wrist row's title", () => {
  it("fits: unchanged", () => {
    expect(wrapTitle("P101 Speed → 1450 rpm", 22)).toEqual({ title: "P101 Speed → 1450 rpm", rest: "" });
  });

  it("too long: wraps at a word, never between a value and its unit or an arrow and its value", () => {
    expect(wrapTitle("P101 Speed drifting +200 rpm/min", 22)).toEqual({
      title: "P101 Speed drifting",
      rest: "+200 rpm/min",
    });
    expect(wrapTitle("P401 Speed stuck at 2800 rpm", 22)).toEqual({ title: "P401 Speed stuck", rest: "at 2800 rpm" });
    expect(wrapTitle("XV311 Valve position → 12.5 %", 22)).toEqual({
      title: "XV311 Valve position",
      rest: "→ 12.5 %",
    });
  });

  it("one word longer than the line: shortened with an ellipsis, its end on the next line", () => {
    expect(wrapTitle("Feedwaterpreheaterbypass stuck", 10)).toEqual({
      title: "Feedwater…",
      rest: "preheaterbypass stuck",
    });
  });
});
