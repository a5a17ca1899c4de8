/** Command line of `npm run plant:discover`, checked once, with a sentence for each mistake. */
export interface DiscoverOptions {
  mqtt: string;
  seconds: number;
  out: string;
  id: string;
  name: string;
  /** MQTT topic filters to listen on. */
  topics: string[];
}

export const USAGE = `usage: npm run plant:discover -- --mqtt mqtt://host:1883 [--seconds 30] [--out assets/plants/<id>]
                                [--id discovered] [--name "Discovered plant"] [--topic 'site/#' ...]
Listens to the broker for a while (read-only: it never publishes), then writes a starter plant
(DTDL interfaces, plant.json with assets and bindings) that Gemba starts as it is.`;

export class UsageError extends Error {}

export function parseDiscoverArgs(argv: readonly string[]): DiscoverOptions {
  const o: Partial<DiscoverOptions> & { topics: string[] } = { topics: [] };
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
        throw new UsageError(
          "--opcua (browsing an OPC UA server) is not available yet; discover from the MQTT broker.",
        );
      default:
        throw new UsageError(`unknown argument "${a}".`);
    }
  }
  if (!o.mqtt) throw new UsageError("--mqtt is required (the plant broker, e.g. mqtt://127.0.0.1:1883).");
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
    mqtt: o.mqtt,
    seconds: o.seconds ?? 30,
    id,
    name: o.name ?? "Discovered plant",
    out: o.out ?? `assets/plants/${id}`,
    topics: o.topics.length ? o.topics : ["#"],
  };
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
