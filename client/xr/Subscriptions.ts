/**
 * The one place XR code registers observers and listeners: everything added here
 * is removed by `clear()`, in reverse order. One instance lives as long as
 * `installXr`, another as long as one XR session.
 */
import type { Observable, Observer } from "@babylonjs/core/Misc/observable.js";

export class Subscriptions {
  private readonly offs: (() => void)[] = [];

  observe<T>(observable: Observable<T>, callback: (value: T) => void): Observer<T> {
    const o = observable.add(callback);
    this.offs.push(() => observable.remove(o));
    return o;
  }

  listen<E extends Event>(target: EventTarget, type: string, callback: (e: E) => void): void {
    const fn = callback as EventListener;
    target.addEventListener(type, fn);
    this.offs.push(() => target.removeEventListener(type, fn));
  }

  /** Anything else to undo (timers, disposables). */
  add(off: () => void): void {
    this.offs.push(off);
  }

  clear(): void {
    for (let off = this.offs.pop(); off; off = this.offs.pop()) off();
  }
}
