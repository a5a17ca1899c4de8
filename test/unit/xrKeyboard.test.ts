/** The wrist keyboard as data: what each key does to a note's draft, and that every key can be hit where it is drawn. */
import { describe, expect, it } from "vitest";
import {
  applyKey,
  emptyDraft,
  KEYS,
  keyAt,
  keyUv,
  MAX_XR_NOTE,
  type Draft,
  type KeyId,
} from "../../client/xr/keyboardLayout.ts";

const type = (d: Draft, keys: KeyId[]) => keys.reduce(applyKey, d);
const ch = (c: string): KeyId => ({ kind: "char", ch: c });

describe("the wrist keyboard", () => {
  it("starts a note with a capital, then small letters", () => {
    expect(type(emptyDraft(), [ch("v"), ch("a")]).text).toBe("Va");
  });

  it("a quick label adds the word and a space, after a space if needed", () => {
    const d = type(emptyDraft(), [{ kind: "label", text: "Leak" }, ch("a"), ch("t"), { kind: "label", text: "Hot" }]);
    expect(d.text).toBe("Leak at Hot ");
  });

  it("no double spaces and no leading space; ⌫ takes one letter back and a cleared draft capitalises again", () => {
    expect(type(emptyDraft(), [{ kind: "space" }]).text).toBe("");
    expect(type(emptyDraft(), [ch("o"), { kind: "space" }, { kind: "space" }]).text).toBe("O ");
    const d = type(emptyDraft(), [ch("o"), ch("k"), { kind: "back" }, { kind: "back" }]);
    expect(d).toEqual({ text: "", shift: true });
  });

  it("shift toggles the next letter's case", () => {
    expect(type(emptyDraft(), [{ kind: "shift" }, ch("p"), { kind: "shift" }, ch("q")]).text).toBe("pQ");
  });

  it(`stops at ${MAX_XR_NOTE} characters`, () => {
    let d = emptyDraft();
    for (let i = 0; i < MAX_XR_NOTE + 10; i++) d = applyKey(d, ch("a"));
    expect(d.text.length).toBe(MAX_XR_NOTE);
    expect(applyKey(d, { kind: "label", text: "OK" })).toBe(d);
  });

  it("every key is hit at its own centre, and the gaps between keys are no key", () => {
    for (const k of KEYS) expect(keyAt(...keyUv(k.label))?.label).toBe(k.label);
    expect(keyAt(0.5, 0.97), "the text field").toBeNull();
    expect(keyAt(1.5, 0.5)).toBeNull();
  });
});
