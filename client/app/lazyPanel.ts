/**
 * A desktop panel whose code is not needed to show the first live value: imported once the room's first state has
 * arrived and the page has a moment to spare, then given the latest state. Until then `update` only keeps it.
 */
import { afterPaint } from "../ui/afterPaint.ts";
import { toast } from "../ui/dom.ts";

export interface RoomPanel<S, M> {
  update(state: S, me: M): void;
}

export function lazyPanel<S, M>(what: string, load: () => Promise<RoomPanel<S, M>>): RoomPanel<S, M> {
  let panel: RoomPanel<S, M> | null = null;
  let latest: [S, M] | null = null;
  let asked = false;
  const start = () => {
    load().then(
      (p) => {
        panel = p;
        if (latest) p.update(...latest);
      },
      (e: unknown) => toast(`The ${what} panel could not be loaded: ${(e as Error).message}. Reload the page.`),
    );
  };
  return {
    update(state, me) {
      if (panel) return panel.update(state, me);
      latest = [state, me];
      if (asked) return;
      asked = true;
      afterPaint(start);
    },
  };
}
