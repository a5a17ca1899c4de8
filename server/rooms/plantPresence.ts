/**
 * Who is on a plant across its rooms in this process. A plant has one room until that room is full
 * (MAX_CLIENTS); past that, a second room opens on the same twin, alarms, notes and journal (PlantHub), and
 * each room shows how many people are in the plant's other rooms, so nobody believes they are alone on it.
 * The smallest honest version: a count, not their avatars, pings or voice (those stay within a room).
 */
export class PlantPresence {
  /** plant -> room id -> how many seats that room has now. */
  private readonly rooms = new Map<string, Map<string, () => number>>();

  /** A room of `plant` opened; returns what closes it. */
  enter(plant: string, roomId: string, seats: () => number): () => void {
    let m = this.rooms.get(plant);
    if (!m) this.rooms.set(plant, (m = new Map<string, () => number>()));
    m.set(roomId, seats);
    return () => {
      m.delete(roomId);
      if (m.size === 0 && this.rooms.get(plant) === m) this.rooms.delete(plant);
    };
  }

  /** People in the plant's rooms other than `roomId`. */
  elsewhere(plant: string, roomId: string): number {
    let n = 0;
    for (const [id, seats] of this.rooms.get(plant) ?? []) if (id !== roomId) n += seats();
    return n;
  }

  /** Open rooms of a plant in this process. */
  roomCount(plant: string): number {
    return this.rooms.get(plant)?.size ?? 0;
  }
}
