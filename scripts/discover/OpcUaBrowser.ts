/**
 * `plant:discover --opcua`: walk an OPC UA server's address space from the Objects folder (hierarchical
 * references, forward, Objects and Variables only) and collect, per Object, its Variables with a scalar
 * numeric or boolean DataType and their EngineeringUnits. Read-only: Browse and Read requests, nothing else.
 * Bounded by depth and by nodes visited, so a server with a huge address space is not walked for hours.
 * NodeIds come back as text with the namespace URI (nodeIdText.ts says why an index is never written).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { OPCUACertificateManager } from "node-opcua-certificate-manager";
import {
  AttributeIds,
  BrowseDirection,
  browseAll,
  MessageSecurityMode,
  NodeClass,
  OPCUAClient,
  SecurityPolicy,
  UserTokenType,
  type ClientSession,
  NodeId,
} from "node-opcua-client";
import type { ValueKind } from "./jsonShapes.ts";

export interface FoundVariable {
  browseName: string;
  /** "nsu=<namespace URI>;s=..." */
  nodeId: string;
  kind: ValueKind;
  /** EngineeringUnits' display name ("°C", "m³/h"), when the server gives one. */
  unit?: string;
}

export interface FoundObject {
  browseName: string;
  /** The BrowseName of the Object (or folder) it hangs under; "Objects" at the top. */
  parentName: string;
  variables: FoundVariable[];
}

export interface BrowseProgress {
  browsed: number;
  variables: number;
  elapsedMs: number;
}

export interface BrowseOptions {
  security: { mode: "None" | "Sign" | "SignAndEncrypt"; policy: "None" | "Basic256Sha256" | "Aes256Sha256RsaPss" };
  /** Signs in as this user; anonymous without. */
  user?: { username: string; password: string };
  maxDepth: number;
  maxNodes: number;
  onProgress: (p: BrowseProgress) => void;
}

export interface BrowseResult {
  objects: FoundObject[];
  browsed: number;
  /** Variables seen whose DataType or ValueRank Gemba cannot show (text, arrays, structures). */
  skippedVariables: number;
  /** The walk stopped at maxNodes or maxDepth before seeing everything. */
  truncated: "nodes" | "depth" | null;
}

/** DataTypes of the OPC UA namespace (OPC 10000-6 5.1.2, 10000-3 8.x) that Gemba shows as values. */
const KIND_OF_DATATYPE: ReadonlyMap<number, ValueKind> = new Map([
  [1, "boolean"], // Boolean
  [2, "integer"], // SByte
  [3, "integer"], // Byte
  [4, "integer"], // Int16
  [5, "integer"], // UInt16
  [6, "integer"], // Int32
  [7, "long"], // UInt32
  [8, "long"], // Int64
  [9, "long"], // UInt64
  [10, "double"], // Float
  [11, "double"], // Double
  [26, "double"], // Number (abstract)
  [27, "long"], // Integer (abstract)
  [28, "long"], // UInteger (abstract)
  [290, "double"], // Duration
]);

const OBJECTS_FOLDER = "ns=0;i=85";
const BATCH = 50;

export class OpcUaBrowseError extends Error {}

/** The NodeId as plant.json writes it: namespace by URI, `;` and `%` in it percent-encoded (OPC 10000-6 5.3.1.11). */
export function nodeIdWithUri(id: NodeId, namespaces: readonly string[]): string | null {
  const uri = namespaces[id.namespace];
  if (uri === undefined) return null;
  const v = id.value;
  const identifier =
    id.identifierType === NodeId.NodeIdType.NUMERIC
      ? `i=${String(v)}`
      : id.identifierType === NodeId.NodeIdType.STRING
        ? `s=${String(v)}`
        : id.identifierType === NodeId.NodeIdType.GUID
          ? `g=${String(v)}`
          : `b=${Buffer.isBuffer(v) ? v.toString("base64") : String(v)}`;
  return `nsu=${uri.replace(/%/g, "%25").replace(/;/g, "%3B")};${identifier}`;
}

