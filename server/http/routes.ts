/**
 * HTTP routes beside the Colyseus matchmaker: health, plant models and scenes,
 * the simulator's fault control, and the built web client. Bodies are validated
 * with zod; every error is JSON `{ error }` with one sentence.
 *
 * Plant data (list, model, history, snapshot, timeline, scene) and the simulator
 * need a sign-in token, checked by the same gate and access list as a room join
 * (docs/SECURITY.md). Public: /healthz, /gemba-local-ca.pem, /api/auth/*, and the
 * handoff preview (its unguessable code is the credential; see docs/SECURITY.md).
 */
import fs from "node:fs";
import path from "node:path";
import express, { type Application, type Request, type Response } from "express";
import { z } from "zod";
import type { Health } from "../../shared/protocol.ts";
import { PlantId } from "../../shared/protocol.ts";
import { countPoints } from "../../shared/plant.ts";
import type { PlantHub } from "../runtime/PlantHub.ts";
import { securityHeadersFor } from "./securityHeaders.ts";
import { installJournalRoutes } from "./journalRoutes.ts";
import { FORECAST_CHART_MS, type TwinForecast } from "../../shared/forecast.ts";
import { installAuthRoutes } from "../auth/authRoutes.ts";
import { allowed, identified } from "../auth/httpGuard.ts";
import { requester } from "../auth/authRoutes.ts";
import type { Auth } from "../auth/createAuth.ts";
import type { JournalStore } from "../store/JournalStore.ts";
import type { TicketBook } from "../handoff/HandoffTickets.ts";
import { incidentCsv, incidentHtml } from "../incidents/IncidentReport.ts";
import { assembleIncident } from "../runtime/incidentBundle.ts";
import { precompressed } from "./precompressed.ts";
import { UnknownPlantError } from "../runtime/PlantHub.ts";
import { plantNotFoundMessage } from "./plantNotFound.ts";
import { HANDOFF_REFUSED } from "./handoffRefusal.ts";
import type { DeviceLinkInfo } from "../../shared/deviceLink.ts";
import { apiErrorHandler, type ApiErrorCounters } from "./apiErrors.ts";
import { installDrillRoutes } from "./drillRoutes.ts";
import type { DrillScoreStore } from "../store/DrillScoreStore.ts";
import { DRILL_TIMELINE_KINDS, drillOf } from "../../shared/drill.ts";

export interface SimControl {
  running(): boolean;
  faults(): { name: string; target: string; since: number }[];
  /** `slowdown` ≥ 1: cavitation and bearing wear develop that many times slower (server/sim/faultCatalogue.ts). */
  inject(name: string, target: string, slowdown?: number): void;
  clear(name?: string, target?: string): number;
  names: readonly string[];
}

export interface RouteDeps {
  hub: PlantHub;
  clientDir: string;
  version: string;
  startedAt: number;
  now: () => number;
  mqtt: () => Health["mqtt"];
  /** The Sparkplug primary host (SPARKPLUG_HOST_ID), or null when Gemba is not one. */
  sparkplugHost?: () => Health["sparkplugHost"];
  roomStats: () => { rooms: number; clients: number };
  sim: SimControl | null;
  defaultPlant: string;
  tickets: TicketBook;
  /** Sign-in (server/auth): the dev/oidc routes, and the gate the journal routes check. */
  auth: Auth;
  store: JournalStore;
  /** The local CA certificate (PEM) that devices install to trust this server's HTTPS, when it made one. */
  trustCertificate?: string | null;
  /** Where a failed request is logged (throttled), and its counters by reason (in /healthz). */
  log: (m: string) => void;
  apiErrors: ApiErrorCounters;
  /** Served over HTTPS: browsers are told to keep to it (HSTS). */
  https?: boolean;
  /** Where another device reaches this server, for a page at the given origin (server/http/deviceLink.ts). */
  deviceLink: (pageOrigin: string) => DeviceLinkInfo;
  /** Drill scores kept over time (server/drills/); absent: no drill routes. */
  drillScores?: DrillScoreStore;
}

