/**
 * What both sides must agree on before any message: the protocol version sent on join, the room's name, why a join
 * is refused (HTTP statuses from the matchmaker) and why a live connection is closed (WebSocket close codes).
 */

/** Bumped on any incompatible change to messages or room state. Sent on join. */
export const PROTOCOL_VERSION = 4;

/** The one Colyseus room type: a collaboration session on one plant. */
export const PLANT_ROOM = "plant";

/**
 * Why a join was refused. The matchmaker answers over HTTP, so these are HTTP
 * statuses; the SDK surfaces them as MatchMakeError.code with our sentence as message.
 */
export const JoinError = {
  BAD_JOIN: 400,
  /** No sign-in token, or one that is forged, expired, or from the wrong issuer or for the wrong audience. */
  UNAUTHORIZED: 401,
  /** Signed in, but no role here, not on the plant's access list, or a handoff that belongs to someone else. */
  FORBIDDEN: 403,
  UNKNOWN_PLANT: 404,
  ROOM_FULL: 409,
  /** This person already holds MAX_JOINS_PER_USER connections and unused seat reservations on the server. */
  TOO_MANY_JOINS: 429,
  PROTOCOL_MISMATCH: 426,
  /** The identity provider cannot be reached to check the token. */
  AUTH_UNAVAILABLE: 503,
} as const;
export type JoinError = (typeof JoinError)[keyof typeof JoinError];

/** WebSocket close codes the server uses on a live connection (Colyseus keeps 4000-4099 for itself). */
export const CloseCode = {
  /** An admin removed this participant (`kick`); the seat is freed, and the page must not reconnect on its own. */
  KICKED: 4403,
  /** The connection's sign-in token expired (after a warning) or the plant's access list no longer admits the person. */
  SIGNED_OUT: 4401,
  /** More than MAX_MESSAGES_PER_SECOND messages within one second (server/rooms/floodGate.ts); the seat is freed. */
  FLOODING: 4429,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export function protocolMismatchMessage(clientVersion: number): string {
  return clientVersion < PROTOCOL_VERSION
    ? `This page is older than the server (protocol ${clientVersion}, server ${PROTOCOL_VERSION}). Reload the page.`
    : `The server is older than this page (protocol ${clientVersion}, server ${PROTOCOL_VERSION}). Ask your administrator to update Gemba.`;
}