const POLICY = {
  None: SecurityPolicy.None,
  Basic256Sha256: SecurityPolicy.Basic256Sha256,
  Aes256Sha256RsaPss: SecurityPolicy.Aes256_Sha256_RsaPss,
} as const;

/** Connect, walk, disconnect. Errors become one OpcUaBrowseError sentence. */
export async function browseServer(endpoint: string, o: BrowseOptions): Promise<BrowseResult> {
  // node-opcua's client always loads a certificate, even for security None: a throwaway one, not the user's home.
  // It accepts the server's certificate for this one run; Gemba itself only trusts the ones an operator moved to trusted/.
  const pki = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-discover-pki-"));
  const cm = new OPCUACertificateManager({ rootFolder: pki, automaticallyAcceptUnknownCertificate: true });
  const client = OPCUAClient.create({
    applicationName: "Gemba plant:discover",
    clientCertificateManager: cm,
    securityMode: MessageSecurityMode[o.security.mode],
    securityPolicy: POLICY[o.security.policy],
    endpointMustExist: false,
    // One attempt: a discovery run that cannot reach the server says so instead of retrying forever.
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
  });
  try {
    await cm.initialize();
    let session: ClientSession;
    try {
      await client.connect(endpoint);
      session = await client.createSession(
        o.user
          ? { type: UserTokenType.UserName, userName: o.user.username, password: o.user.password }
          : { type: UserTokenType.Anonymous },
      );
    } catch (e) {
      const why = firstLine(e);
      const reason = /connection cannot be established/i.test(why)
        ? "no OPC UA server answers there; check the host, the port and that the server is running"
        : /BadUserAccessDenied|BadIdentityToken/.test(why)
          ? `the server refused ${o.user ? `user "${o.user.username}"` : "anonymous access"} (${why}); check --user and the password variable`
          : why;
      throw new OpcUaBrowseError(`Cannot browse ${endpoint}: ${reason}.`);
    }
    try {
      return await walk(session, o);
    } catch (e) {
      throw new OpcUaBrowseError(`Browsing ${endpoint} failed: ${firstLine(e)}.`);
    } finally {
      await session.close().catch(() => undefined);
    }
  } finally {
    await client.disconnect().catch(() => undefined);
    await cm.dispose().catch(() => undefined);
    fs.rmSync(pki, { recursive: true, force: true });
  }
}

function firstLine(e: unknown): string {
  const m = (e instanceof Error ? e.message : String(e)).split("\n")[0]!.trim();
  return m.replace(/\.$/, "") || "no reason given";
}

interface Pending {
  nodeId: NodeId | string;
  name: string;
  parentName: string;
  depth: number;
}

interface Candidate {
  nodeId: NodeId;
  browseName: string;
  owner: Pending;
}

