/**
 * What the Time tab needs beyond the room state: how far back working memory reaches and the plant's
 * bookmarks, from the same timeline endpoint the desktop timeline reads (through the page's `timeline`
 * hook). Fetched when the tab opens, after a bookmark, and every 10 s while the tab is shown; a failed
 * fetch keeps what was there and says so.
 */
import type { XrHooks, XrTimeline } from "./xrContract.ts";
import type { BookmarkLike } from "./timeTab.ts";

const REFRESH_MS = 10_000;
/** Before the first answer: the desktop timeline's own default span. */
const DEFAULT_SPAN_MS = 30 * 60_000;

export class TimelineFeed {
  horizon = 0;
  bookmarks: BookmarkLike[] = [];
  /** Why the last fetch failed, "" when it worked. */
  problem = "";
  private fetchedAt = -Infinity;
  private inFlight = false;

  constructor(
    private readonly hooks: XrHooks,
    /** Called when new data arrived (the panels redraw). */
    private readonly changed: () => void,
  ) {}

  /** The start of the scrubber: working memory's horizon once known, else 30 minutes back. */
  start(now: number): number {
    return this.horizon > 0 ? Math.min(this.horizon, now) : now - DEFAULT_SPAN_MS;
  }

  /** Fetch now (`force`), or when the last fetch is older than 10 s. `now` is performance.now(). */
  poll(now: number, force = false): void {
    if (!this.hooks.timeline || this.inFlight || (!force && now - this.fetchedAt < REFRESH_MS)) return;
    this.inFlight = true;
    this.fetchedAt = now;
    this.hooks.timeline().then(
      (t) => this.apply(t),
      (e: unknown) => {
        this.inFlight = false;
        this.problem = `Timeline not loaded: ${e instanceof Error ? e.message : String(e)}`;
        this.changed();
      },
    );
  }

  private apply(t: XrTimeline): void {
    this.inFlight = false;
    this.problem = "";
    this.horizon = t.horizon;
    this.bookmarks = t.events
      .filter((e) => e.kind === "bookmark")
      .map((e) => ({ ts: e.ts, name: e.subject, actor: e.actor }))
      .sort((a, b) => a.ts - b.ts);
    this.changed();
  }
}
