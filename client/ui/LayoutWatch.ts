/**
 * Calls back once, on the next animation frame, after the window or any watched element changed size (a panel
 * opening, a list growing). Not inside the ResizeObserver's callback: a callback that resizes what is observed
 * there is a ResizeObserver loop, which the browser reports as an error. Used by panels that keep clear of others.
 */
export class LayoutWatch {
  private readonly observer = new ResizeObserver(() => this.schedule());
  private readonly onResize = () => this.schedule();
  private frame = 0;

  constructor(
    watched: Iterable<Element>,
    private readonly onChange: () => void,
  ) {
    window.addEventListener("resize", this.onResize);
    for (const el of watched) this.observer.observe(el);
  }

  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.onChange();
    });
  }

  dispose(): void {
    window.removeEventListener("resize", this.onResize);
    cancelAnimationFrame(this.frame);
    this.observer.disconnect();
  }
}
