/**
 * A validating reader for the subset of DTDL (v3, and v2 which most published
 * ontologies use) that a plant definition needs: Interfaces with Telemetry,
 * Property, Relationship and Component contents, primitive schemas and units.
 * It reports every problem with its JSON path instead of stopping at the first.
 */
import type { PlantIssue } from "./PlantError.ts";

export const DTMI =
  /^dtmi:[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?(?::[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?)*;[1-9][0-9]{0,8}(?:\.[1-9][0-9]{0,5})?$/;
const NAME = /^[A-Za-z](?:[A-Za-z0-9_]{0,510}[A-Za-z0-9])?$/;
const CONTEXTS = new Set(["dtmi:dtdl:context;3", "dtmi:dtdl:context;2"]);
const EXTENSIONS = new Set([
  "dtmi:dtdl:extension:quantitativeTypes;1",
  "dtmi:dtdl:extension:historization;1",
  "dtmi:dtdl:extension:annotation;1",
]);
const PRIMITIVES = new Set([
  "boolean",
  "date",
  "dateTime",
  "double",
  "duration",
  "float",
  "integer",
  "long",
  "string",
  "time",
  "byte",
  "short",
  "unsignedInteger",
  "unsignedLong",
]);
const CONTENT_KINDS = new Set(["Telemetry", "Property", "Relationship", "Component", "Command"]);

export interface DtdlContent {
  kind: "Telemetry" | "Property" | "Relationship" | "Component" | "Command";
  name: string;
  displayName: string;
  schema: string | null;
  unit: string | null;
  semanticType: string | null;
}

export interface DtdlInterface {
  id: string;
  displayName: string;
  extends: string[];
  contents: DtdlContent[];
  file: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function displayNameOf(v: unknown, fallback: string): string {
  if (typeof v === "string") return v;
  if (isObject(v)) {
    const en = v["en"] ?? Object.values(v)[0];
    if (typeof en === "string") return en;
  }
  return fallback;
}

/** Validate one DTDL document (an Interface or an array of them). Pushes issues; returns the interfaces it could read. */
export function readDtdl(doc: unknown, file: string, issues: PlantIssue[]): DtdlInterface[] {
  const docs = Array.isArray(doc) ? doc : [doc];
  const out: DtdlInterface[] = [];
  docs.forEach((d, i) => {
    const base = Array.isArray(doc) ? `[${i}]` : "";
    const iface = readInterface(d, file, base, issues);
    if (iface) out.push(iface);
  });
  return out;
}

function readInterface(d: unknown, file: string, base: string, issues: PlantIssue[]): DtdlInterface | null {
  const err = (path: string, reason: string) => issues.push({ file, path: base + path, reason });
  if (!isObject(d)) {
    err("", "a DTDL document must be a JSON object (an Interface).");
    return null;
  }
  const ctx = d["@context"];
  const ctxs = Array.isArray(ctx) ? ctx : [ctx];
  if (!ctxs.some((c) => typeof c === "string" && CONTEXTS.has(c))) {
    err("@context", `must name "dtmi:dtdl:context;3" (or ";2"), found ${JSON.stringify(ctx)}.`);
  }
  ctxs.forEach((c, i) => {
    if (typeof c !== "string" || (!CONTEXTS.has(c) && !EXTENSIONS.has(c))) {
      err(Array.isArray(ctx) ? `@context[${i}]` : "@context", `unsupported context ${JSON.stringify(c)}.`);
    }
  });
  const id = d["@id"];
  if (typeof id !== "string" || !DTMI.test(id)) {
    err("@id", `must be a DTMI like "dtmi:example:Pump;1", found ${JSON.stringify(id)}.`);
  }
  if (d["@type"] !== "Interface") err("@type", `must be "Interface", found ${JSON.stringify(d["@type"])}.`);
  const ext = d["extends"];
  const extendsList = ext === undefined ? [] : Array.isArray(ext) ? ext : [ext];
  extendsList.forEach((e, i) => {
    if (typeof e !== "string" || !DTMI.test(e)) err(`extends[${i}]`, "must be a DTMI.");
  });
  const contents: DtdlContent[] = [];
  const raw = d["contents"] ?? [];
  if (!Array.isArray(raw)) {
    err("contents", "must be an array.");
  } else {
    const seen = new Set<string>();
    raw.forEach((c, i) => {
      const p = `contents[${i}]`;
      if (!isObject(c)) {
        err(p, "must be an object.");
        return;
      }
      const types = Array.isArray(c["@type"]) ? (c["@type"] as unknown[]) : [c["@type"]];
      const kind = types.find((t) => typeof t === "string" && CONTENT_KINDS.has(t)) as DtdlContent["kind"] | undefined;
      if (!kind) {
        err(
          `${p}.@type`,
          `must include one of Telemetry, Property, Relationship, Component, Command; found ${JSON.stringify(c["@type"])}.`,
        );
        return;
      }
      const semanticType = (types.find((t) => t !== kind && typeof t === "string") as string | undefined) ?? null;
      const name = c["name"];
      if (typeof name !== "string" || !NAME.test(name)) {
        err(
          `${p}.name`,
          `must be a DTDL name (letters, digits, underscore; starts with a letter), found ${JSON.stringify(name)}.`,
        );
        return;
      }
      if (seen.has(name)) err(`${p}.name`, `duplicate content name "${name}".`);
      seen.add(name);
      let schema: string | null = null;
      if (kind === "Telemetry" || kind === "Property" || kind === "Component") {
        const s = c["schema"];
        if (kind === "Component") {
          if (typeof s !== "string" || !DTMI.test(s))
            err(`${p}.schema`, "a Component's schema must be an Interface DTMI.");
          else schema = s;
        } else if (typeof s === "string") {
          if (!PRIMITIVES.has(s) && !DTMI.test(s)) err(`${p}.schema`, `unknown schema "${s}".`);
          schema = s;
        } else if (isObject(s)) {
          schema = typeof s["@type"] === "string" ? s["@type"] : "object";
        } else {
          err(`${p}.schema`, "is required.");
        }
      }
      const unit = c["unit"];
      if (unit !== undefined && typeof unit !== "string") err(`${p}.unit`, "must be a string.");
      if (unit !== undefined && !semanticType) {
        err(`${p}.unit`, 'a unit needs a semantic type in @type (e.g. ["Telemetry", "Temperature"]).');
      }
      contents.push({
        kind,
        name,
        displayName: displayNameOf(c["displayName"], name),
        schema,
        unit: typeof unit === "string" ? unit : null,
        semanticType,
      });
    });
  }
  if (typeof id !== "string" || !DTMI.test(id)) return null;
  return {
    id,
    displayName: displayNameOf(d["displayName"], id),
    extends: extendsList.filter((e): e is string => typeof e === "string"),
    contents,
    file,
  };
}
