/** Mirrors a plant's annotations into one room's state. */
import { ArraySchema } from "@colyseus/schema";
import { AnnotationState, type PlantRoomState } from "../../shared/state.ts";
import type { AnnotationBook, AnnotationRecord } from "../collab/AnnotationBook.ts";

export class AnnotationStateSync {
  private readonly unsubscribe: () => void;

  constructor(
    book: AnnotationBook,
    private readonly state: PlantRoomState,
  ) {
    for (const a of book.items.values()) this.write(a.id, a);
    this.unsubscribe = book.subscribe((id, rec) => this.write(id, rec));
  }

  private write(id: string, a: AnnotationRecord | null): void {
    if (!a) {
      this.state.annotations.delete(id);
      return;
    }
    let s = this.state.annotations.get(id);
    if (!s) {
      s = new AnnotationState();
      s.id = a.id;
      s.kind = a.kind;
      s.twin = a.twin;
      s.ox = a.offset[0];
      s.oy = a.offset[1];
      s.oz = a.offset[2];
      s.points = new ArraySchema<number>(...a.points);
      s.author = a.author;
      s.authorSeat = a.authorSeat;
      s.color = a.color;
      s.createdAt = a.createdAt;
      s.alarm = a.alarm;
      this.state.annotations.set(id, s);
    }
    s.text = a.text;
    s.status = a.status;
    s.updatedAt = a.updatedAt;
  }

  dispose(): void {
    this.unsubscribe();
  }
}
