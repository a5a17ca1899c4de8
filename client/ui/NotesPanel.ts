/**
 * The annotations list: every pin and ink mark with its text, author, time and
 * status; "Show" focuses it, and the author (or an expert) can resolve, reopen
 * or delete. Also the dialog that asks for a note's text.
 */
import { MAX_ANNOTATION_TEXT, AnnotationText } from "../../shared/protocol.ts";
import { can } from "../../shared/permissions.ts";
import type { AnnotationState, PlantRoomState } from "../../shared/state.ts";
import { byId, el } from "./dom.ts";

export interface NoteActions {
  show(id: string): void;
  setStatus(id: string, status: "open" | "resolved"): Promise<void>;
  remove(id: string): Promise<void>;
}

export class NotesPanel {
  private signature = "";

  constructor(private readonly actions: NoteActions) {}

  update(state: PlantRoomState, me: { seat: string | null; name: string; role: string }): void {
    const notes = [...state.annotations.values()].sort(
      (a, b) => Number(a.status === "resolved") - Number(b.status === "resolved") || b.createdAt - a.createdAt,
    );
    const sig = notes.map((n) => `${n.id}|${n.status}|${n.text}`).join(";") + me.role + me.seat;
    if (sig === this.signature) return;
    this.signature = sig;
    byId("note-count").textContent = notes.length ? `(${notes.filter((n) => n.status === "open").length} open)` : "";
    byId("note-empty").hidden = notes.length > 0;
    byId("note-list").replaceChildren(...notes.map((n) => this.row(n, me)));
  }

  private row(n: AnnotationState, me: { seat: string | null; name: string; role: string }): HTMLLIElement {
    const li = el("li", n.status === "resolved" ? "resolved" : "");
    li.dataset["note"] = n.id;
    const dot = el("span", "dot");
    dot.style.background = n.color || "#4aa3ff";
    li.appendChild(dot);
    li.appendChild(el("span", "text", n.text || (n.kind === "ink" ? "(ink)" : "(pin)")));
    const actions = el("span", "actions");
    const show = el("button", "", "Show");
    show.type = "button";
    show.addEventListener("click", () => this.actions.show(n.id));
    actions.appendChild(show);
    const mine = n.authorSeat === me.seat || n.author === me.name;
    if ((mine && can(me.role, "annotate")) || can(me.role, "present")) {
      const toggle = el("button", "", n.status === "resolved" ? "Reopen" : "Resolve");
      toggle.type = "button";
      toggle.addEventListener(
        "click",
        () => void this.actions.setStatus(n.id, n.status === "resolved" ? "open" : "resolved").catch(() => {}),
      );
      const del = el("button", "", "Delete");
      del.type = "button";
      del.addEventListener("click", () => {
        if (confirm("Delete this annotation for everyone?")) void this.actions.remove(n.id).catch(() => {});
      });
      actions.append(toggle, del);
    }
    li.appendChild(actions);
    li.appendChild(
      el(
        "span",
        "meta",
        `${n.kind} on ${n.twin} · ${n.author} · ${new Date(n.createdAt).toLocaleString()}${n.alarm ? ` · alarm ${n.alarm}` : ""}`,
      ),
    );
    return li;
  }
}

/** Ask for a note's text; resolves with the text, or null when cancelled. */
export function askNoteText(title: string, where: string, save: (text: string) => Promise<void>): void {
  const dialog = byId<HTMLDialogElement>("note-dialog");
  const text = byId<HTMLTextAreaElement>("note-text");
  const error = byId("note-error");
  byId("note-title").textContent = title;
  byId("note-where").textContent = where;
  // An unfinished note handed over from another device is offered once.
  text.value = text.dataset["draft"] ?? "";
  delete text.dataset["draft"];
  error.textContent = "";
  const form = byId<HTMLFormElement>("note-form");
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const parsed = AnnotationText.safeParse(text.value.trim());
    if (!parsed.success) {
      error.textContent = parsed.error.issues[0]?.message ?? `At most ${MAX_ANNOTATION_TEXT} characters.`;
      return;
    }
    save(parsed.data).then(
      () => close(),
      (err: Error) => (error.textContent = err.message),
    );
  };
  const close = () => {
    form.removeEventListener("submit", onSubmit);
    dialog.close();
  };
  byId("note-cancel").onclick = close;
  form.addEventListener("submit", onSubmit);
  dialog.showModal();
  text.focus();
}
