/**
 * Keeps the video panel clear of the page's other panels (clearSpot.ts): it measures them and moves the panel
 * when the window, the panel or any of them changes size (an inspector opening, the alarm list growing).
 */
import { LayoutWatch } from "../ui/LayoutWatch.ts";
import { clearSpot, type Box } from "./clearSpot.ts";

/** What the panel must not cover: the top bar and every docked panel. */
const OTHERS = "#topbar, .panel, #timeline";
/** Widths tried, widest first (px); a video tile is still readable at the narrowest. */
const WIDTHS = [420, 360, 300, 240];

export class PanelDock {
  private readonly watch: LayoutWatch;

  constructor(private readonly panel: HTMLElement) {
    this.watch = new LayoutWatch([panel, ...document.querySelectorAll(OTHERS)], () => this.place());
  }

  schedule(): void {
    this.watch.schedule();
  }

  place(): void {
    const { panel } = this;
    if (panel.hidden) return;
    const others: Box[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(OTHERS)) {
      if (el === panel || el.hidden) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) others.push({ left: r.left, top: r.top, width: r.width, height: r.height });
    }
    const view = { width: window.innerWidth, height: window.innerHeight };
    const fit = WIDTHS.filter((w) => w <= view.width * 0.6);
    const heightAt = (w: number) => {
      panel.style.width = `${w}px`;
      return panel.offsetHeight;
    };
    const spot = clearSpot(view, fit.length ? fit : [WIDTHS.at(-1)!], heightAt, others);
    panel.style.width = `${spot.width}px`;
    panel.style.left = `${spot.left}px`;
    panel.style.top = `${spot.top}px`;
    // Read by the browser test: how much of other panels it covers (0 where the screen has room).
    panel.dataset["covers"] = String(Math.round(spot.covered));
  }

  dispose(): void {
    this.watch.dispose();
  }
}
