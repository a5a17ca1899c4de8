/**
 * Copies working-memory changes into one room's Colyseus state, once per patch.
 * Latest value wins: a point updated ten times between patches is written once,
 * and the nine skipped writes are counted as coalesced.
 */
import { MapSchema } from "@colyseus/schema";
import { PointState, TwinState, type PlantRoomState } from "../../shared/state.ts";
import type { PlantTwin, TwinListener } from "../twin/PlantTwin.ts";

export class TwinStateSync {
  private readonly dirtyPoint: Uint8Array;
  private readonly dirtyList: number[] = [];
  private readonly dirtyTwin: Uint8Array;
  private readonly dirtyTwinList: number[] = [];
  private readonly pointStates: PointState[] = [];
  private readonly twinStates: TwinState[] = [];
  private readonly unsubscribe: () => void;
  readonly counters = { updates: 0, written: 0, coalesced: 0, flushes: 0 };

  constructor(
    private readonly twin: PlantTwin,
    state: PlantRoomState,
  ) {
    this.dirtyPoint = new Uint8Array(twin.points.length);
    this.dirtyTwin = new Uint8Array(twin.twins.length);
    for (const t of twin.twins) {
      const ts = new TwinState();
      ts.status = t.status;
      ts.points = new MapSchema<PointState>();
      for (const i of t.points) {
        const p = twin.points[i]!;
        const ps = new PointState();
        this.fill(ps, i);
        ts.points.set(p.def.name, ps);
        this.pointStates[i] = ps;
      }
      state.twins.set(t.id, ts);
      this.twinStates.push(ts);
    }
    const listener: TwinListener = {
      point: (i) => {
        this.counters.updates++;
        if (this.dirtyPoint[i]) {
          this.counters.coalesced++;
          return;
        }
        this.dirtyPoint[i] = 1;
        this.dirtyList.push(i);
      },
      status: (ti) => {
        if (this.dirtyTwin[ti]) return;
        this.dirtyTwin[ti] = 1;
        this.dirtyTwinList.push(ti);
      },
    };
    this.unsubscribe = twin.subscribe(listener);
  }

  private fill(ps: PointState, i: number): void {
    const p = this.twin.points[i]!;
    // NaN (never reported) is encoded as 0 by schema; ts 0 tells the client there is no value yet.
    ps.v = Number.isNaN(p.value) ? 0 : p.value;
    ps.ts = p.ts;
    ps.q = p.q;
    ps.stale = p.stale;
    // Left unset until a source sends a code: most plants send none, and an unset field costs nothing on the wire.
    if (p.code !== (ps.code ?? "")) ps.code = p.code;
    if (p.json !== (ps.json ?? "")) ps.json = p.json;
  }

  /** Write pending changes into the state. Call from onBeforePatch. */
  flush(): void {
    this.counters.flushes++;
    for (const i of this.dirtyList) {
      this.dirtyPoint[i] = 0;
      this.fill(this.pointStates[i]!, i);
      this.counters.written++;
    }
    this.dirtyList.length = 0;
    for (const ti of this.dirtyTwinList) {
      this.dirtyTwin[ti] = 0;
      this.twinStates[ti]!.status = this.twin.twins[ti]!.status;
    }
    this.dirtyTwinList.length = 0;
  }

  dispose(): void {
    this.unsubscribe();
  }
}
