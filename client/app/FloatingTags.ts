/**
 * Name tags over the others' heads (name, device, speaking, reconnecting) and note tags at their pins,
 * replaced only when what they show changed.
 */
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { PlantRoomState } from "../../shared/state.ts";
import type { AnnotationMarks } from "../scene/AnnotationMarks.ts";
import type { Avatars } from "../scene/Avatars.ts";
import type { PlantSession } from "../session/PlantSession.ts";
import { el } from "../ui/dom.ts";
import type { ScreenTags } from "../ui/ScreenTags.ts";

/** Note tags further than this (m) are not drawn. */
const NOTE_TAG_RANGE = 45;

export class FloatingTags {
  private readonly noteTags = new Set<string>();
  private readonly seatTags = new Set<string>();
  private readonly tagSig = new Map<string, string>();

  constructor(
    private readonly tags: ScreenTags,
    private readonly session: PlantSession,
    private readonly avatars: Avatars,
    private readonly marks: AnnotationMarks,
  ) {}

  /** Replace a tag's element only when what it shows changed. */
  private changed(id: string, sig: string): boolean {
    if (this.tagSig.get(id) === sig && this.tags.has(id)) return false;
    this.tagSig.set(id, sig);
    return true;
  }

  sync(s: PlantRoomState): void {
    const { tags, seatTags, noteTags, avatars, marks } = this;
    for (const seat of s.seats.values()) {
      if (seat.id === this.session.seatId) continue;
      const id = `seat.${seat.id}`;
      if (!this.changed(id, `${seat.name}|${seat.color}|${seat.speaking}|${seat.presence}|${seat.device}`)) continue;
      const tag = el("div", `tag${seat.speaking ? " speaking" : ""}`);
      tag.style.borderColor = seat.color;
      tag.dataset["seat"] = seat.id;
      tag.appendChild(document.createTextNode(seat.name));
      tag.appendChild(el("span", "dev", seat.presence === "reconnecting" ? "reconnecting…" : seat.device));
      const headOf = () => {
        const hd = avatars.headOf(seat.id);
        return hd ? hd.pos.add(new Vector3(0, 0.35, 0)) : null;
      };
      tags.set(id, tag, headOf);
      seatTags.add(id);
    }
    for (const id of [...seatTags]) {
      if (!s.seats.has(id.slice(5))) {
        tags.delete(id);
        seatTags.delete(id);
      }
    }
    for (const n of s.annotations.values()) {
      const id = `note.${n.id}`;
      if (!n.text || n.status === "resolved") {
        tags.delete(id);
        noteTags.delete(id);
        continue;
      }
      if (!this.changed(id, `${n.text}|${n.color}`)) continue;
      const tag = el("div", "note-tag", n.text);
      tag.style.borderLeftColor = n.color;
      tag.dataset["note"] = n.id;
      tags.set(id, tag, () => marks.worldOf(n.id), { maxDist: NOTE_TAG_RANGE });
      noteTags.add(id);
    }
    for (const id of [...noteTags]) {
      if (!s.annotations.has(id.slice(5))) {
        tags.delete(id);
        noteTags.delete(id);
      }
    }
  }
}
