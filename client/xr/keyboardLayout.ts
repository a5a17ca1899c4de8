/**
 * The in-XR keyboard for writing a note, as geometry and pure editing: where each key sits on the
 * keyboard plane (texture pixels, the same 1024 px-wide plane as the list panel it replaces), the hit test
 * from a ray's texture coordinates to a key, and what a key does to the draft. Fixed positions, no GUI
 * layout pass, so the hit test runs without Babylon and tests aim with `keyUv`.
 *
 * Keys are 2.8 cm wide at arm's length: large enough for a controller ray or a hand ray. Quick labels
 * (the plant's common words) put a whole word in with one press.
 */
import { LIST_TEX_H, MARGIN, TEX_W } from "./panelLayout.ts";

export const KEY_ROWS = ["1234567890", "qwertyuiop", "asdfghjkl'", "zxcvbnm,.?"] as const;
/** Words a note often starts with; one press each. */
export const KEYBOARD_LABELS = ["Leak", "Noise", "Hot", "Check", "OK"] as const;
/** Notes written in a headset stay short enough to read on the wrist. */
export const MAX_XR_NOTE = 200;

export type KeyId =
  | { kind: "char"; ch: string }
  | { kind: "label"; text: string }
  | { kind: "shift" }
  | { kind: "space" }
  | { kind: "back" }
  | { kind: "cancel" }
  | { kind: "done" };

export interface KeyBox {
  key: KeyId;
  /** What the key shows. */
  label: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export const FIELD_TOP = 6;
export const FIELD_H = 62;
const LABELS_TOP = 74;
const LABELS_H = 66;
const KEYS_TOP = 148;
const KEY_H = 88;
const GAP = 6;
const INNER = TEX_W - 2 * MARGIN;
const UNIT = INNER / 10;

function layout(): KeyBox[] {
  const boxes: KeyBox[] = [];
  const lw = INNER / KEYBOARD_LABELS.length;
  KEYBOARD_LABELS.forEach((text, i) =>
    boxes.push({ key: { kind: "label", text }, label: text, x: MARGIN + i * lw, y: LABELS_TOP, w: lw, h: LABELS_H }),
  );
  KEY_ROWS.forEach((row, r) => {
    for (let i = 0; i < row.length; i++) {
      const ch = row[i]!;
      boxes.push({
        key: { kind: "char", ch },
        label: ch,
        x: MARGIN + i * UNIT,
        y: KEYS_TOP + r * KEY_H,
        w: UNIT,
        h: KEY_H,
      });
    }
  });
  const bottom = KEYS_TOP + KEY_ROWS.length * KEY_H;
  const h = Math.min(KEY_H, LIST_TEX_H - bottom - 2);
  let x = MARGIN;
  const wide = (key: KeyId, label: string, units: number) => {
    boxes.push({ key, label, x, y: bottom, w: units * UNIT, h });
    x += units * UNIT;
  };
  wide({ kind: "shift" }, "⇧ Aa", 1.5);
  wide({ kind: "space" }, "Space", 3.5);
  wide({ kind: "back" }, "⌫", 1.5);
  wide({ kind: "cancel" }, "Cancel", 1.5);
  wide({ kind: "done" }, "Pin note", 2);
  return boxes;
}

export const KEYS: readonly KeyBox[] = layout();
/** The gap inside each box that is not part of the key (drawn as space between keys, and not a hit). */
export const KEY_GAP = GAP;

/** The key under texture coordinates (u, v) of the keyboard plane (v = 0 at the bottom), or null between keys. */
export function keyAt(u: number, v: number): KeyBox | null {
  if (u < 0 || u > 1 || v < 0 || v > 1) return null;
  const x = u * TEX_W;
  const y = (1 - v) * LIST_TEX_H;
  for (const b of KEYS) {
    if (x >= b.x + GAP / 2 && x < b.x + b.w - GAP / 2 && y >= b.y + GAP / 2 && y < b.y + b.h - GAP / 2) return b;
  }
  return null;
}

/** Texture coordinates of the centre of the key showing `label` (tests aim with it). */
export function keyUv(label: string): [number, number] {
  const b = KEYS.find((k) => k.label === label);
  if (!b) throw new Error(`no key "${label}"`);
  return [(b.x + b.w / 2) / TEX_W, 1 - (b.y + b.h / 2) / LIST_TEX_H];
}

export interface Draft {
  text: string;
  /** The next letter is a capital (on at the start of a note, off after one letter). */
  shift: boolean;
}

export function emptyDraft(): Draft {
  return { text: "", shift: true };
}

/** What a key does to the draft; `cancel` and `done` are the caller's (they leave the draft as it is). */
export function applyKey(d: Draft, key: KeyId): Draft {
  const room = MAX_XR_NOTE - d.text.length;
  switch (key.kind) {
    case "char": {
      if (room < 1) return d;
      const ch = d.shift ? key.ch.toUpperCase() : key.ch;
      return { text: d.text + ch, shift: false };
    }
    case "label": {
      const sep = d.text && !d.text.endsWith(" ") ? " " : "";
      const add = `${sep}${key.text} `;
      return add.length > room ? d : { text: d.text + add, shift: false };
    }
    case "space":
      return room < 1 || d.text.endsWith(" ") || !d.text ? d : { text: `${d.text} `, shift: d.shift };
    case "back": {
      const text = d.text.slice(0, -1);
      return { text, shift: text === "" };
    }
    case "shift":
      return { ...d, shift: !d.shift };
    default:
      return d;
  }
}
