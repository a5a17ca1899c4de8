/** Small DOM helpers. Text is always set with textContent: names and values are never parsed as HTML. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id} in index.html`);
  return el as T;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;
export function toast(message: string, ms = 6000): void {
  const t = byId("toast");
  t.textContent = message;
  t.hidden = false;
  // Above the timeline (its height changes as its buttons wrap), never over its controls.
  const bar = document.getElementById("timeline");
  const top = bar && !bar.hidden ? bar.getBoundingClientRect().top : 0;
  t.style.bottom = top > 0 ? `${Math.round(window.innerHeight - top + 8)}px` : "";
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (t.hidden = true), ms);
}
