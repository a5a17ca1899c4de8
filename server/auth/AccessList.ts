/**
 * Per-plant access lists (ACCESS_FILE): who may join which plant, and the
 * highest role they get there. Pure after loading; read once at start.
 *
 *   { "demo": { "users": ["dev:ada", "ada@example.com"], "groups": ["line-1"], "maxRole": "operator" },
 *     "*":    { "groups": ["plant-staff"] } }
 *
 * A plant's entry admits a person whose user id or email is in `users`, or who
 * is in one of `groups`; an entry with neither admits every signed-in person.
 * Plants without an entry fall back to "*"; without that, nobody may join them.
 * Without ACCESS_FILE every signed-in person may join every plant.
 */
import fs from "node:fs";
import { z } from "zod";
import { ROLES, type Role } from "../../shared/protocol.ts";
import { capRole } from "./roleMapping.ts";
import type { Identity } from "./identity.ts";
import { basePlantOf } from "../../shared/drill.ts";

const Entry = z
  .object({
    users: z.array(z.string().min(1).max(200)).max(10_000).optional(),
    groups: z.array(z.string().min(1).max(200)).max(1000).optional(),
    maxRole: z.enum(ROLES).optional(),
  })
  .strict();
const AccessFile = z.record(z.string().regex(/^(\*|[a-z0-9][a-z0-9-]{0,62})$/, "a plant id or *"), Entry);
type Entry = z.infer<typeof Entry>;

export type AccessDecision = { ok: true; role: Role } | { ok: false; message: string };

export class AccessList {
  private constructor(private readonly entries: ReadonlyMap<string, Entry> | null) {}

  /** Everyone signed in may join every plant. */
  static open(): AccessList {
    return new AccessList(null);
  }

  static parse(json: unknown, source = "ACCESS_FILE"): AccessList {
    const r = AccessFile.safeParse(json);
    if (!r.success) {
      const i = r.error.issues[0]!;
      throw new Error(`${source}: at ${i.path.join(".") || "the top"}: ${i.message}.`);
    }
    return new AccessList(new Map(Object.entries(r.data)));
  }

  static load(file: string): AccessList {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (e) {
      throw new Error(
        `ACCESS_FILE ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(`ACCESS_FILE ${file} is not JSON: ${(e as Error).message}.`);
    }
    return AccessList.parse(json, `ACCESS_FILE ${file}`);
  }

  get restricted(): boolean {
    return this.entries !== null;
  }

  decide(plantOrDrill: string, who: Identity): AccessDecision {
    if (!this.entries) return { ok: true, role: who.role };
    // A drill's sandbox is open to those who may join the plant it was started on.
    const plant = basePlantOf(plantOrDrill);
    const e = this.entries.get(plant) ?? this.entries.get("*");
    if (!e) return { ok: false, message: `Nobody may join plant "${plant}": it has no entry in the access list.` };
    const open = !e.users?.length && !e.groups?.length;
    const byUser = e.users?.some((u) => u === "*" || u === who.user || (who.email !== null && u === who.email));
    const byGroup = e.groups?.some((g) => who.groups.includes(g));
    if (!open && !byUser && !byGroup) {
      return {
        ok: false,
        message: `${who.name} is not on the access list of plant "${plant}"; ask an administrator for access.`,
      };
    }
    return { ok: true, role: capRole(who.role, e.maxRole) };
  }
}
