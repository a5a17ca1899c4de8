/**
 * The participants panel: everyone in the room with colour, device and presence. Rebuilt only when it changes.
 * An admin (`can(role, "kick")`) gets a "Remove" button per other participant, behind a confirm dialog.
 */
import { MAX_KICK_REASON } from "../../shared/protocol.ts";
import { can } from "../../shared/permissions.ts";
import type { PlantRoomState } from "../../shared/state.ts";
import { byId, el } from "./dom.ts";

const DEVICE_LABEL: Record<string, string> = {
  desktop: "desktop",
  headset: "headset",
  tablet: "tablet",
  phone: "phone",
};

export interface ParticipantActions {
  /** Remove a participant (the `kick` request); rejects with the server's sentence. */
  kick(seat: string, reason: string): Promise<unknown>;
}

export class Participants {
  private signature = "";

  constructor(private readonly actions: ParticipantActions) {
    byId("participant-list").addEventListener("click", (e) => {
      const b = (e.target as HTMLElement).closest("button[data-kick]");
      const seat = b?.getAttribute("data-kick");
      const name = b?.getAttribute("data-name") ?? "this participant";
      if (seat) this.confirmRemove(seat, name);
    });
  }

  update(state: PlantRoomState, mySeat: string | null): void {
    const seats = [...state.seats.values()].sort((a, b) => a.joinedAt - b.joinedAt);
    const me = mySeat ? state.seats.get(mySeat) : undefined;
    const mayKick = me !== undefined && can(me.role, "kick");
    const sig =
      seats.map((s) => `${s.id}|${s.name}|${s.device}|${s.presence}|${s.color}`).join(";") +
      `#${mySeat}#${mayKick}#${state.elsewhere}`;
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
        if (mayKick && s.id !== mySeat) {
          const r = el("button", "danger", "Remove");
          r.type = "button";
          r.title = `Remove ${s.name} from the room`;
          r.dataset["kick"] = s.id;
          r.dataset["name"] = s.name;
          li.appendChild(r);
        }
        return li;
      }),
    );
    // This room was full, so the plant has another room: its people share the plant's alarms, notes and journal.
    if (state.elsewhere > 0) {
      const li = el("li", "muted", `+ ${state.elsewhere} on this plant in another room (this one was full)`);
      li.dataset["elsewhere"] = String(state.elsewhere);
      list.appendChild(li);
    }
    const total = seats.length + state.elsewhere;
    byId("participant-count").textContent =
      state.elsewhere > 0 ? `(${seats.length} here, ${total} on the plant)` : `(${seats.length})`;
  }

  /** "Remove Bo from the room?" with an optional reason; removes on confirm, says why it failed otherwise. */
  private confirmRemove(seat: string, name: string): void {
    let d = document.getElementById("kick-dialog") as HTMLDialogElement | null;
    if (!d) {
      d = document.createElement("dialog");
      d.id = "kick-dialog";
      document.body.appendChild(d);
    }
    d.replaceChildren();
    const title = el("h1", "", `Remove ${name} from the room?`);
    const help = el("p", "muted", "All of their devices are disconnected; they see who removed them and why.");
    const reason = el("input");
    reason.id = "kick-reason";
    reason.type = "text";
    reason.maxLength = MAX_KICK_REASON;
    reason.placeholder = "Reason (optional)";
    reason.setAttribute("aria-label", "Reason");
    const error = el("p", "error");
    error.setAttribute("role", "alert");
    const row = el("div", "row");
    const no = el("button", "", "Cancel");
    no.type = "button";
    const yes = el("button", "primary danger", "Remove");
    yes.type = "button";
    yes.id = "kick-yes";
    row.append(no, yes);
    d.append(title, help, reason, error, row);
    const dlg = d;
    no.addEventListener("click", () => dlg.close());
    yes.addEventListener("click", () => {
      yes.disabled = true;
      this.actions.kick(seat, reason.value.trim()).then(
        () => dlg.close(),
        (e: unknown) => {
          yes.disabled = false;
          error.textContent = (e as Error).message;
        },
      );
    });
    dlg.showModal();
  }
}

/** This page was removed from the room: say by whom and why, and stay (the page does not join again by itself). */
export function showRemoved(message: string): void {
  const d = document.createElement("dialog");
  d.id = "removed-dialog";
  const p = el("p", "", message);
  p.id = "removed-text";
  p.setAttribute("role", "alert");
  const again = el("button", "", "Reload to join again");
  again.type = "button";
  again.addEventListener("click", () => location.reload());
  d.append(el("h1", "", "Removed from the room"), p, again);
  d.addEventListener("cancel", (e) => e.preventDefault());
  document.body.appendChild(d);
  d.showModal();
}
