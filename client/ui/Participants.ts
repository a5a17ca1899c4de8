/** The participants panel: everyone in the room with colour, device and presence. Rebuilt only when it changes. */
import type { PlantRoomState } from "../../shared/state.ts";
import { byId, el } from "./dom.ts";

const DEVICE_LABEL: Record<string, string> = {
  desktop: "desktop",
  headset: "headset",
  tablet: "tablet",
  phone: "phone",
};

export class Participants {
  private signature = "";

  update(state: PlantRoomState, mySeat: string | null): void {
    const seats = [...state.seats.values()].sort((a, b) => a.joinedAt - b.joinedAt);
    const sig = seats.map((s) => `${s.id}|${s.name}|${s.device}|${s.presence}|${s.color}`).join(";") + `#${mySeat}`;
    if (sig === this.signature) return;
    this.signature = sig;
    const list = byId("participant-list");
    list.replaceChildren(
      ...seats.map((s) => {
        const li = el("li");
        li.dataset["seat"] = s.id;
        const dot = el("span", "dot");
        dot.style.background = s.color;
        li.appendChild(dot);
        li.appendChild(el("span", "pname", s.name + (s.id === mySeat ? " (you)" : "")));
        if (s.presence === "reconnecting") li.appendChild(el("span", "reconnecting-tag", "reconnecting…"));
        li.appendChild(el("span", "device", DEVICE_LABEL[s.device] ?? s.device));
        if (s.id !== mySeat) {
          const b = el("button", "", "Follow");
          b.type = "button";
          b.title = `See what ${s.name} sees`;
          b.dataset["follow"] = s.id;
          li.appendChild(b);
        }
        return li;
      }),
    );
    byId("participant-count").textContent = `(${seats.length})`;
  }
}
