/** Command line of `npm run plant:discover`, checked once, with a sentence for each mistake. */
export interface DiscoverOptions {
  /** Exactly one of mqtt and opcua is set. */
  mqtt?: string;
  /** An OPC UA server's endpoint URL, browsed instead of listening to a broker. */
  opcua?: string;
  /** How deep below the Objects folder, and how many nodes at most, --opcua browses. */
  depth: number;
  maxNodes: number;
  /** --opcua: the binding's security (as plant.json writes it) and an optional user whose password is in an env var. */
  security: { mode: "None" | "Sign" | "SignAndEncrypt"; policy: "None" | "Basic256Sha256" | "Aes256Sha256RsaPss" };
  user?: { username: string; passwordEnv: string };
  seconds: number;
  out: string;
  id: string;
  name: string;
  /** MQTT topic filters to listen on. */
  topics: string[];
}

export const USAGE = `usage: npm run plant:discover -- --mqtt mqtt://host:1883 [--seconds 30] [--out assets/plants/<id>]
                                [--id discovered] [--name "Discovered plant"] [--topic 'site/#' ...]
       npm run plant:discover -- --opcua opc.tcp://host:4840 [--depth 10] [--max-nodes 20000] [--out ...]
                                [--security SignAndEncrypt:Basic256Sha256] [--user NAME --password-env VAR]
With --mqtt it listens to the broker for a while (read-only: it never publishes); with --opcua it browses
the server's Objects folder (default security None, anonymous; it only browses and reads). Then it writes a starter
plant (DTDL interfaces, plant.json with assets and bindings) that Gemba starts as it is.`;

export class UsageError extends Error {}

export function parseDiscoverArgs(argv: readonly string[]): DiscoverOptions {
  const o: Partial<DiscoverOptions> & { topics: string[] } = { topics: [] };
  let username: string | undefined;
  let passwordEnv: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] =
      a.startsWith("--") && a.includes("=")
        ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
        : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case "--mqtt":
        o.mqtt = value();
        if (!/^(mqtts?|wss?|tcp|tls):\/\/[^\s]+$/.test(o.mqtt))
          throw new UsageError(`--mqtt must look like mqtt://host:1883, got "${o.mqtt}".`);
        break;
      case "--seconds": {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < 1 || n > 3600)
          throw new UsageError(`--seconds is a whole number from 1 to 3600, got "${v}".`);
        o.seconds = n;
        break;
      }
      case "--out":
        o.out = value();
        break;
      case "--id":
        o.id = value();
        if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(o.id))
          throw new UsageError(`--id is lowercase letters, digits and dashes, got "${o.id}".`);
        break;
      case "--name":
        o.name = value();
        break;
      case "--topic":
        o.topics.push(value());
        break;
      case "--opcua":
        o.opcua = value();
        // The same rule plant.json's "opcua" binding checks, so the endpoint written is one Gemba accepts.
        if (!/^opc\.tcp:\/\/[^\s/]+(\/\S*)?$/.test(o.opcua))
          throw new UsageError(`--opcua must look like opc.tcp://host:4840, got "${o.opcua}".`);
        break;
      case "--security": {
        const v = value();
        const m = /^(?:None|(Sign|SignAndEncrypt):(Basic256Sha256|Aes256Sha256RsaPss))$/.exec(v);
        if (!m)
          throw new UsageError(
            `--security is None, or Sign or SignAndEncrypt with a policy, e.g. SignAndEncrypt:Basic256Sha256 (or Aes256Sha256RsaPss), got "${v}".`,
          );
        o.security = m[1]
          ? { mode: m[1] as "Sign" | "SignAndEncrypt", policy: m[2] as "Basic256Sha256" | "Aes256Sha256RsaPss" }
          : { mode: "None", policy: "None" };
        break;
      }
      case "--user":
        username = value();
        break;
      case "--password-env":
        passwordEnv = value();
        if (!/^[A-Z_][A-Z0-9_]*$/.test(passwordEnv))
          throw new UsageError(
            `--password-env is the name of an environment variable (A-Z, 0-9, _), got "${passwordEnv}".`,
          );
        break;
      case "--depth":
        o.depth = wholeNumber(flag, value(), 1, 50);
        break;
      case "--max-nodes":
        o.maxNodes = wholeNumber(flag, value(), 1, 1_000_000);
        break;
      default:
        throw new UsageError(`unknown argument "${a}".`);
    }
  }
  if (!o.mqtt && !o.opcua)
    throw new UsageError(
      "--mqtt or --opcua is required (the plant broker, e.g. mqtt://127.0.0.1:1883, or an OPC UA server, e.g. opc.tcp://127.0.0.1:4840).",
    );
  if (o.mqtt && o.opcua) throw new UsageError("give --mqtt or --opcua, not both: one source per run.");
  if (o.opcua && (o.seconds !== undefined || o.topics.length))
    throw new UsageError("--seconds and --topic are for --mqtt; --opcua browses the server once.");
  if (o.mqtt && (o.security || username || passwordEnv))
    throw new UsageError(
      "--security, --user and --password-env are for --opcua; put a broker's user in the --mqtt URL.",
    );
  if ((username === undefined) !== (passwordEnv === undefined))
    throw new UsageError(
      "--user and --password-env go together: the password is read from that environment variable, never typed on the command line.",
    );
  // Gemba finds a plant by its directory name, so the two must agree.
  const dirName =
    o.out === undefined
      ? undefined
      : o.out
          .replace(/[\\/]+$/, "")
          .split(/[\\/]/)
          .at(-1);
  const id = o.id ?? (dirName !== undefined && /^[a-z0-9][a-z0-9-]{0,62}$/.test(dirName) ? dirName : "discovered");
  if (dirName !== undefined && dirName !== id)
    throw new UsageError(
      `the plant's directory must be named after its id: --out ${o.out} ends in "${dirName}", the id is "${id}".`,
    );
  return {
    ...(o.mqtt ? { mqtt: o.mqtt } : {}),
    ...(o.opcua ? { opcua: o.opcua } : {}),
    security: o.security ?? { mode: "None", policy: "None" },
    ...(username && passwordEnv ? { user: { username, passwordEnv } } : {}),
    depth: o.depth ?? 10,
    maxNodes: o.maxNodes ?? 20_000,
    seconds: o.seconds ?? 30,
    id,
    name: o.name ?? "Discovered plant",
    out: o.out ?? `assets/plants/${id}`,
    topics: o.topics.length ? o.topics : ["#"],
  };
}

function wholeNumber(flag: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max)
    throw new UsageError(`${flag} is a whole number from ${min} to ${max}, got "${v}".`);
  return n;
}

/** The broker URL without a user name or password: what may be printed or written into plant.json. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username === "" && u.password === "") return url;
    u.username = "";
    u.password = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return url;
  }
}
