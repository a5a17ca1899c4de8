/**
 * Who joins and how: a handoff link (?handoff=…) the person confirms, else the join dialog (a display name, or a
 * 6-digit handoff code); then the join itself, retried a few times when the room is not there yet.
 */
import { DisplayName } from "../../shared/protocol.ts";
import { detectDevice } from "../session/device.ts";
import type { PlantSession } from "../session/PlantSession.ts";
import { byId, toast } from "../ui/dom.ts";
import { confirmContinue, fetchTicket, type TicketPreview } from "../ui/Handoff.ts";

const NAME_KEY = "gemba.displayName";

export interface Joining {
  name: string;
  /** The handoff ticket this page continues from, or null for a fresh seat. */
  continuing: TicketPreview | null;
}

/** `signedIn`: the name from the identity provider (oidc), shown and not editable; null asks for one (dev). */
export async function askWhoJoins(params: URLSearchParams, signedIn: string | null): Promise<Joining> {
  const handoffKey = params.get("handoff");
  let continuing: TicketPreview | null = null;
  if (handoffKey) {
    try {
      const preview = await fetchTicket(handoffKey);
      if (await confirmContinue(preview)) continuing = preview;
    } catch (e) {
      toast((e as Error).message, 10_000);
    }
    history.replaceState(null, "", location.pathname);
  }
  if (continuing) return { name: continuing.name, continuing };
  return askName(signedIn);
}

export async function joinRoom(session: PlantSession, plantId: string, who: Joining): Promise<void> {
  const { name, continuing } = who;
  if (continuing)
    await session.join(plantId, name, detectDevice(), { handoff: continuing.token, roomId: continuing.room });
  else await joinWithRetry(session, plantId, name);
}

/** Offer `name` next time the join dialog opens on this device (a rejoin after Leave, a session moved here). */
export function rememberName(name: string): void {
  localStorage.setItem(NAME_KEY, name);
}

function askName(signedIn: string | null): Promise<Joining> {
  const dialog = byId<HTMLDialogElement>("join");
  const input = byId<HTMLInputElement>("join-name");
  const codeInput = byId<HTMLInputElement>("join-code");
  const error = byId("join-error");
  input.value = signedIn ?? localStorage.getItem(NAME_KEY) ?? "";
  input.readOnly = signedIn !== null;
  dialog.showModal();
  input.focus();
  return new Promise((resolve) => {
    byId<HTMLFormElement>("join-form").addEventListener("submit", (e) => {
      const parsed = DisplayName.safeParse(input.value);
      if (!parsed.success) {
        e.preventDefault();
        error.textContent = parsed.error.issues[0]?.message ?? "Enter a display name.";
        input.focus();
        return;
      }
      localStorage.setItem(NAME_KEY, parsed.data);
      resolve({ name: parsed.data, continuing: null });
    });
    byId("join-continue").addEventListener("click", () => {
      const code = codeInput.value.replace(/\D/g, "");
      if (code.length !== 6) {
        error.textContent = "A handoff code has 6 digits.";
        codeInput.focus();
        return;
      }
      fetchTicket(code).then(
        async (preview) => {
          dialog.close();
          if (await confirmContinue(preview)) resolve({ name: preview.name, continuing: preview });
          else dialog.showModal();
        },
        (err: Error) => (error.textContent = err.message),
      );
    });
    dialog.addEventListener("cancel", (e) => e.preventDefault());
  });
}

async function joinWithRetry(session: PlantSession, plantId: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await session.join(plantId, name, detectDevice());
      return;
    } catch (e) {
      const msg = (e as Error).message;
      toast(`Cannot join: ${msg}${attempt < 5 ? " Retrying…" : ""}`);
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}
