/**
 * The "You left the plant" screen after the person pressed Leave: it says what leaving did (the seat is free,
 * the others no longer see you, the call hung up) and offers to join again.
 */
import { el } from "./dom.ts";

export function showLeft(rejoin: () => void): void {
  const d = document.createElement("dialog");
  d.id = "left-dialog";
  d.setAttribute("aria-label", "You left the plant");
  const p = el(
    "p",
    "",
    "Your place in the plant is free: the others no longer see you, and you are out of the voice call.",
  );
  p.id = "left-text";
  const again = el("button", "", "Rejoin");
  again.id = "rejoin";
  again.type = "button";
  again.addEventListener("click", rejoin);
  d.append(el("h1", "", "You left the plant"), p, again);
  // Escape would leave a page that shows the plant but is in no room: the only way on is to rejoin.
  d.addEventListener("cancel", (e) => e.preventDefault());
  document.body.appendChild(d);
  d.showModal();
  again.focus();
}
