/**
 * DTDL @context handling before the reference parser sees the files. DTDL v2 and v3 and
 * their standard extensions pass as written. Other contexts are vendor extensions
 * (IoT Central's "dtmi:iotcentral:context;2" is the common one in the wild): the plant is
 * accepted with a warning, because Gemba gives their semantic types no meaning. A context the
 * reference parser does not know at all is left out of what it is given (it would refuse
 * the whole file); terms only that context defines then fail with the parser's own reason.
 */
import type { PlantIssue } from "../PlantError.ts";
import type { ModelFile } from "./modelFiles.ts";

const DTDL = new Set(["dtmi:dtdl:context;2", "dtmi:dtdl:context;3"]);
const STANDARD_EXTENSION = /^dtmi:dtdl:extension:[A-Za-z]+;\d+$/;
/** Vendor contexts the reference parser (DTDLParser 1.1) resolves itself. */
const PARSER_KNOWN = new Set(["dtmi:iotcentral:context;2", "dtmi:dtdl:limits:onvif;1"]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The documents to give the parser (each file's top-level elements), and the warnings about contexts. */
export function prepareContexts(files: readonly ModelFile[]): { docs: unknown[]; warnings: PlantIssue[] } {
  const docs: unknown[] = [];
  const warnings: PlantIssue[] = [];
  for (const f of files) {
    const list: unknown[] = Array.isArray(f.doc) ? (f.doc as unknown[]) : [f.doc];
    list.forEach((d, i) => {
      const base = Array.isArray(f.doc) ? `[${i}].` : "";
      if (!isObject(d) || d["@context"] === undefined) {
        docs.push(d);
        return;
      }
      const ctx = d["@context"];
      const ctxs: unknown[] = Array.isArray(ctx) ? (ctx as unknown[]) : [ctx];
      const kept = ctxs.filter((c, j) => {
        if (typeof c !== "string" || DTDL.has(c) || STANDARD_EXTENSION.test(c)) return true;
        const where = `${base}@context${Array.isArray(ctx) ? `[${j}]` : ""}`;
        if (PARSER_KNOWN.has(c)) {
          warnings.push({
            file: f.rel,
            path: where,
            reason: `extension context "${c}" accepted; its semantic types mean nothing to Gemba (its schemas, e.g. geopoint, are read as DTDL objects).`,
          });
          return true;
        }
        warnings.push({
          file: f.rel,
          path: where,
          reason: `unknown extension context "${c}" ignored; terms that only it defines are refused.`,
        });
        return false;
      });
      docs.push(kept.length === ctxs.length ? d : { ...d, "@context": kept.length === 1 ? kept[0] : kept });
    });
  }
  return { docs, warnings };
}
