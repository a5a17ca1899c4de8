/** Mirrors a plant's co-location reference points into one room's state. */
import { CalibrationState, type PlantRoomState } from "../../shared/state.ts";
import type { CalibrationBook, CalibrationRecord } from "../collab/CalibrationBook.ts";

export class CalibrationStateSync {
  private readonly unsubscribe: () => void;

  constructor(
    book: CalibrationBook,
    private readonly state: PlantRoomState,
  ) {
    const s = new CalibrationState();
    s.setBy = "";
    s.setAt = 0;
    state.calibration = s;
    if (book.current) this.write(book.current);
    this.unsubscribe = book.subscribe((rec) => this.write(rec));
  }

  private write(r: CalibrationRecord): void {
    const s = this.state.calibration;
    [s.ax, s.ay, s.az] = r.a;
    [s.bx, s.by, s.bz] = r.b;
    s.setBy = r.setBy;
    s.setAt = r.setAt;
  }

  dispose(): void {
    this.unsubscribe();
  }
}
