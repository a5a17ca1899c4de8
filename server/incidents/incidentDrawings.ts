/**
 * The report's "Drawn on the camera" section: every still someone drew on during the incident, and every frame of
 * the live picture a stroke was drawn on (its camera's device sends it: `video.strokeFrame`), with the strokes over it, as inline SVG (the JPEG as a data: URL, so the one-page report still opens offline). A stroke on a
 * device placed in the plant also became an ink note on the asset (listed in the timeline); this is where a
 * stroke that could not be placed is kept with the frame it was drawn on. Pure function over journal entries.
 */
import type { JournalEntry } from "../journal/JournalEntry.ts";

interface Frame {
  jpeg: string;
  width: number;
  height: number;
  at: number;
  /** "still" (frozen for everyone) or "live" (the live picture as the stroke reached the camera's device). */
  source: "still" | "live";
  camera: string;
  strokes: { points: number[]; color: string; who: string; ts: number }[];
}

const num = (v: unknown, fallback: number) => (typeof v === "number" && Number.isFinite(v) ? v : fallback);
const str = (v: unknown) => (typeof v === "string" ? v : "");
const COLOR = /^#[0-9a-f]{3,8}$/i;
const BASE64 = /^[A-Za-z0-9+/]+=*$/;

/** Stills drawn on, in the order they were first drawn on, each with its strokes. */
export function drawnFrames(entries: readonly JournalEntry[]): Frame[] {
  const frames = new Map<string, Frame>();
  const sorted = [...entries].sort((a, b) => a.ts - b.ts);
  const liveFrames = new Map(
    sorted.filter((e) => e.kind === "video.strokeFrame").map((e) => [str(e.data["stroke"]), e] as const),
  );
  for (const e of sorted) {
    if (e.kind !== "video.stroke") continue;
    const d = e.data;
    const live = liveFrames.get(str(d["stroke"]));
    const id = str(d["still"]) || (live ? `live:${str(d["stroke"])}` : "");
    if (!id) continue;
    // A live stroke's picture is in its frame entry; a still's in the first stroke drawn on it.
    const pic = live && !str(d["still"]) ? live.data : d;
    let f = frames.get(id);
    // The first stroke on a still carries its JPEG; a later one whose first fell before the report's window has
    // no picture to draw on and is left to the timeline's line.
    if (!f && BASE64.test(str(pic["jpeg"]))) {
      f = {
        jpeg: str(pic["jpeg"]),
        width: num(pic["width"], 640),
        height: num(pic["height"], 360),
        at: pic === d ? num(d["stillAt"], e.ts) : (live?.ts ?? e.ts),
        source: pic === d ? "still" : "live",
        camera: str(d["cameraName"]),
        strokes: [],
      };
      frames.set(id, f);
    }
    const points = Array.isArray(d["points"]) ? d["points"].filter((p): p is number => typeof p === "number") : [];
    f?.strokes.push({
      points,
      color: COLOR.test(str(d["color"])) ? str(d["color"]) : "#ff8800",
      who: e.actor,
      ts: e.ts,
    });
  }
  return [...frames.values()];
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const clock = (t: number) => new Date(t).toISOString().slice(11, 19);

/** The section's HTML, or "" when nobody drew on a still. */
export function drawingsHtml(entries: readonly JournalEntry[]): string {
  const frames = drawnFrames(entries);
  if (!frames.length) return "";
  const figure = (f: Frame) => {
    const W = 480;
    const H = Math.round((W * f.height) / f.width);
    const lines = f.strokes
      .map((s) => {
        const pts: string[] = [];
        for (let i = 0; i + 1 < s.points.length; i += 2)
          pts.push(`${(s.points[i]! * W).toFixed(1)},${(s.points[i + 1]! * H).toFixed(1)}`);
        return `<polyline points="${pts.join(" ")}" fill="none" stroke="${s.color}" stroke-width="4" stroke-linejoin="round"/>`;
      })
      .join("");
    const who = [...new Set(f.strokes.map((s) => s.who))].join(", ");
    const picture = f.source === "still" ? "still" : "live picture";
    const caption = `${f.camera ? `${f.camera}'s camera` : "A camera"}, ${picture} of ${clock(f.at)} UTC; drawn by ${who} (${f.strokes.length} stroke${f.strokes.length === 1 ? "" : "s"})`;
    return `<figure><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(caption)}">
<image href="data:image/jpeg;base64,${f.jpeg}" width="${W}" height="${H}" preserveAspectRatio="none"/>${lines}</svg>
<figcaption>${esc(caption)}</figcaption></figure>`;
  };
  return `<h2>Drawn on the camera</h2>${frames.map(figure).join("\n")}`;
}