async function walk(session: ClientSession, o: BrowseOptions): Promise<BrowseResult> {
  const started = Date.now();
  const nsValue = await session.read({ nodeId: "ns=0;i=2255", attributeId: AttributeIds.Value });
  const namespaces = Array.isArray(nsValue.value.value) ? (nsValue.value.value as string[]) : [];
  const seen = new Set<string>([OBJECTS_FOLDER]);
  let queue: Pending[] = [{ nodeId: OBJECTS_FOLDER, name: "Objects", parentName: "Objects", depth: 0 }];
  const candidates: Candidate[] = [];
  let browsed = 0;
  let truncated: BrowseResult["truncated"] = null;
  const progress = () => o.onProgress({ browsed, variables: candidates.length, elapsedMs: Date.now() - started });
  while (queue.length > 0) {
    const batch = queue.slice(0, BATCH);
    queue = queue.slice(BATCH);
    const results = await browseAll(
      session,
      batch.map((p) => ({
        nodeId: p.nodeId,
        browseDirection: BrowseDirection.Forward,
        referenceTypeId: "HierarchicalReferences",
        includeSubtypes: true,
        nodeClassMask: NodeClass.Object | NodeClass.Variable,
        resultMask: 0x3f,
      })),
    );
    browsed += batch.length;
    results.forEach((r, i) => {
      const from = batch[i]!;
      for (const ref of r.references ?? []) {
        const id = ref.nodeId;
        // Namespace 0 is the OPC UA standard's own (the Server object, its diagnostics): not plant data.
        if (id.serverIndex !== 0 || id.namespace === 0) continue;
        const key = id.toString();
        if (seen.has(key)) continue;
        if (seen.size >= o.maxNodes) {
          truncated = "nodes";
          continue;
        }
        seen.add(key);
        const name = ref.browseName.name ?? key;
        if (Number(ref.nodeClass) === Number(NodeClass.Variable))
          candidates.push({ nodeId: id, browseName: name, owner: from });
        else if (from.depth + 1 >= o.maxDepth) truncated ??= "depth";
        else queue.push({ nodeId: id, name, parentName: from.name, depth: from.depth + 1 });
      }
    });
    progress();
  }
  const kept = await keepValues(session, candidates);
  const units = await engineeringUnits(session, kept);
  const objects = new Map<Pending, FoundObject>();
  kept.forEach((c, i) => {
    const nodeId = nodeIdWithUri(c.nodeId, namespaces);
    if (nodeId === null) return;
    let obj = objects.get(c.owner);
    if (!obj) {
      obj = { browseName: c.owner.name, parentName: c.owner.parentName, variables: [] };
      objects.set(c.owner, obj);
    }
    const unit = units[i];
    obj.variables.push({ browseName: c.browseName, nodeId, kind: c.kind, ...(unit ? { unit } : {}) });
  });
  return { objects: [...objects.values()], browsed, skippedVariables: candidates.length - kept.length, truncated };
}

/** The variables Gemba can show: a scalar (ValueRank -1) of a numeric or boolean DataType. */
async function keepValues(
  session: ClientSession,
  candidates: readonly Candidate[],
): Promise<(Candidate & { kind: ValueKind })[]> {
  const kept: (Candidate & { kind: ValueKind })[] = [];
  for (let i = 0; i < candidates.length; i += BATCH) {
    const batch = candidates.slice(i, i + BATCH);
    const values = await session.read(
      batch.flatMap((c) => [
        { nodeId: c.nodeId, attributeId: AttributeIds.DataType },
        { nodeId: c.nodeId, attributeId: AttributeIds.ValueRank },
      ]),
    );
    batch.forEach((c, j) => {
      const type = values[2 * j]!.value.value as NodeId | null;
      const rank = values[2 * j + 1]!.value.value as number | null;
      if (!type || type.namespace !== 0 || rank !== -1) return;
      const kind = KIND_OF_DATATYPE.get(Number(type.value));
      if (kind) kept.push({ ...c, kind });
    });
  }
  return kept;
}

/** EngineeringUnits (an EUInformation property, OPC 10000-8 5.6.3) per variable: its display name, or undefined. */
async function engineeringUnits(session: ClientSession, vars: readonly Candidate[]): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  for (let i = 0; i < vars.length; i += BATCH) {
    const batch = vars.slice(i, i + BATCH);
    const props = await browseAll(
      session,
      batch.map((v) => ({
        nodeId: v.nodeId,
        browseDirection: BrowseDirection.Forward,
        referenceTypeId: "HasProperty",
        includeSubtypes: true,
        nodeClassMask: NodeClass.Variable,
        resultMask: 0x3f,
      })),
    );
    const euIds = props.map(
      (r) =>
        (r.references ?? []).find(
          (ref) => ref.browseName.name === "EngineeringUnits" && ref.browseName.namespaceIndex === 0,
        )?.nodeId,
    );
    const toRead = euIds.filter((id): id is NonNullable<typeof id> => id !== undefined);
    const read = toRead.length
      ? await session.read(toRead.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })))
      : [];
    let k = 0;
    for (const id of euIds) {
      if (id === undefined) {
        out.push(undefined);
        continue;
      }
      const eu = read[k++]?.value.value as { displayName?: { text?: string | null } } | null;
      const text = eu?.displayName?.text?.trim();
      out.push(text ? text : undefined);
    }
  }
  return out;
}
