/**
 * The reference parser's complaints as Gemba's plant issues: each with the file and JSON path
 * (e.g. "models/Pump.json at contents[5].unit") and the parser's reason. The parser names
 * elements by DTMI ("dtmi:ex:Pump:_contents:__vibration;1"); the files say where each lives.
 */
import type { ParsingError, ResolutionException } from "@digicatapult/dtdl-parser";
import type { PlantIssue } from "../PlantError.ts";
import type { ModelFile } from "./modelFiles.ts";

interface Place {
  file: string;
  path: string;
  node: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const join = (base: string, key: string | number): string =>
  typeof key === "number" ? `${base}[${key}]` : base === "" ? key : `${base}.${key}`;

/** Every JSON node of every file, with its path (depth-first). */
function* walk(files: readonly ModelFile[]): Generator<Place & { key: string | number | undefined }> {
  function* visit(
    file: string,
    node: unknown,
    p: string,
    key: string | number | undefined,
  ): Generator<Place & { key: string | number | undefined }> {
    yield { file, path: p, node, key };
    if (Array.isArray(node)) for (let i = 0; i < node.length; i++) yield* visit(file, node[i], join(p, i), i);
    else if (isObject(node)) for (const [k, v] of Object.entries(node)) yield* visit(file, v, join(p, k), k);
  }
  for (const f of files) yield* visit(f.rel, f.doc, "", undefined);
}

function indexIds(files: readonly ModelFile[]): Map<string, Place> {
  const ids = new Map<string, Place>();
  for (const p of walk(files)) {
    if (isObject(p.node) && typeof p.node["@id"] === "string" && !ids.has(p.node["@id"])) ids.set(p.node["@id"], p);
  }
  return ids;
}

/** Follow the parser's generated id segments ("_contents", "__name", "_schema", ...) down from a known element. */
function descend(start: Place, segments: string[]): Place {
  let at = start;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (!seg.startsWith("_") || seg.startsWith("__") || !isObject(at.node)) break;
    const prop = seg.slice(1);
    const child = at.node[prop];
    const next = segments[i + 1];
    if (Array.isArray(child) && next?.startsWith("__")) {
      const idx = child.findIndex((c) => isObject(c) && c["name"] === next.slice(2));
      if (idx < 0) break;
      at = { file: at.file, path: join(join(at.path, prop), idx), node: child[idx] };
      i++;
    } else if (child !== undefined) {
      at = { file: at.file, path: join(at.path, prop), node: child };
    } else break;
  }
  return at;
}

function locate(id: string | null | undefined, ids: Map<string, Place>): Place | undefined {
  if (!id) return undefined;
  const exact = ids.get(id);
  if (exact) return exact;
  const semi = id.lastIndexOf(";");
  if (semi < 0) return undefined;
  const version = id.slice(semi);
  const parts = id.slice(0, semi).split(":");
  for (let n = parts.length - 1; n > 1; n--) {
    const owner = ids.get(parts.slice(0, n).join(":") + version);
    if (owner) return descend(owner, parts.slice(n));
  }
  return undefined;
}

function placeOfValue(files: readonly ModelFile[], value: string): Place | undefined {
  for (const p of walk(files)) if (p.node === value) return p;
  return undefined;
}

export function parsingIssues(errors: readonly ParsingError[], files: readonly ModelFile[]): PlantIssue[] {
  const ids = indexIds(files);
  return errors.map((e) => {
    let place = locate(e.PrimaryID, ids);
    let path = place?.path ?? "";
    if (place && e.Property && isObject(place.node) && e.Property in place.node) path = join(path, e.Property);
    if (!place && e.Value) {
      place = placeOfValue(files, e.Value);
      path = place?.path ?? "";
    }
    const action = e.Action.replace(/\s*--\s*see aka\.ms\/dtdl\.?$/, ".").replace(/\.\.$/, ".");
    return { file: place?.file ?? "models", path, reason: `${e.Cause} ${action}` };
  });
}

const VERB: Record<string, string> = {
  extends: "extends",
  schema: "uses the schema",
  elementSchema: "uses the schema",
};

/** A reference nothing defines (extends, a component or a schema DTMI): one issue per place that uses it. */
export function resolutionIssues(ex: ResolutionException, files: readonly ModelFile[]): PlantIssue[] {
  const missing = new Set(ex.UndefinedIdentifiers);
  const issues: PlantIssue[] = [];
  const found = new Set<string>();
  for (const p of walk(files)) {
    if (typeof p.node !== "string" || !missing.has(p.node) || p.key === "@id") continue;
    const key =
      typeof p.key === "number"
        ? (p.path
            .replace(/\[\d+\]$/, "")
            .split(".")
            .pop() ?? "")
        : (p.key ?? "");
    issues.push({
      file: p.file,
      path: p.path,
      reason: `${VERB[key] ?? "refers to"} ${p.node}, which no model file defines (check the DTMI and its version, or add the file).`,
    });
    found.add(p.node);
  }
  for (const id of missing) {
    if (!found.has(id))
      issues.push({ file: "models", path: "", reason: `${id} is referenced but no model file defines it.` });
  }
  return issues;
}
