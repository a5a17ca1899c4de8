/**
 * From identity-provider claims to a Gemba role: pure functions, no I/O.
 * OIDC_ROLE_MAP lists "group=role" pairs; a person gets the highest role any of
 * their groups maps to. The claim may be a dotted path (Keycloak: `realm_access.roles`).
 */
import { ROLES, type Role } from "../../shared/protocol.ts";

export type RoleMap = ReadonlyMap<string, Role>;

const RANK: Record<Role, number> = { viewer: 0, operator: 1, expert: 2, admin: 3 };

/** Parse `gemba-admins=admin,gemba-experts=expert`; throws with one sentence naming the bad pair. */
export function parseRoleMap(raw: string, varName = "OIDC_ROLE_MAP"): RoleMap {
  const map = new Map<string, Role>();
  for (const pair of raw.split(",")) {
    const p = pair.trim();
    if (!p) continue;
    const eq = p.lastIndexOf("=");
    const group = eq > 0 ? p.slice(0, eq).trim() : "";
    const role = eq > 0 ? p.slice(eq + 1).trim() : "";
    if (!group || !(ROLES as readonly string[]).includes(role)) {
      throw new Error(
        `${varName} must list group=role pairs separated by commas (roles: ${ROLES.join(", ")}), got "${p}".`,
      );
    }
    map.set(group, role as Role);
  }
  if (map.size === 0) throw new Error(`${varName} must map at least one group to a role, e.g. gemba-admins=admin.`);
  return map;
}

/** The claim's value at a dotted path, as a list of strings (a single string becomes a one-element list). */
export function claimValues(claims: Record<string, unknown>, claimPath: string): string[] {
  let v: unknown = claims;
  for (const key of claimPath.split(".")) {
    if (v === null || typeof v !== "object") return [];
    v = (v as Record<string, unknown>)[key];
  }
  if (typeof v === "string") return v.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return [];
}

/** The highest role the groups map to; `fallback` when none does (null: refuse). */
export function mapRole(groups: readonly string[], map: RoleMap, fallback: Role | null): Role | null {
  let best: Role | null = null;
  for (const g of groups) {
    const r = map.get(g);
    if (r && (best === null || RANK[r] > RANK[best])) best = r;
  }
  return best ?? fallback;
}

/** The lower of two roles (an access list's cap). */
export function capRole(role: Role, cap: Role | undefined): Role {
  return cap && RANK[cap] < RANK[role] ? cap : role;
}
