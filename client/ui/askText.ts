/**
 * A one-line question in the page's own dialog (a bookmark's name): the browser's prompt() blocks the page, cannot
 * show why a name was refused, and is unusable in a headset's browser. The dialog stays open on a refusal and says
 * why; Enter saves, Escape or Cancel leaves.
 */
import { el } from "./dom.ts";

export interface TextQuestion {
  title: string;
  label: string;
  value: string;
  maxLength: number;
  /** Save the answer; a rejection's message is shown in the dialog, which stays open. */
  save(text: string): Promise<void>;
}

export function askText(q: TextQuestion): HTMLDialogElement {
  let d = document.getElementById("text-dialog") as HTMLDialogElement | null;
  if (!d) {
    d = document.createElement("dialog");
    d.id = "text-dialog";
    document.body.appendChild(d);
  }
  const dialog = d;
  const form = el("form");
  form.method = "dialog";
  const input = el("input");
  input.id = "text-dialog-input";
  input.value = q.value;
  input.maxLength = q.maxLength;
  const label = el("label", "", q.label);
  label.htmlFor = input.id;
  const error = el("p", "error");
  error.id = "text-dialog-error";
  error.setAttribute("role", "alert");
  const cancel = el("button", "", "Cancel");
  cancel.type = "button";
  cancel.id = "text-dialog-cancel";
  const go = el("button", "", "Save");
  go.type = "submit";
  go.id = "text-dialog-go";
  const row = el("div", "row");
  row.append(cancel, go);
  form.append(el("h1", "", q.title), label, input, error, row);
  dialog.replaceChildren(form);
  cancel.addEventListener("click", () => dialog.close());
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) {
      error.textContent = `${q.label}: type at least one character.`;
      return;
    }
    go.disabled = true;
    q.save(text).then(
      () => dialog.close(),
      (err: Error) => {
        go.disabled = false;
        error.textContent = err.message;
      },
    );
  });
  dialog.showModal();
  input.select();
  return dialog;
}
