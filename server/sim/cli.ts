/**
 * Fault injection from a terminal, against a running Gemba server's simulator:
 *
 *   npm run sim -- fault <name> <target> [--slowdown N] [--url http://127.0.0.1:2567]
 *   npm run sim -- clear [name] [target] [--url ...]
 *   npm run sim -- list [--url ...]
 *   npm run sim -- --opcua [...]      the simulated plant as an OPC UA server (opcuaSimCli.ts)
 *
 * Talks to POST / DELETE / GET /api/sim/faults. The URL can also come from GEMBA_URL; without either,
 * it is this machine at the PORT (and HTTPS) the server was started with, so `PORT=3000 npm start` and
 * `PORT=3000 npm run sim -- list` find each other.
 * The routes need a sign-in token (expert or above to change faults): GEMBA_TOKEN, or
 * else a development sign-in as "Fault CLI" (expert) when the server runs AUTH_MODE=dev.
 *
 * A fault comes as catalogued by default: cavitation alarms ~11 s after it starts, bearing wear ~72 s, so a demo or a
 * drill shows the whole alarm flow while people watch (and the browser tests rely on it). `--slowdown N` makes
 * cavitation and bearing wear develop N times slower, as a real one does over minutes: `--slowdown 60` brings the
 * cavitation alarm after ~9 min and `--slowdown 20` the bearing-wear alarm after ~23 min, time enough for the alarm
 * forecast to say "reaches LOW 0.15 bar in ~6 min" first (docs/WHAT-IF.md).
 */
import { pathToFileURL } from "node:url";
import { FAULTS, isFaultName } from "./PlantSimulator.ts";

/** The server on this machine, at the port and scheme `npm start` would use with the same environment. */
function localUrl(env: Record<string, string | undefined>): string {
  const port = env["PORT"]?.trim() || "2567";
  const https = /^(on|yes|true|1)$/i.test(env["HTTPS"]?.trim() ?? "") || Boolean(env["TLS_CERT"]?.trim());
  return `${https ? "https" : "http"}://127.0.0.1:${port}`;
}

const USAGE = `Usage:
  npm run sim -- fault <name> <target> [--slowdown N] [--url http://127.0.0.1:2567]
  npm run sim -- clear [name] [target] [--url ...]
  npm run sim -- list [--url ...]
The server's address: --url, else GEMBA_URL, else this machine at PORT (2567).
Faults: ${FAULTS.join(", ")}.
Targets: a twin id (P101, XV311, FL1, CV12), or "twin/point" for flatline.
--slowdown N: cavitation and bearing wear develop N times slower than catalogued (1 to 10000; as a real one does:
  60 brings the cavitation alarm after ~9 min, 20 the bearing-wear alarm after ~23 min).
  npm run sim -- --opcua [--port 4840] [--host 127.0.0.1] [--plant assets/plants/demo] [--binding]
    the simulated plant as an OPC UA server (--binding: print the plant.json binding for it and exit)`;

export interface CliDeps {
  fetch?: typeof fetch;
  out?: (line: string) => void;
  err?: (line: string) => void;
  env?: Record<string, string | undefined>;
}

interface FaultJson {
  name: string;
  target: string;
  since?: number;
}

class CliError extends Error {}

