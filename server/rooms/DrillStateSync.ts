/**
 * A room's view of the drills of its plant (shared/drillState.ts), from the process's DrillBook: rebuilt when the
 * book changes. In a drill's own room it also tells the book which seat is whose (journal rows name seats) and
 * journals each change of a seat's selection as a `select` row, so "found the faulty asset" can be scored and shown
 * on the debrief's timeline. Selections are journaled only in drill rooms.
 */
import { ArraySchema } from "@colyseus/schema";
import { basePlantOf } from "../../shared/drill.ts";
import { DrillState, DrillTraineeState } from "../../shared/drillState.ts";
import type { PlantRoomState, SeatState } from "../../shared/state.ts";
import type { Drill, DrillBook } from "../drills/DrillBook.ts";

export class DrillStateSync {
  private seen = -1;
  /** Seat id → the selection last journaled. */
  private readonly selections = new Map<string, string>();

  constructor(
    private readonly book: DrillBook,
    private readonly state: PlantRoomState,
    private readonly select: (seat: SeatState, twin: string) => void,
  ) {}

  /** Before each patch. */
  flush(): void {
    const plant = this.state.plant;
    const own = this.book.byPlant(plant);
    if (own?.status === "running") {
      for (const seat of this.state.seats.values()) {
        this.book.noteSeat(plant, seat.id, seat.user);
        const last = this.selections.get(seat.id) ?? "";
        if (seat.selection !== last) {
          this.selections.set(seat.id, seat.selection);
          if (seat.selection) this.select(seat, seat.selection);
        }
      }
    }
    if (this.book.version === this.seen) return;
    this.seen = this.book.version;
    const drills = this.book.forPlant(basePlantOf(plant));
    for (const id of [...this.state.drills.keys()]) if (!drills.some((d) => d.id === id)) this.state.drills.delete(id);
    for (const d of drills) this.state.drills.set(d.id, toState(d));
  }
}

function toState(d: Drill): DrillState {
  const s = new DrillState();
  s.id = d.id;
  s.plant = d.plant;
  s.scenario = d.scenario.id;
  s.brief = d.scenario.brief;
  s.instructor = d.instructor.name;
  s.instructorUser = d.instructor.user;
  s.status = d.status;
  s.startedAt = d.startedAt;
  s.onsetAt = d.onsetAt;
  s.endedAt = d.endedAt;
  s.stopped = d.stopped;
  s.replay = d.replay;
  s.trainees = new ArraySchema<DrillTraineeState>(
    ...d.trainees.map((t) => {
      const ts = new DrillTraineeState();
      ts.user = t.user;
      ts.name = t.name;
      ts.status = t.scored ? "scored" : "running";
      ts.detectMs = t.score?.detectMs ?? -1;
      ts.correctMs = t.score?.correctMs ?? -1;
      ts.points = t.score?.points ?? 0;
      ts.wrong = new ArraySchema<string>(...(t.score?.wrong ?? []));
      ts.handling = new ArraySchema<string>(...(t.score?.handling ?? []));
      return ts;
    }),
  );
  return s;
}
