/**
 * The one answer for a plant that is not here. It names the plant asked for and
 * nothing else: not the plants folder (a path on the server) and not the other
 * plants (the list is for people signed in, filtered by their access list).
 */
export function plantNotFoundMessage(plant: string): string {
  return `unknown plant "${plant.slice(0, 63)}": there is no such plant on this server that you may open.`;
}