/** Run the CLI; returns the process exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: string[], deps: CliDeps = {}): Promise<number> {
  const out = deps.out ?? ((l: string) => console.log(l));
  const err = deps.err ?? ((l: string) => console.error(l));
  const doFetch = deps.fetch ?? fetch;
  const env = deps.env ?? process.env;
  if (argv.includes("--opcua")) {
    // Loaded only here: the fault commands do not need the OPC UA stack.
    const { runOpcUaSim } = await import("./opcuaSimCli.ts");
    return runOpcUaSim(
      argv.filter((a) => a !== "--opcua"),
      { out, err, env },
    );
  }

  let url = env.GEMBA_URL ?? localUrl(env);
  let slowdown: number | undefined;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--url") {
      const v = argv[++i];
      if (!v) {
        err("--url needs a value, e.g. --url http://127.0.0.1:2567.");
        return 2;
      }
      url = v;
    } else if (a.startsWith("--url=")) url = a.slice("--url=".length);
    else if (a === "--slowdown" || a.startsWith("--slowdown=")) {
      const v = a === "--slowdown" ? argv[++i] : a.slice("--slowdown=".length);
      const n = Number(v);
      if (!v || !Number.isFinite(n) || n < 1 || n > 10_000) {
        err(`--slowdown needs a number from 1 to 10000 (how many times slower the fault develops), not "${v ?? ""}".`);
        return 2;
      }
      slowdown = n;
    } else if (a === "-h" || a === "--help") {
      out(USAGE);
      return 0;
    } else args.push(a);
  }
  url = url.replace(/\/+$/, "");
  const base = url;
  let token: string | undefined = env.GEMBA_TOKEN || undefined;
  const call = async (method: "GET" | "POST" | "DELETE", body?: object) => {
    token ??= await devToken(doFetch, base);
    return request(doFetch, base, token, method, body);
  };
  const [cmd, name, target, ...extra] = args;

  try {
    switch (cmd) {
      case "fault": {
        if (!name || !target || extra.length > 0) return usage(err, "fault needs a fault name and a target.");
        checkName(name);
        const body = await call("POST", { name, target, ...(slowdown === undefined ? {} : { slowdown }) });
        out(`Injected ${name} on ${target}${slowdown === undefined ? "" : `, developing ${slowdown}× slower`}.`);
        printFaults(out, body);
        return 0;
      }
      case "clear": {
        if (extra.length > 0) return usage(err, "clear takes at most a fault name and a target.");
        if (name) checkName(name);
        const req: { name?: string; target?: string } = {};
        if (name) req.name = name;
        if (target) req.target = target;
        const body = await call("DELETE", req);
        const cleared = isObject(body) && typeof body.cleared === "number" ? body.cleared : undefined;
        out(cleared === undefined ? "Cleared." : `Cleared ${cleared} fault${cleared === 1 ? "" : "s"}.`);
        printFaults(out, body);
        return 0;
      }
      case "list": {
        if (name) return usage(err, "list takes no arguments.");
        const body = await call("GET");
        printFaults(out, body, true);
        return 0;
      }
      case undefined:
        out(USAGE);
        return 2;
      default:
        return usage(err, `Unknown command "${cmd}".`);
    }
  } catch (e) {
    err(e instanceof CliError ? e.message : `Failed: ${(e as Error).message}`);
    return 1;
  }
}

function usage(err: (l: string) => void, why: string): number {
  err(`${why}\n${USAGE}`);
  return 2;
}

function checkName(name: string): void {
  if (!isFaultName(name)) throw new CliError(`Unknown fault "${name}"; use one of ${FAULTS.join(", ")}.`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A development sign-in token (expert), for servers that run AUTH_MODE=dev. */
async function devToken(doFetch: typeof fetch, base: string): Promise<string> {
  const body = await send(doFetch, base, `${base}/api/auth/dev`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "Fault CLI", role: "expert" }),
    signal: AbortSignal.timeout(5000),
  }).catch((e: unknown) => {
    if (e instanceof CliError && /identity provider/.test(e.message))
      throw new CliError("This server signs people in through its identity provider: set GEMBA_TOKEN to your token.");
    throw e;
  });
  if (!isObject(body) || typeof body.token !== "string")
    throw new CliError("The server's sign-in answer has no token.");
  return body.token;
}

async function request(
  doFetch: typeof fetch,
  base: string,
  token: string,
  method: "GET" | "POST" | "DELETE",
  body?: object,
): Promise<unknown> {
  const auth = { authorization: `Bearer ${token}` };
  return send(doFetch, base, `${base}/api/sim/faults`, {
    method,
    headers: body ? { ...auth, "content-type": "application/json" } : auth,
    body: body ? JSON.stringify(body) : null,
    signal: AbortSignal.timeout(5000),
  });
}

async function send(doFetch: typeof fetch, base: string, endpoint: string, init: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await doFetch(endpoint, init);
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    throw new CliError(
      `Cannot reach the Gemba server at ${base} (${cause}); start it with "npm start", or pass --url (or set PORT) to where it runs.`,
    );
  }
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const msg =
      isObject(json) && typeof json.error === "string" ? json.error : `HTTP ${res.status} ${res.statusText}`.trim();
    throw new CliError(`The server refused: ${msg}`);
  }
  return json;
}

function printFaults(out: (l: string) => void, body: unknown, always = false): void {
  const list: unknown = Array.isArray(body) ? body : isObject(body) ? body.faults : undefined;
  if (!Array.isArray(list)) return;
  const faults = list.filter(
    (f): f is FaultJson => isObject(f) && typeof f.name === "string" && typeof f.target === "string",
  );
  if (faults.length === 0) {
    if (always) out("No active faults.");
    return;
  }
  out("Active faults:");
  for (const f of faults) {
    const since = typeof f.since === "number" ? `  since ${new Date(f.since).toISOString()}` : "";
    out(`  ${f.name.padEnd(13)} ${f.target}${since}`);
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(`Failed: ${(e as Error).message}`);
      process.exitCode = 1;
    },
  );
}
