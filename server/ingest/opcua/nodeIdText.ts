/**
 * NodeIds as a plant file writes them: with the namespace URI (`nsu=urn:plc1;s=Tank1.Level`), never a raw
 * namespace index. A server numbers its namespaces in its NamespaceArray, and that numbering may change when
 * the server is reconfigured or restarted (a namespace added before ours shifts every index after it): an
 * `ns=3` written today can point at another variable tomorrow, and the wrong value would be shown as good.
 * So `ns=N` (N > 0) is refused with the way out; `ns=0` and bare `i=2258` (the OPC UA namespace, always 0) are fine.
 * Text forms: OPC 10000-6 5.3.1.10 (NodeId) and 5.3.1.11 (ExpandedNodeId, `nsu=`; `;` and `%` in the URI
 * percent-encoded). Pure: the namespace URI is resolved against the server's NamespaceArray at connect.
 */

export interface NodeIdText {
  /** null: the OPC UA namespace (index 0). */
  namespaceUri: string | null;
  /** "s=Tank1.Level", "i=1001", "g=...", "b=..." exactly as written. */
  identifier: string;
}

export type ParsedNodeId = { ok: true; nodeId: NodeIdText } | { ok: false; reason: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const OPC_UA_NAMESPACE = "http://opcfoundation.org/UA/";

function checkIdentifier(id: string): string | null {
  const m = /^([isgb])=([\s\S]*)$/.exec(id);
  if (!m) return `"${id.slice(0, 60)}" is not an identifier: write i=<number>, s=<text>, g=<guid> or b=<base64>`;
  const [, kind, value] = m as unknown as [string, string, string];
  if (value.length === 0) return `the ${kind}= identifier is empty`;
  if (kind === "i" && !(/^\d{1,10}$/.test(value) && Number(value) <= 0xffffffff))
    return `i=${value.slice(0, 20)} is not a numeric identifier (0 to 4294967295)`;
  if (kind === "g" && !GUID.test(value)) return `g=${value.slice(0, 40)} is not a GUID`;
  if (kind === "b" && !BASE64.test(value)) return `b=${value.slice(0, 40)} is not base64`;
  return null;
}

export function parseNodeIdText(text: string): ParsedNodeId {
  const fail = (reason: string): ParsedNodeId => ({ ok: false, reason });
  if (text.startsWith("nsu=")) {
    const semi = text.indexOf(";");
    if (semi < 0) return fail('"nsu=" needs the identifier after a ";", e.g. nsu=urn:plc1;s=Tank1.Level');
    let uri: string;
    try {
      uri = decodeURIComponent(text.slice(4, semi));
    } catch {
      return fail(`the namespace URI "${text.slice(4, semi).slice(0, 80)}" has a broken %-escape`);
    }
    if (uri.length === 0) return fail("the namespace URI after nsu= is empty");
    const identifier = text.slice(semi + 1);
    const bad = checkIdentifier(identifier);
    if (bad) return fail(bad);
    return { ok: true, nodeId: { namespaceUri: uri === OPC_UA_NAMESPACE ? null : uri, identifier } };
  }
  const ns = /^ns=(\d+);([\s\S]*)$/.exec(text);
  if (ns) {
    if (Number(ns[1]) !== 0)
      return fail(
        `ns=${ns[1]} is a namespace index, which the server may renumber on a restart; write the namespace URI instead: nsu=<URI of namespace ${ns[1]}>;${ns[2]!.slice(0, 60)}`,
      );
    const bad = checkIdentifier(ns[2]!);
    return bad ? fail(bad) : { ok: true, nodeId: { namespaceUri: null, identifier: ns[2]! } };
  }
  const bad = checkIdentifier(text);
  return bad ? fail(bad) : { ok: true, nodeId: { namespaceUri: null, identifier: text } };
}

/**
 * The NodeId in the server's current numbering ("ns=2;s=Tank1.Level"), or the reason it cannot be:
 * the server does not have that namespace.
 */
export function resolveNodeIdText(
  id: NodeIdText,
  namespaceArray: readonly string[],
): { ok: true; text: string } | { ok: false; reason: string } {
  if (id.namespaceUri === null) return { ok: true, text: `ns=0;${id.identifier}` };
  const index = namespaceArray.indexOf(id.namespaceUri);
  if (index < 0)
    return {
      ok: false,
      reason: `the server has no namespace "${id.namespaceUri}" (its namespaces: ${namespaceArray.slice(1).join(", ") || "none"})`,
    };
  return { ok: true, text: `ns=${index};${id.identifier}` };
}
