/**
 * The quality table (server/formats/quality.ts, docs/PLANT-DATA.md "Quality"), row by row:
 * what a plant sends -> good / uncertain / bad, and what is refused rather than guessed.
 */
import { describe, expect, it } from "vitest";
import { Quality } from "../../shared/status.ts";
import {
  explainQuality,
  newQualityOut,
  QUALITY_TABLE,
  readQuality,
  severityOfStatusCode,
  type QualityCodes,
} from "../../server/formats/quality.ts";

const read = (raw: unknown, codes: QualityCodes = "gemba") => {
  const out = newQualityOut();
  return readQuality(raw, codes, out) ? out : null;
};
const { GOOD, UNCERTAIN, BAD } = Quality;

describe("quality words, in any case, under every numbering", () => {
  it.each([
    ["good", GOOD],
    ["GOOD", GOOD],
    ["Good", GOOD],
    [" good ", GOOD],
    ["OK", GOOD],
    ["ok", GOOD],
    ["uncertain", UNCERTAIN],
    ["UNCERTAIN", UNCERTAIN],
    ["bad", BAD],
    ["Bad", BAD],
  ])("%j reads as %i and keeps the word as the source's code", (word, q) => {
    for (const codes of ["gemba", "opcua", "opcda"] as const) expect(read(word, codes)).toEqual({ q, code: word });
  });

  it.each([
    ["BadNoCommunication", BAD],
    ["BadSensorFailure", BAD],
    ["UncertainLastUsableValue", UNCERTAIN],
    ["GoodLocalOverride", GOOD],
    ["GOOD_LOCAL_OVERRIDE", GOOD],
    ["BAD_COMM_FAILURE", BAD],
  ])("the OPC UA / OPC DA symbol %j reads by its prefix as %i", (sym, q) => {
    expect(read(sym)).toEqual({ q, code: sym });
  });

  it.each(["great", "NOK", "goodish", "Badge", "", "fault", "constructor", "__proto__", "toString"])(
    "refuses the unknown word %j instead of guessing",
    (w) => {
      expect(read(w)).toBeNull();
      expect(explainQuality(w, "gemba")).toMatch(/not one Gemba knows/);
    },
  );
});

describe("booleans (a vendor's valid flag)", () => {
  it("true is good, false is bad", () => {
    expect(read(true)).toEqual({ q: GOOD, code: "" });
    expect(read(false)).toEqual({ q: BAD, code: "false" });
  });
});

describe('OPC UA StatusCodes (qualityCodes "opcua"): severity from the top two bits', () => {
  it.each([
    [0x00000000, GOOD, ""],
    [0x00960000, GOOD, "0x00960000 GoodLocalOverride"],
    [0x40000000, UNCERTAIN, "0x40000000 Uncertain"],
    [0x40900000, UNCERTAIN, "0x40900000 UncertainLastUsableValue"],
    [0x80000000, BAD, "0x80000000 Bad"],
    [0x80310000, BAD, "0x80310000 BadNoCommunication"],
    [0x808c0000, BAD, "0x808C0000 BadSensorFailure"],
    [0xc0000000, BAD, "0xC0000000"],
    [0x80ab0001, BAD, "0x80AB0001"],
  ])("0x%s reads as %i with code %j", (code, q, text) => {
    expect(read(code, "opcua")).toEqual({ q, code: text });
  });

  it("reads a StatusCode sent as a signed Int32 (-2144272384 is 0x80310000) and as hex text", () => {
    expect(read(-2144272384, "opcua")).toEqual({ q: BAD, code: "0x80310000 BadNoCommunication" });
    expect(read("0x80310000", "opcua")).toEqual({ q: BAD, code: "0x80310000 BadNoCommunication" });
  });

  it('reads the JSON form {"Code", "Symbol"} under any numbering, and a Symbol alone (Good omits its Code)', () => {
    const obj = { Code: 2150694912, Symbol: "BadNoCommunication" };
    for (const codes of ["gemba", "opcua", "opcda"] as const)
      expect(read(obj, codes)).toEqual({ q: BAD, code: "0x80310000 BadNoCommunication" });
    expect(read({ Symbol: "UncertainLastUsableValue" })).toEqual({ q: UNCERTAIN, code: "UncertainLastUsableValue" });
  });

  it("refuses what is not a 32-bit StatusCode", () => {
    for (const raw of [2 ** 32, 1.5, -(2 ** 31) - 1, "0xZZ", { Code: "x" }, null, [0]])
      expect(read(raw, "opcua")).toBeNull();
  });

  it("severityOfStatusCode follows the bits, 11 included as bad", () => {
    expect([0, 0x3fffffff, 0x40000000, 0x7fffffff, 0x80000000, 0xffffffff].map(severityOfStatusCode)).toEqual([
      GOOD,
      GOOD,
      UNCERTAIN,
      UNCERTAIN,
      BAD,
      BAD,
    ]);
  });
});

describe('OPC DA quality integers (qualityCodes "opcda"): bits 7-6 of the low byte', () => {
  it.each([
    [192, GOOD, ""],
    [216, GOOD, "OPC DA 216 (good: local override)"],
    [64, UNCERTAIN, "OPC DA 64 (uncertain)"],
    [68, UNCERTAIN, "OPC DA 68 (uncertain: last usable value)"],
    [0, BAD, "OPC DA 0 (bad)"],
    [4, BAD, "OPC DA 4 (bad: configuration error)"],
    [24, BAD, "OPC DA 24 (bad: communication failure)"],
    [0x01c0, GOOD, "OPC DA 448 (good)"],
  ])("%i reads as %i with code %j", (n, q, text) => {
    expect(read(n, "opcda")).toEqual({ q, code: text });
  });

  it("refuses the undefined quality bits 10 (128-191) and numbers over 16 bits", () => {
    expect(read(128, "opcda")).toBeNull();
    expect(explainQuality(128, "opcda")).toMatch(/bits 10/);
    expect(read(70000, "opcda")).toBeNull();
  });
});

describe('Gemba numbers (qualityCodes "gemba", the default for format "json")', () => {
  it("0/1/2 are good/uncertain/bad; other numbers are refused with a hint to set qualityCodes", () => {
    expect([0, 1, 2].map((n) => read(n)?.q)).toEqual([GOOD, UNCERTAIN, BAD]);
    expect(read(192)).toBeNull();
    expect(explainQuality(192, "gemba")).toMatch(/qualityCodes/);
    // 0 means Good in OPC UA but Bad in OPC DA: the numbering decides.
    expect(read(0, "opcua")?.q).toBe(GOOD);
    expect(read(0, "opcda")?.q).toBe(BAD);
  });
});

describe("the documented table", () => {
  it("has a row for every kind of quality the reader accepts", () => {
    expect(QUALITY_TABLE.map((r) => r.source.split(" (")[0])).toEqual([
      "words",
      "OPC UA symbols",
      "booleans",
      "OPC UA StatusCode number",
      "OPC UA JSON StatusCode object",
      "OPC DA quality integer",
      "Gemba numbers",
    ]);
  });
});
