/**
 * Mirrors a plant's alarm book into one room's state: alarms that need attention
 * (active, unacknowledged, or shelved) are in `state.alarms`; normal ones are removed.
 */
import { AlarmState, type PlantRoomState } from "../../shared/state.ts";
import type { AlarmBook } from "../alarms/AlarmBook.ts";
import type { AlarmRecord } from "../alarms/AlarmLifecycle.ts";

export class AlarmStateSync {
  private readonly unsubscribe: () => void;

  constructor(
    book: AlarmBook,
    private readonly state: PlantRoomState,
  ) {
    for (const a of book.alarms.values()) this.write(a);
    this.unsubscribe = book.subscribe((a) => this.write(a));
  }

  private write(a: AlarmRecord): void {
    if (a.state === "normal" && a.shelvedUntil === 0) {
      this.state.alarms.delete(a.id);
      return;
    }
    let s = this.state.alarms.get(a.id);
    if (!s) {
      s = new AlarmState();
      s.id = a.id;
      s.rule = a.rule;
      s.twin = a.twin;
      this.state.alarms.set(a.id, s);
    }
    s.severity = a.severity;
    s.state = a.state;
    s.message = a.message;
    s.activeAt = a.activeAt;
    s.ackedBy = a.ackedBy;
    s.ackedAt = a.ackedAt;
    s.shelvedBy = a.shelvedBy;
    s.shelvedUntil = a.shelvedUntil;
  }

  dispose(): void {
    this.unsubscribe();
  }
}
