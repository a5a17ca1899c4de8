/**
 * Drills (docs/TRAINING.md): a drill runs on its own sandbox twin, a "plant" of its own whose id is the real
 * plant's id with `~drill-<id>` after it. Rooms, the journal, playback and the timeline work on that id as on any
 * plant, so nothing a trainee does there reaches the real plant's room, alarm book or journal.
 */

/** What separates the real plant's id from the drill's in a drill plant id ("demo~drill-k3x9q2"). */
export const DRILL_MARK = "~drill-";

/** A drill's own id: lowercase letters and digits. */
export const DRILL_ID = /^[a-z0-9]{4,16}$/;

export function drillPlantId(base: string, drill: string): string {
  return `${base}${DRILL_MARK}${drill}`;
}

/** The real plant a plant id belongs to: itself, or the plant a drill was started on. */
export function basePlantOf(plant: string): string {
  const i = plant.indexOf(DRILL_MARK);
  return i < 0 ? plant : plant.slice(0, i);
}

/** The drill id of a drill plant id, null for a real plant. */
export function drillOf(plant: string): string | null {
  const i = plant.indexOf(DRILL_MARK);
  return i < 0 ? null : plant.slice(i + DRILL_MARK.length);
}

/** Journal kinds a drill's timeline marks besides the plant's usual ones: the debrief's trainee actions. */
export const DRILL_TIMELINE_KINDS = [
  "drill.start",
  "drill.onset",
  "drill.score",
  "drill.end",
  "select",
  "alarm.shelve",
  "procedure.start",
  "procedure.step",
];
