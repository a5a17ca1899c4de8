/**
 * Moving a session between devices, the page side: the "Move to another device"
 * dialog (QR code drawn offline, 6-digit code, link, countdown), the "Continue
 * Ada's session from headset?" confirmation, the "move it here" offer for the same
 * user, and the "Moved to desktop — Take it back" screen.
 */
import type { HandoffTicketInfo } from "../../shared/protocol.ts";
import type { DeviceLinkInfo } from "../../shared/deviceLink.ts";
import { el } from "./dom.ts";

function dialog(id: string): HTMLDialogElement {
  let d = document.getElementById(id) as HTMLDialogElement | null;
  if (!d) {
    d = document.createElement("dialog");
    d.id = id;
    document.body.appendChild(d);
  }
  d.replaceChildren();
  return d;
}

export interface TicketPreview {
  token: string;
  name: string;
  fromDevice: string;
  plant: string;
  room: string;
  expiresAt: number;
}

export async function fetchTicket(key: string): Promise<TicketPreview> {
  const res = await fetch(`/api/handoff/${encodeURIComponent(key)}`);
  const body = (await res.json().catch(() => ({}))) as Partial<TicketPreview> & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `The server refused the handoff (${res.status}).`);
  return body as TicketPreview;
}

/** Where another device opens this server: the page's own address unless that is `localhost` (server/http/deviceLink.ts). */
async function deviceLink(): Promise<DeviceLinkInfo> {
  try {
    const res = await fetch("/api/device-link");
    if (res.ok) return (await res.json()) as DeviceLinkInfo;
  } catch {
    // The server could not be asked (connection lost): the page's own address is the best guess.
  }
  return { base: location.origin, reachable: true, note: null };
}

/** Show the ticket for another device to pick up; `renew` makes a fresh one when it runs out. */
export async function showMoveDialog(create: () => Promise<HandoffTicketInfo>): Promise<void> {
  const d = dialog("move-dialog");
  d.setAttribute("aria-label", "Move to another device");
  const title = el("h1", "", "Move to another device");
  const help = el(
    "p",
    "muted",
    "On the other device, scan the code, open the link, or enter the code on the Gemba start page.",
  );
  const canvas = el("canvas");
  canvas.id = "move-qr";
  const code = el("p", "code");
  code.id = "move-code";
  const link = el("input");
  link.id = "move-link";
  link.readOnly = true;
  link.setAttribute("aria-label", "Link for the other device");
  const timer = el("p", "muted small");
  const error = el("p", "error");
  // Why another device cannot open the link (e.g. the server listens on this computer only), and what to change.
  const reach = el("p", "warning");
  reach.id = "move-reach";
  const row = el("div", "row");
  const renew = el("button", "", "New code");
  renew.type = "button";
  const close = el("button", "", "Close");
  close.type = "button";
  row.append(renew, close);
  d.append(title, help, canvas, code, link, reach, timer, error, row);
  let tick: ReturnType<typeof setInterval> | undefined;
  const load = async () => {
    error.textContent = "";
    timer.textContent = "Making a code…";
    try {
      const [t, where] = await Promise.all([create(), deviceLink()]);
      const url = `${where.base}/?handoff=${encodeURIComponent(t.token)}`;
      reach.textContent = where.note ?? "";
      // The QR code's encoder loads with the first "Move to device" (not part of the first view).
      const { default: QRCode } = await import("qrcode");
      await QRCode.toCanvas(canvas, url, { width: 220, margin: 1, errorCorrectionLevel: "M" });
      code.textContent = `${t.code.slice(0, 3)} ${t.code.slice(3)}`;
      code.dataset["code"] = t.code;
      link.value = url;
      clearInterval(tick);
      const update = () => {
        const left = Math.max(0, Math.round((t.expiresAt - Date.now()) / 1000));
        const mmss = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
        timer.textContent = left > 0 ? `Valid for ${mmss} min, once.` : "This code has expired. Make a new one.";
        canvas.style.opacity = left > 0 ? "1" : "0.2";
      };
      update();
      tick = setInterval(update, 1000);
    } catch (e) {
      error.textContent = (e as Error).message;
    }
  };
  renew.addEventListener("click", () => void load());
  close.addEventListener("click", () => d.close());
  d.addEventListener("close", () => clearInterval(tick), { once: true });
  d.showModal();
  await load();
}

export function closeMoveDialog(): void {
  const d = document.getElementById("move-dialog") as HTMLDialogElement | null;
  if (d?.open) d.close();
}

/** "Continue Ada's session from headset?" Resolves true to continue. */
export function confirmContinue(p: TicketPreview): Promise<boolean> {
  const d = dialog("continue-dialog");
  d.append(
    el("h1", "", `Continue ${p.name}'s session from ${p.fromDevice}?`),
    el("p", "muted", "Your view, selection and call move here; the other device steps back."),
  );
  const row = el("div", "row");
  const no = el("button", "", "Cancel");
  no.type = "button";
  const yes = el("button", "primary", "Continue here");
  yes.type = "button";
  yes.id = "continue-yes";
  row.append(no, yes);
  d.append(row);
  d.showModal();
  return new Promise((resolve) => {
    yes.addEventListener("click", () => {
      d.close();
      resolve(true);
    });
    no.addEventListener("click", () => {
      d.close();
      resolve(false);
    });
  });
}

/** The same user is already here on another device: move it here, or join as a second participant. */
export function offerPull(fromDevice: string): Promise<"pull" | "separate"> {
  const d = dialog("pull-dialog");
  d.append(
    el("h1", "", `Your session is active on ${fromDevice}`),
    el("p", "muted", "Move it to this device with one click, like transferring a call."),
  );
  const row = el("div", "row");
  const sep = el("button", "", "Join separately");
  sep.type = "button";
  const pull = el("button", "primary", "Move it here");
  pull.type = "button";
  pull.id = "pull-yes";
  row.append(sep, pull);
  d.append(row);
  d.showModal();
  d.addEventListener("cancel", (e) => e.preventDefault());
  return new Promise((resolve) => {
    pull.addEventListener("click", () => {
      d.close();
      resolve("pull");
    });
    sep.addEventListener("click", () => {
      d.close();
      resolve("separate");
    });
  });
}

/** This device handed its seat away: say where, and offer to take it back. */
export function showMoved(toDevice: string, takeBack: () => Promise<void>): void {
  const d = dialog("moved-dialog");
  d.append(el("h1", "", `Moved to ${toDevice}`), el("p", "muted", "Your session continues on the other device."));
  const error = el("p", "error");
  const row = el("div", "row");
  const back = el("button", "primary", "Take it back");
  back.type = "button";
  back.id = "take-back";
  row.append(back);
  d.append(error, row);
  d.addEventListener("cancel", (e) => e.preventDefault());
  back.addEventListener("click", () => {
    back.disabled = true;
    takeBack().then(
      () => d.close(),
      (e: Error) => {
        error.textContent = e.message;
        back.disabled = false;
      },
    );
  });
  d.showModal();
}
