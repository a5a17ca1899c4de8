/**
 * The reference parser's verdict on a plant's models, kept next to them in
 * `<models>/.dtdl-verdict.json` and keyed by a SHA-256 of what the parser is given (every
 * model file's content, after context handling) and the parser's version. Start-up and
 * plant:check re-use it while the models are unchanged: the parser's runtime start costs
 * seconds, the cache a file read. Any change to a model file re-runs the parser. A cache that
 * cannot be written (read-only plant directory) only costs time.
 */
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { PARSER_PACKAGE_VERSION, parseWithReferenceParser, type ParserVerdict } from "./referenceParser.ts";

export const VERDICT_CACHE_FILE = ".dtdl-verdict.json";

interface CacheEntry {
  key: string;
  verdict: ParserVerdict;
}

export function verdictKey(json: string): string {
  return createHash("sha256").update(`dtdl-parser ${PARSER_PACKAGE_VERSION}\n`).update(json).digest("hex");
}

async function readCache(file: string, key: string): Promise<ParserVerdict | undefined> {
  try {
    const entry = JSON.parse(await fs.readFile(file, "utf8")) as CacheEntry;
    return entry.key === key ? entry.verdict : undefined;
  } catch {
    return undefined; // none yet, or unreadable: parse again
  }
}

async function writeCache(file: string, entry: CacheEntry): Promise<void> {
  // Write-then-rename: two servers starting at once never read half a file.
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fs.writeFile(tmp, JSON.stringify(entry));
    await fs.rename(tmp, file);
  } catch {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
  }
}

/** The parser's verdict on `docs` (the documents of one plant), from the cache when the models are unchanged. */
export async function cachedVerdict(
  modelsDir: string,
  docs: unknown[],
): Promise<{ verdict: ParserVerdict; cached: boolean }> {
  const json = JSON.stringify(docs);
  const key = verdictKey(json);
  const file = path.join(modelsDir, VERDICT_CACHE_FILE);
  const hit = await readCache(file, key);
  if (hit) return { verdict: hit, cached: true };
  const verdict = await parseWithReferenceParser(json);
  await writeCache(file, { key, verdict });
  return { verdict, cached: false };
}
