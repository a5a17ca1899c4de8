/**
 * The plant simulator behind a real OPC UA server (node-opcua), so the demo can run the way a plant with
 * PLCs or an OPC UA gateway does: `npm run sim -- --opcua`. Every simulated point is a variable
 * `nsu=urn:gemba:demo-sim;s=<twin>/<point>` under Objects/<plant name>/<twin>, updated with the simulator's
 * own time as source timestamp. Security None with anonymous access, and SignAndEncrypt (Basic256Sha256,
 * Aes256Sha256RsaPss) for trying a secured connection. Values only: the server offers no writable variable.
 * Uses PlantSimulator's public API through SimPublisher (the same stepping as the MQTT simulator).
 */
import { OPCUAServer } from "node-opcua-server";
import { OPCUACertificateManager } from "node-opcua-certificate-manager";
import { DataType, MessageSecurityMode, SecurityPolicy, StatusCodes, Variant } from "node-opcua-client";
import fs from "node:fs";
import type { PlantModel, PointDef } from "../../shared/plant.ts";
import { PlantSimulator } from "./PlantSimulator.ts";
import { SimPublisher, type SimClock } from "./SimPublisher.ts";

export const SIM_NAMESPACE = "urn:gemba:demo-sim";

export interface OpcUaSimOptions {
  model: PlantModel;
  port: number;
  /** Where the server keeps its certificate (created 0700 if absent). */
  pkiDir: string;
  seed?: number;
  clock?: SimClock;
  /** Listen address and the host name in its endpoint URL (default 127.0.0.1: only this machine). */
  hostname?: string;
}

interface Writable {
  setValueFromSource(value: Variant, statusCode?: typeof StatusCodes.Good, sourceTimestamp?: Date): void;
}

/** The variable's string identifier: "/" cannot appear in a twin id, so twin and point never run together. */
export const simNodeId = (twin: string, point: string): string => `nsu=${SIM_NAMESPACE};s=${twin}/${point}`;

const typeOf = (schema: string): DataType =>
  schema === "boolean" ? DataType.Boolean : schema === "integer" ? DataType.Int32 : DataType.Double;

/** The simulator moves telemetry; properties (a tank's capacity) are not process values it produces. */
const simulated = (points: readonly PointDef[]) => points.filter((p) => p.kind === "telemetry");

/** The plant.json binding that reads every simulated point from this server. */
export function simBinding(model: PlantModel, endpoint: string, publishingInterval = 250): Record<string, unknown> {
  const types = new Map(model.types.map((t) => [t.id, t]));
  return {
    format: "opcua",
    endpoint,
    publishingInterval,
    items: model.twins.flatMap((tw) =>
      simulated(types.get(tw.type)?.points ?? []).map((p) => ({
        nodeId: simNodeId(tw.id, p.name),
        twin: tw.id,
        point: p.name,
      })),
    ),
  };
}

export class OpcUaSimServer {
  private constructor(
    private readonly server: OPCUAServer,
    private readonly certificates: OPCUACertificateManager,
    private readonly publisher: SimPublisher,
    readonly endpoint: string,
  ) {}

  static async start(o: OpcUaSimOptions): Promise<OpcUaSimServer> {
    const hostname = o.hostname ?? "127.0.0.1";
    fs.mkdirSync(o.pkiDir, { recursive: true, mode: 0o700 });
    const cm = new OPCUACertificateManager({ rootFolder: o.pkiDir, automaticallyAcceptUnknownCertificate: true });
    await cm.initialize();
    const server = new OPCUAServer({
      port: o.port,
      hostname,
      serverCertificateManager: cm,
      buildInfo: { productName: "Gemba plant simulator", manufacturerName: "Gemba" },
      securityModes: [MessageSecurityMode.None, MessageSecurityMode.SignAndEncrypt],
      securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes256_Sha256_RsaPss],
      allowAnonymous: true,
    });
    await server.initialize();
    const space = server.engine.addressSpace!;
    const ns = space.registerNamespace(SIM_NAMESPACE);
    const plant = ns.addObject({ organizedBy: space.rootFolder.objects, browseName: o.model.name });
    const types = new Map(o.model.types.map((t) => [t.id, t]));
    const nodes = new Map<string, { node: Writable; type: DataType }>();
    const sim = new PlantSimulator(o.model, { seed: o.seed ?? 1, startTime: (o.clock ?? Date).now() });
    const first = sim.snapshot();
    for (const tw of o.model.twins) {
      const obj = ns.addObject({ componentOf: plant, browseName: tw.id, nodeId: `s=${tw.id}`, displayName: tw.name });
      for (const p of simulated(types.get(tw.type)?.points ?? [])) {
        const type = typeOf(p.schema);
        const node = ns.addVariable({
          componentOf: obj,
          browseName: p.name,
          nodeId: `s=${tw.id}/${p.name}`,
          dataType: type,
          minimumSamplingInterval: 0,
        }) as unknown as Writable;
        nodes.set(`${tw.id}/${p.name}`, { node, type });
        const v = first.get(`${tw.id}/${p.name}`);
        if (v !== undefined && Number.isFinite(v))
          node.setValueFromSource(variant(type, v), StatusCodes.Good, new Date(sim.now));
      }
    }
    // SimPublisher steps the simulator on wall time; its "topic" is our node key and its payload {v, ts, q}.
    const publisher = new SimPublisher(
      sim,
      (key, payload) => {
        const n = nodes.get(key);
        if (!n) return;
        const { v, ts } = JSON.parse(payload) as { v: number; ts: number };
        n.node.setValueFromSource(variant(n.type, v), StatusCodes.Good, new Date(ts));
      },
      { topicFor: (twin, point) => `${twin}/${point}`, ...(o.clock ? { clock: o.clock } : {}) },
    );
    await server.start();
    publisher.start();
    return new OpcUaSimServer(server, cm, publisher, `opc.tcp://${hostname}:${o.port}`);
  }

  async stop(): Promise<void> {
    this.publisher.stop();
    await this.server.shutdown(0);
    await this.certificates.dispose();
  }
}

function variant(type: DataType, v: number): Variant {
  if (type === DataType.Boolean) return new Variant({ dataType: type, value: v !== 0 });
  if (type === DataType.Int32) return new Variant({ dataType: type, value: Math.round(v) });
  return new Variant({ dataType: type, value: v });
}
