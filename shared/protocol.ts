/**
 * The client <-> server wire contract, declared once in shared/protocol/ and imported by both sides through this
 * file: the protocol version and close codes (version.ts), join options (join.ts), client events (clientEvents.ts),
 * requests with their replies (requests.ts), server messages (serverMessages.ts) and the health report (health.ts).
 * Every shape is a zod schema (a Standard Schema); types are derived from the schemas, never written twice.
 */
export * from "./protocol/version.ts";
export * from "./protocol/join.ts";
export * from "./protocol/fields.ts";
export * from "./protocol/clientEvents.ts";
export * from "./protocol/requests.ts";
export * from "./protocol/procedures.ts";
export * from "./protocol/whatIf.ts";
export * from "./protocol/drills.ts";
export * from "./protocol/clientMessages.ts";
export * from "./protocol/serverMessages.ts";
export * from "./protocol/health.ts";
export * from "./protocol/video.ts";
