/**
 * A desktop panel whose code is not needed to show the first live value: imported once the room's first state has
 * arrived, the first live value is on screen (`after`: the room's first state can come before the plant shows a
 * value, and the panel's fetch must not compete with it) and the page has a moment to spare, then given the latest
 * state. Until then `update` only keeps it.
 */
import { afterPaint } from "../ui/afterPaint.ts";
import { toast } from "../ui/dom.ts";

/** A plant with no live value yet (no data flowing) still gets its panels this long after its first state. */
const AT_THE_LATEST_MS = 15_000;

export interface RoomPanel<S, M> {
  update(state: S, me: M): void;
}

export function lazyPanel<S, M>(
  what: string,
  load: () => Promise<RoomPanel<S, M>>,
  after: Promise<unknown>,
): RoomPanel<S, M> {
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
      const late = new Promise((r) => setTimeout(r, AT_THE_LATEST_MS));
      void Promise.race([after, late]).then(() => afterPaint(start));
    },
  };
}
