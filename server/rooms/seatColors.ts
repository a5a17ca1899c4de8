/** Distinct, colour-blind-friendlier seat colours (Okabe-Ito plus two), assigned round-robin per room. */
export const SEAT_COLORS = [
  "#E69F00",
  "#56B4E9",
  "#009E73",
  "#F0E442",
  "#0072B2",
  "#D55E00",
  "#CC79A7",
  "#9b59b6",
  "#1abc9c",
] as const;

export function pickColor(taken: Iterable<string>): string {
  const used = new Set(taken);
  return SEAT_COLORS.find((c) => !used.has(c)) ?? SEAT_COLORS[used.size % SEAT_COLORS.length]!;
}
