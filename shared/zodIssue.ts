/**
 * A failed validation as one short sentence for the person who sent it: the
 * first issue, with the path of the field it is about ("a.0: expected number").
 */
import type { z } from "zod";

export function firstIssue(error: z.ZodError): string {
  const i = error.issues[0];
  if (!i) return "invalid.";
  const where = i.path.length ? `${i.path.join(".")}: ` : "";
  return `${where}${i.message}`;
}