const FaultBody = z
  .object({ name: z.string().max(64), target: z.string().max(200), slowdown: z.number().optional() })
  .strict();
const ClearBody = z.object({ name: z.string().max(64).optional(), target: z.string().max(200).optional() }).strict();

function fail(res: Response, status: number, error: string): void {
  res.status(status).json({ error });
}

export function installRoutes(app: Application, deps: RouteDeps): void {
  app.disable("x-powered-by");
  app.use(securityHeadersFor(deps.auth.providerOrigin, { https: deps.https === true }));
  app.use("/api", express.json({ limit: "16kb" }));
  installAuthRoutes(app, deps.auth);
  installJournalRoutes(app, { hub: deps.hub, store: deps.store, gate: deps.auth.gate, now: deps.now });
  if (deps.drillScores) installDrillRoutes(app, { scores: deps.drillScores, gate: deps.auth.gate });

  // Public by nature: a device downloads this to trust the server's generated HTTPS certificate.
  app.get("/gemba-local-ca.pem", (_req, res) => {
    if (!deps.trustCertificate) return fail(res, 404, "This server does not use a generated certificate.");
    res.type("application/x-pem-file").attachment("gemba-local-ca.pem").send(deps.trustCertificate);
  });

  app.get("/healthz", (_req, res) => {
    const mqtt = deps.mqtt();
    const rs = deps.roomStats();
    const journal = deps.store.health();
    const body: Health = {
      // Degraded when either side is: no plant data, or actions that are not being stored.
      ok: mqtt.connected && journal.ok,
      journal,
      version: deps.version,
      protocol: 1,
      uptimeSeconds: Math.round((deps.now() - deps.startedAt) / 1000),
      mqtt,
      sparkplugHost: deps.sparkplugHost?.() ?? null,
      simulator: {
        running: deps.sim?.running() ?? false,
        faults: deps.sim?.faults().map((f) => `${f.name}@${f.target}`) ?? [],
      },
      // Sign-ins and refused tokens since start, by reason (server/auth/SignInGate.ts).
      auth: { mode: deps.auth.gate.mode, signIns: deps.auth.gate.signIns, refused: { ...deps.auth.gate.refused } },
      rooms: rs.rooms,
      clients: rs.clients,
      plants: deps.hub.loaded().map((rt) => ({
        id: rt.plant.model.id,
        twins: rt.plant.model.twins.length,
        points: countPoints(rt.plant.model),
        ingest: { ...rt.ingest.counters },
        // Per bound edge node: "online", "waiting for birth" (its NBIRTH was missed), "offline", "not seen".
        sparkplug: rt.ingest.sparkplug?.nodeStatus() ?? [],
        // Per OPC UA server: connected / connecting / reconnecting / offline with the reason, and refused items.
        opcua: rt.opcua.status(),
        memory: {
          historyBytes: rt.twin.memoryBytes(),
          fullRateMinutes: rt.twin.horizonMs / 60_000,
          coarseHours: rt.twin.coarseHorizonMs / 3600_000,
        },
      })),
    };
    res.status(body.ok ? 200 : 503).json(body);
  });

  // Only the plants the access list lets this person into; `default` is null when that is not one of them.
  app.get("/api/plants", async (req, res) => {
    const who = await identified(deps.auth.gate, req, res, "list plants");
    if (!who) return;
    const plants = deps.hub.available().filter((p) => deps.auth.gate.mayJoin(p, who));
    res.json({ plants, default: plants.includes(deps.defaultPlant) ? deps.defaultPlant : (plants[0] ?? null) });
  });

  /** The plant id of the URL, once the bearer token may view that plant (the room join's checks); else answered. */
  const viewable = async (req: Request, res: Response): Promise<string | null> => {
    const id = PlantId.safeParse(req.params["id"]);
    if (!id.success) {
      fail(res, 400, "A plant id is lowercase letters, digits and dashes.");
      return null;
    }
    return (await allowed(deps.auth.gate, req, res, id.data, "view")) ? id.data : null;
  };

  const withPlant = async (req: Request, res: Response) => {
    const id = await viewable(req, res);
    if (id === null) return null;
    try {
      const rt = await deps.hub.get(id);
      // In a cluster, a look at a plant no room here holds must not leave this process ingesting it.
      res.once("finish", () => void deps.hub.unloadIfIdle(id));
      return rt;
    } catch (e) {
      // The hub's message names the plants folder and the other plants: for the operator's log, not the requester.
      if (!(e instanceof UnknownPlantError)) throw e;
      fail(res, 404, plantNotFoundMessage(id));
      return null;
    }
  };

  /** The plant's files only (model, scene): never starts ingest, so any process of a cluster can answer. */
  const withModel = async (req: Request, res: Response) => {
    const id = await viewable(req, res);
    if (id === null) return null;
    try {
      return await deps.hub.model(id);
    } catch (e) {
      // The hub's message names the plants folder and the other plants: for the operator's log, not the requester.
      if (!(e instanceof UnknownPlantError)) throw e;
      fail(res, 404, plantNotFoundMessage(id));
      return null;
    }
  };

  app.get("/api/plants/:id", async (req, res) => {
    const plant = await withModel(req, res);
    if (plant) res.json(plant.model);
  });

  const HistoryQuery = z.object({
    twin: z.string().max(128),
    point: z.string().max(128),
    from: z.coerce.number().finite().optional(),
    to: z.coerce.number().finite().optional(),
    max: z.coerce.number().int().min(2).max(5000).default(500),
  });
  app.get("/api/plants/:id/history", async (req, res) => {
    const rt = await withPlant(req, res);
    if (!rt) return;
    const q = HistoryQuery.safeParse(req.query);
    if (!q.success) return fail(res, 400, "Ask for ?twin=…&point=…[&from=ms&to=ms&max=N].");
    const i = rt.twin.indexOf(q.data.twin, q.data.point);
    if (i === undefined) return fail(res, 404, `There is no point ${q.data.twin}/${q.data.point}.`);
    const to = q.data.to ?? deps.now();
    const from = q.data.from ?? to - 5 * 60_000;
    const h = rt.twin.points[i]!.history;
    res.json({
      twin: q.data.twin,
      point: q.data.point,
      from,
      to,
      horizon: h.oldest ?? null,
      ...h.range(from, to, q.data.max),
    });
  });

  // The forecast of each numeric point of one asset (server/forecast/), for the inspector's ghost charts.
  const ForecastQuery = z.object({ twin: z.string().min(1).max(128) });
  app.get("/api/plants/:id/forecast", async (req, res) => {
    const rt = await withPlant(req, res);
    if (!rt) return;
    const q = ForecastQuery.safeParse(req.query);
    if (!q.success) return fail(res, 400, "Ask for ?twin=<asset id>.");
    const ti = rt.twin.twinIndex(q.data.twin);
    if (ti === undefined) return fail(res, 404, `There is no asset ${q.data.twin}.`);
    const from = rt.twin.latestTs;
    const steps = Math.round(FORECAST_CHART_MS / rt.forecast.stepMs);
    const points: TwinForecast["points"] = {};
    for (const i of rt.twin.twins[ti]!.points) {
      const c = from > 0 ? rt.forecast.curve(i, from, steps) : undefined;
      if (c) points[rt.twin.points[i]!.def.name] = c;
    }
    const body: TwinForecast = { twin: q.data.twin, from, points };
    res.json(body);
  });

  app.get("/api/plants/:id/snapshot", async (req, res) => {
    const rt = await withPlant(req, res);
    if (!rt) return;
    const t = z.coerce.number().finite().safeParse(req.query["t"]);
    if (!t.success) return fail(res, 400, "Ask for ?t=<ms since epoch>.");
    const points: Record<string, { v: number; ts: number; q: number }> = {};
    let known = 0;
    rt.twin.points.forEach((p, i) => {
      const s = rt.twin.valueAt(i, t.data);
      if (s) {
        points[p.key] = s;
        known++;
      }
    });
    res.json({ t: t.data, points, known, total: rt.twin.points.length });
  });

  // The timeline: how far back working memory reaches, and the events to mark on it.
  app.get("/api/plants/:id/timeline", async (req, res) => {
    const rt = await withPlant(req, res);
    if (!rt) return;
    let oldest = Infinity;
    for (const p of rt.twin.points)
      oldest = Math.min(oldest, p.history.oldest ?? Infinity, p.coarse.oldest ?? Infinity);
    const now = deps.now();
    const horizon = oldest === Infinity ? now : oldest;
    const events = rt.store.query({
      plant: rt.plant.model.id,
      since: horizon,
      until: now,
      kinds: [
        "alarm.active",
        "alarm.cleared",
        "alarm.ack",
        "annotation.create",
        "handoff",
        "ping",
        "join",
        "leave",
        "summon",
        "bookmark",
        // A drill's sandbox: what the debrief shows of the trainees' actions (docs/TRAINING.md).
        ...(drillOf(rt.plant.model.id) === null ? [] : DRILL_TIMELINE_KINDS),
      ],
      limit: 2000,
    });
    res.json({
      horizon,
      now,
      events: events.map((e) => ({
        ts: e.ts,
        kind: e.kind,
        actor: e.actor,
        subject: e.subject,
        twin: e.data["twin"] ?? null,
        // What the timeline's tooltips say in words: the alarm's message, the device a seat moved to.
        message: typeof e.data["message"] === "string" ? e.data["message"] : null,
        to: typeof e.data["to"] === "string" ? e.data["to"] : null,
      })),
    });
  });

  // Incident replay bundle for an alarm: ?format=json (default) | csv | html.
  app.get("/api/plants/:id/incidents/:alarm", async (req, res) => {
    const rt = await withPlant(req, res);
    if (!rt) return;
    // It names who acknowledged and who was there: for people signed in to this plant (docs/SECURITY.md).
    if (!(await allowed(deps.auth.gate, req, res, rt.plant.model.id, "report"))) return;
    const alarmId = z.string().max(200).safeParse(req.params["alarm"]);
    const format = z.enum(["json", "csv", "html"]).default("json").safeParse(req.query["format"]);
    if (!alarmId.success || !format.success)
      return fail(res, 400, "Ask for /api/plants/<plant>/incidents/<alarm id>?format=json|csv|html.");
    const plant = rt.plant.model.id;
    const inc = assembleIncident(rt, alarmId.data, deps.now());
    if (!inc) return fail(res, 404, `No alarm "${alarmId.data}" in the journal of plant ${plant}.`);
    const base = `incident-${plant}-${alarmId.data.replace(/[^A-Za-z0-9_.-]/g, "_")}`;
    if (format.data === "csv") {
      res.type("text/csv").setHeader("Content-Disposition", `attachment; filename="${base}.csv"`);
      return res.send(incidentCsv(inc));
    }
    if (format.data === "html") {
      res.type("text/html").setHeader("Content-Disposition", `attachment; filename="${base}.html"`);
      return res.send(incidentHtml(inc));
    }
    res.setHeader("Content-Disposition", `attachment; filename="${base}.json"`);
    res.json(inc);
  });

  app.get("/plants/:id/scene", async (req, res) => {
    const plant = await withModel(req, res);
    if (!plant) return;
    if (plant.scenePath === null)
      return fail(res, 404, "This plant has no 3D scene: the page lays its assets out by area.");
    res.type(path.extname(plant.scenePath) === ".gltf" ? "model/gltf+json" : "model/gltf-binary");
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(plant.scenePath);
  });

  // The simulator drives the default plant: its access list decides who may see or change its faults.
  app.get("/api/sim/faults", async (req, res) => {
    if (!(await allowed(deps.auth.gate, req, res, deps.defaultPlant, "view"))) return;
    if (!deps.sim) return fail(res, 409, "The simulator is not running on this server (SIM=off).");
    res.json({ faults: deps.sim.faults(), available: deps.sim.names });
  });
  app.post("/api/sim/faults", async (req, res) => {
    if (!(await allowed(deps.auth.gate, req, res, deps.defaultPlant, "simulate"))) return;
    if (!deps.sim) return fail(res, 409, "The simulator is not running on this server (SIM=off).");
    const body = FaultBody.safeParse(req.body);
    if (!body.success)
      return fail(res, 400, 'Send JSON like {"name": "cavitation", "target": "P101"}, or with "slowdown": 60.');
    try {
      // The simulator checks the slowdown's range and says it in words (a SimError, "bad-option").
      deps.sim.inject(body.data.name, body.data.target, body.data.slowdown);
    } catch (e) {
      return fail(res, 400, (e as Error).message);
    }
    res.status(201).json({ faults: deps.sim.faults() });
  });
  app.delete("/api/sim/faults", async (req, res) => {
    if (!(await allowed(deps.auth.gate, req, res, deps.defaultPlant, "simulate"))) return;
    if (!deps.sim) return fail(res, 409, "The simulator is not running on this server (SIM=off).");
    const body = ClearBody.safeParse(req.body ?? {});
    if (!body.success) return fail(res, 400, 'Send JSON like {"name": "cavitation", "target": "P101"} or {}.');
    try {
      const cleared = deps.sim.clear(body.data.name, body.data.target);
      res.json({ cleared, faults: deps.sim.faults() });
    } catch (e) {
      fail(res, 400, (e as Error).message);
    }
  });

  // Handoff preview: "Continue Ada's session from headset?" Codes are rate-limited per address.
  // Open without a token on purpose: it shows the ticket to the page before it signs in, and the ticket's own
  // token (bound to its user in oidc mode) is what the join then uses (docs/SECURITY.md).
  app.get("/api/handoff/:key", async (req, res) => {
    const key = z.string().min(6).max(64).safeParse(req.params["key"]);
    if (!key.success) return fail(res, 400, "That is not a handoff code or link.");
    const r = await deps.tickets.peek(key.data, requester(req));
    // Wrong, used and expired codes answer alike (handoffRefusal.ts); only the requester's own limit differs.
    if (!r.ok) return r.code === "rate-limited" ? fail(res, 429, r.message) : fail(res, 404, HANDOFF_REFUSED);
    const t = r.ticket;
    res.setHeader("Cache-Control", "no-store");
    res.json({
      token: t.token,
      name: t.name,
      fromDevice: t.fromDevice,
      plant: t.plant,
      room: t.room,
      expiresAt: t.expiresAt,
    });
  });

  // Public like /api/auth/config: a page asks before it draws the "Move to another device" QR code.
  app.get("/api/device-link", (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json(deps.deviceLink(`${req.protocol}://${req.headers.host ?? "localhost"}`));
  });

  app.use("/api", (_req, res) => fail(res, 404, "No such API route."));
  // Errors from anything above (a body that is not JSON, a bug): one JSON sentence, no stack, no paths.
  app.use(apiErrorHandler(deps.log, deps.apiErrors));

  // The built web client. Hashed assets can be cached; index.html must not be.
  if (fs.existsSync(path.join(deps.clientDir, "index.html"))) {
    app.use(precompressed(deps.clientDir));
    app.use(
      express.static(deps.clientDir, {
        index: false,
        setHeaders: (res, file) => {
          if (file.includes(`${path.sep}assets${path.sep}`))
            res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
        },
      }),
    );
    app.get(/^\/(?!matchmake|plants|api|healthz).*/, (_req, res) => {
      res.setHeader("Cache-Control", "no-cache");
      res.sendFile(path.join(deps.clientDir, "index.html"));
    });
  } else {
    app.get("/", (_req, res) => {
      res
        .status(503)
        .type("text/plain")
        .send(`The web client is not built (no ${deps.clientDir}/index.html). Run "npm run build", then start again.`);
    });
  }
}
