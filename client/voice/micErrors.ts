/** What to tell a person when their microphone cannot be opened or goes away. */

export function micErrorMessage(e: unknown): string {
  const name = e instanceof DOMException || e instanceof Error ? e.name : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return "Microphone access was refused. Allow the microphone for this site (the icon in the address bar), then press “Join voice” again.";
    case "NotFoundError":
    case "OverconstrainedError":
      return "No microphone was found. Plug one in, then press “Join voice” again.";
    case "NotReadableError":
    case "AbortError":
      return "The microphone could not be opened: another application may be using it.";
    default:
      return `The microphone could not be opened (${(e as Error | undefined)?.message ?? "unknown error"}).`;
  }
}

export const MIC_ENDED =
  "Your microphone stopped (unplugged?). Others cannot hear you: pick a microphone in the voice panel.";

export const NO_MEDIA_DEVICES = "This page cannot use a microphone: open Gemba over https (or on localhost) to talk.";
