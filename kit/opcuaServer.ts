/**
 * A real OPC UA server (node-opcua) with a small plant of variables, for tests that connect Gemba to it.
 * Each test brings its own port (freePort) and PKI folder (a temp dir): node-opcua keeps the server's
 * certificate there, so a restart on the same folder presents the same certificate, as a real server does.
 * Values are set with their StatusCode and source timestamp (setValueFromSource), the way a device driver does.
 */
import { OPCUAServer } from "node-opcua-server";
import { OPCUACertificateManager } from "node-opcua-certificate-manager";
import {
  DataType,
  MessageSecurityMode,
  SecurityPolicy,
  StatusCodes,
  Variant,
  VariantArrayType,
  type StatusCode,
} from "node-opcua-client";
import fs from "node:fs";
import path from "node:path";

/** The parts of node-opcua's UAVariable used here. */
interface UAVariable {
  setValueFromSource(value: Variant, statusCode?: StatusCode, sourceTimestamp?: Date): void;
}

export interface TestVariable {
  /** The string identifier: the NodeId is `nsu=<namespace>;s=<name>`. */
  name: string;
  dataType: DataType;
  value: unknown;
  arrayType?: VariantArrayType;
  status?: StatusCode;
  sourceTimestamp?: Date;
  /**
   * Makes it an AnalogItem with this EngineeringUnits property (OPC 10000-8 5.6.3): unitId is the UNECE
   * Recommendation 20 code in the encoding OPC UA specifies (e.g. "CEL" -> 0x43454C = 4408652).
   */
  engineeringUnits?: { unitId: number; displayName: string };
}

/** node-opcua's Namespace.addAnalogDataItem, which its published Namespace type does not declare. */
interface AnalogItems {
  addAnalogDataItem(o: Record<string, unknown>): UAVariable;
}

export interface OpcUaTestServerOptions {
  port: number;
  pkiDir: string;
  namespaceUri: string;
  variables: readonly TestVariable[];
  /** Namespaces registered before ours (a restart with another list renumbers ours). */
  namespacesBefore?: readonly string[];
  /** Only SignAndEncrypt with this policy, and only this user (no anonymous access). */
  secured?: { policy: SecurityPolicy; username: string; password: string };
}

export class OpcUaTestServer {
  private readonly nodes = new Map<string, { node: UAVariable; dataType: DataType }>();

  private constructor(
    private readonly server: OPCUAServer,
    private readonly certificates: OPCUACertificateManager,
    readonly endpoint: string,
    readonly certificateFile: string,
  ) {}

  static async start(o: OpcUaTestServerOptions): Promise<OpcUaTestServer> {
    const cm = new OPCUACertificateManager({
      rootFolder: o.pkiDir,
      // The client's certificate is accepted on first sight: the tests are about Gemba's side of trust.
      automaticallyAcceptUnknownCertificate: true,
    });
    await cm.initialize();
    const secured = o.secured;
    const server = new OPCUAServer({
      port: o.port,
      hostname: "127.0.0.1",
      alternateHostname: ["127.0.0.1", "localhost"],
      serverCertificateManager: cm,
      ...(secured
        ? {
            securityModes: [MessageSecurityMode.SignAndEncrypt],
            securityPolicies: [secured.policy],
            allowAnonymous: false,
            userManager: { isValidUser: (u: string, p: string) => u === secured.username && p === secured.password },
          }
        : { securityModes: [MessageSecurityMode.None], securityPolicies: [SecurityPolicy.None], allowAnonymous: true }),
    });
    await server.initialize();
    const addressSpace = server.engine.addressSpace!;
    for (const uri of o.namespacesBefore ?? []) addressSpace.registerNamespace(uri);
    const ns = addressSpace.registerNamespace(o.namespaceUri);
    const plant = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: "Plant" });
    const s = new OpcUaTestServer(
      server,
      cm,
      `opc.tcp://127.0.0.1:${o.port}`,
      path.join(o.pkiDir, "own/certs/certificate.pem"),
    );
    for (const v of o.variables) {
      const options = {
        componentOf: plant,
        browseName: v.name,
        nodeId: `s=${v.name}`,
        dataType: v.dataType,
        ...(v.arrayType === VariantArrayType.Array ? { valueRank: 1 } : {}),
        // 0: a change is reported as it happens, not polled (OPC 10000-4 5.12.1.2).
        minimumSamplingInterval: 0,
      };
      const eu = v.engineeringUnits;
      const node = eu
        ? (ns as unknown as AnalogItems).addAnalogDataItem({
            ...options,
            engineeringUnitsRange: { low: 0, high: 1000 },
            engineeringUnits: {
              namespaceUri: "http://www.opcfoundation.org/UA/units/un/cefact",
              unitId: eu.unitId,
              displayName: { text: eu.displayName },
            },
          })
        : ns.addVariable(options);
      s.nodes.set(v.name, { node, dataType: v.dataType });
      s.set(v.name, v.value, v.status, v.sourceTimestamp, v.dataType, v.arrayType);
    }
    await server.start();
    if (!fs.existsSync(s.certificateFile)) throw new Error(`no server certificate at ${s.certificateFile}`);
    return s;
  }

  /** A new value (or a status without one: value null) as the device reports it. */
  set(
    name: string,
    value: unknown,
    status: StatusCode = StatusCodes.Good,
    sourceTimestamp = new Date(),
    dataType?: DataType,
    arrayType?: VariantArrayType,
  ): void {
    const known = this.nodes.get(name);
    if (!known) throw new Error(`no variable ${name}`);
    const { node } = known;
    const type = dataType ?? known.dataType;
    const variant =
      value === null
        ? new Variant({ dataType: DataType.Null })
        : new Variant({ dataType: type, value, arrayType: arrayType ?? VariantArrayType.Scalar });
    node.setValueFromSource(variant, status, sourceTimestamp);
  }

  async stop(): Promise<void> {
    await this.server.shutdown(0);
    await this.certificates.dispose();
  }
}
