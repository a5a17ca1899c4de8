/**
 * Mirrors the plant's Sparkplug edge nodes (state per node: not seen, online, waiting for birth,
 * offline) into one room's state, for the plant status panel. Copies only when a node changed
 * (SparkplugIngest.nodeChanges), so a patch with nothing new costs one comparison.
 */
import { EdgeNodeSeen, type PlantRoomState } from "../../shared/state.ts";
import type { SparkplugIngest } from "../ingest/sparkplug/SparkplugIngest.ts";

export class EdgeNodeSync {
  private seen = -1;

  constructor(
    private readonly ingest: Pick<SparkplugIngest, "nodeChanges" | "nodeStatus"> | null,
    private readonly state: PlantRoomState,
  ) {}

  flush(): void {
    if (!this.ingest || this.ingest.nodeChanges === this.seen) return;
    this.seen = this.ingest.nodeChanges;
    for (const n of this.ingest.nodeStatus()) {
      const key = `${n.group}/${n.node}`;
      let s = this.state.edgeNodes.get(key);
      if (!s) {
        s = new EdgeNodeSeen();
        s.group = n.group;
        s.node = n.node;
        this.state.edgeNodes.set(key, s);
      }
      if (s.state !== n.state) s.state = n.state;
      const since = n.since ?? 0;
      if (s.since !== since) s.since = since;
    }
  }
}
