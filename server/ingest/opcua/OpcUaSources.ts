/**
 * A plant's OPC UA servers: one OpcUaSource per endpoint, security and user (bindings that share
 * them share one connection), one client certificate store for the process in DATA_DIR (0700:
 * it holds Gemba's private key; servers' certificates are trusted by moving them from rejected/
 * to trusted/certs, node-opcua's PKI layout). Thin: starts, reports, stops.
 */
import fs from "node:fs";
// First: node-opcua prints to the console unless its loggers are set before it runs (opcuaLog.ts).
import "./opcuaLog.ts";
import { OPCUACertificateManager } from "node-opcua-certificate-manager";
import type { OpcUaSourceStatus } from "../../../shared/protocol.ts";
import type { Binding, OpcUaClientBinding } from "../../plant/instance.ts";
import type { PlantIngest } from "../PlantIngest.ts";
import { OpcUaSource, planItems, type OpcUaSourceOptions } from "./OpcUaSource.ts";

export interface OpcUaSourcesOptions {
  /** DATA_DIR/opcua-pki: Gemba's client certificate and the servers it trusts. */
  pkiDir: string;
  env: Readonly<Record<string, string | undefined>>;
  now: () => number;
  log: (msg: string) => void;
  retry?: OpcUaSourceOptions["retry"];
}

/** One certificate manager per PKI folder and process (node-opcua guards its files with a lock of its own), shared. */
const managers = new Map<string, { cm: Promise<OPCUACertificateManager>; users: number }>();

function acquireManager(pkiDir: string): Promise<OPCUACertificateManager> {
  let m = managers.get(pkiDir);
  if (!m) {
    const cm = (async () => {
      fs.mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
      fs.chmodSync(pkiDir, 0o700);
      const manager = new OPCUACertificateManager({ rootFolder: pkiDir, automaticallyAcceptUnknownCertificate: false });
      await manager.initialize();
      return manager;
    })();
    m = { cm, users: 0 };
    managers.set(pkiDir, m);
    cm.catch(() => managers.delete(pkiDir));
  }
  m.users++;
  return m.cm;
}

/** The last plant using a PKI folder lets go: its folder watchers are stopped. */
async function releaseManager(pkiDir: string): Promise<void> {
  const m = managers.get(pkiDir);
  if (!m || --m.users > 0) return;
  managers.delete(pkiDir);
  await (await m.cm).dispose();
}

export class OpcUaSources {
  private constructor(
    private readonly sources: OpcUaSource[],
    private readonly pkiDir: string | null,
  ) {}

  /** Connects in the background: a server that is down does not hold up the plant. */
  static async start(
    bindings: readonly Binding[],
    ingest: OpcUaSourceOptions["ingest"] & Pick<PlantIngest, "refuse">,
    opts: OpcUaSourcesOptions,
  ): Promise<OpcUaSources> {
    const groups = new Map<string, OpcUaClientBinding[]>();
    for (const b of bindings) {
      if (b.format !== "opcua") continue;
      const key = JSON.stringify([b.endpoint, b.security, b.user]);
      groups.set(key, [...(groups.get(key) ?? []), b]);
    }
    if (groups.size === 0) return new OpcUaSources([], null);
    const cm = await acquireManager(opts.pkiDir);
    const sources = [...groups.values()].map(
      (bs) =>
        new OpcUaSource({
          endpoint: bs[0]!.endpoint,
          security: bs[0]!.security,
          user: bs[0]!.user,
          items: bs.flatMap(planItems),
          ingest,
          certificateManager: cm,
          pkiDir: opts.pkiDir,
          env: opts.env,
          now: opts.now,
          log: opts.log,
          ...(opts.retry ? { retry: opts.retry } : {}),
        }),
    );
    for (const s of sources) s.start();
    return new OpcUaSources(sources, opts.pkiDir);
  }

  status(): OpcUaSourceStatus[] {
    return this.sources.map((s) => s.status());
  }

  /** For the plant status panel: why some values are not arriving ("" when every server is connected). */
  offline(): string {
    return this.sources
      .map((s) => s.status())
      .filter((s) => s.state !== "connected")
      .map((s) => `OPC UA server ${s.endpoint}: ${s.state} (${s.reason}).`)
      .join(" ");
  }

  async close(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.close()));
    if (this.pkiDir !== null) await releaseManager(this.pkiDir);
  }
}
