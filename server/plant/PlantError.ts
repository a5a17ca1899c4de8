/** Errors found while loading a plant directory: each names the file, the JSON path and the reason. */
export interface PlantIssue {
  file: string;
  path: string;
  reason: string;
}

/** A zod issue's path as a PlantIssue says it: `steps[2].gate`. */
export function zodPath(p: readonly PropertyKey[]): string {
  return p.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join("");
}

export class PlantError extends Error {
  readonly issues: PlantIssue[];
  constructor(issues: PlantIssue[]) {
    super(
      issues.length === 1
        ? `Plant definition has an error: ${formatIssue(issues[0]!)}`
        : `Plant definition has ${issues.length} errors:\n` + issues.map((i) => "  " + formatIssue(i)).join("\n"),
    );
    this.name = "PlantError";
    this.issues = issues;
  }
}

export function formatIssue(i: PlantIssue): string {
  return `${i.file}${i.path ? ` at ${i.path}` : ""}: ${i.reason}`;
}
