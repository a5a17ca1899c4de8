/**
 * The audit journal over HTTP, for administrators only: query it as JSON, or
 * export it as CSV (`?format=csv`). Every read is itself journaled, so an export
 * of the audit trail leaves a trace in it.
 */
import type { Application, Response } from "express";
import { z } from "zod";
import { PlantId } from "../../shared/protocol.ts";
import type { JournalEntry, JournalStore } from "../store/JournalStore.ts";
import type { PlantHub } from "../runtime/PlantHub.ts";
import { PlantJournal } from "../journal/PlantJournal.ts";
import { SERVER_SCOPE, authStatus, type SignInGate } from "../auth/SignInGate.ts";
import { bearer, requester } from "../auth/authRoutes.ts";
import { AuthError } from "../auth/identity.ts";
import { allowed } from "../auth/httpGuard.ts";
import { plantNotFoundMessage } from "./plantNotFound.ts";

export interface JournalRouteDeps {
  hub: PlantHub;
  store: JournalStore;
  gate: SignInGate;
  now: () => number;
}

const JournalParams = z.object({
  since: z.coerce.number().finite().optional(),
  until: z.coerce.number().finite().optional(),
  kind: z.union([z.string().max(64), z.array(z.string().max(64)).max(50)]).optional(),
  subject: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  format: z.enum(["json", "csv"]).default("json"),
});

function fail(res: Response, status: number, error: string): void {
  res.status(status).json({ error });
}

export function installJournalRoutes(app: Application, deps: JournalRouteDeps): void {
  // The server's own journal: refusals with no plant in question and summaries of refused floods (admins only).
  app.get("/api/server/journal", async (req, res) => {
    let who;
    try {
      who = await deps.gate.requireOnServer(bearer(req), requester(req), "audit");
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      if (e.code === "missing") res.setHeader("WWW-Authenticate", 'Bearer realm="gemba"');
      return fail(res, authStatus(e), e.message);
    }
    const q = JournalParams.safeParse(req.query);
    if (!q.success) return fail(res, 400, "Ask for ?since=ms&until=ms&kind=…&subject=…&limit=N.");
    const kinds = q.data.kind === undefined ? undefined : Array.isArray(q.data.kind) ? q.data.kind : [q.data.kind];
    const entries = deps.store.query({
      plant: SERVER_SCOPE,
      since: q.data.since,
      until: q.data.until,
      kinds,
      subject: q.data.subject,
      limit: q.data.limit,
    });
    deps.store.append(
      new PlantJournal(SERVER_SCOPE, deps.now).entry("journal.read", { name: who.name, device: "" }, who.user, {
        entries: entries.length,
      }),
    );
    res.setHeader("Cache-Control", "no-store");
    res.json({ entries });
  });

  app.get("/api/plants/:id/journal", async (req, res) => {
    const id = PlantId.safeParse(req.params["id"]);
    if (!id.success) return fail(res, 400, "A plant id is lowercase letters, digits and dashes.");
    // The token first: whether a plant exists is for people signed in to it (docs/SECURITY.md).
    const who = await allowed(deps.gate, req, res, id.data, "audit");
    if (!who) return;
    if (!deps.hub.available().includes(id.data)) return fail(res, 404, plantNotFoundMessage(id.data));
    const q = JournalParams.safeParse(req.query);
    if (!q.success) return fail(res, 400, "Ask for ?since=ms&until=ms&kind=…&subject=…&limit=N&format=json|csv.");
    const kinds = q.data.kind === undefined ? undefined : Array.isArray(q.data.kind) ? q.data.kind : [q.data.kind];
    const entries = deps.store.query({
      plant: id.data,
      since: q.data.since,
      until: q.data.until,
      kinds,
      subject: q.data.subject,
      limit: q.data.limit,
    });
    deps.store.append(
      new PlantJournal(id.data, deps.now).entry("journal.read", { name: who.name, device: "" }, who.user, {
        format: q.data.format,
        entries: entries.length,
        query: { ...q.data, format: undefined },
      }),
    );
    res.setHeader("Cache-Control", "no-store");
    if (q.data.format === "csv") {
      res.type("text/csv").setHeader("Content-Disposition", `attachment; filename="journal-${id.data}.csv"`);
      return res.send(journalCsv(entries));
    }
    res.json({ entries });
  });
}

/** RFC 4180 CSV; a cell that a spreadsheet would run as a formula is prefixed with a quote. */
export function journalCsv(entries: readonly JournalEntry[]): string {
  const cell = (v: string) => {
    const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const rows = [["id", "time", "plant", "kind", "actor", "device", "subject", "data"].join(",")];
  for (const e of entries) {
    rows.push(
      [
        String(e.id),
        new Date(e.ts).toISOString(),
        e.plant,
        e.kind,
        e.actor,
        e.device,
        e.subject,
        JSON.stringify(e.data),
      ]
        .map(cell)
        .join(","),
    );
  }
  return rows.join("\r\n") + "\r\n";
}
