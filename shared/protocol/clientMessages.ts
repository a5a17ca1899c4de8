/**
 * Every client -> server message type with its payload schema, events and requests together: what the server
 * registers a handler for (one each, server/rooms/handlers/) and what the fuzz test sends.
 */
import type { z } from "zod";
import { ClientEvent, type ClientEventType } from "./clientEvents.ts";
import { ClientRequest, type RequestType } from "./requests.ts";

type RequestPayloadSchemas = { readonly [K in RequestType]: (typeof ClientRequest)[K]["payload"] };

function payloadsOf(requests: typeof ClientRequest): RequestPayloadSchemas {
  const out: Record<string, z.ZodType> = {};
  for (const [type, r] of Object.entries(requests)) out[type] = r.payload;
  return out as unknown as RequestPayloadSchemas;
}

export const ClientMessage: typeof ClientEvent & RequestPayloadSchemas = {
  ...ClientEvent,
  ...payloadsOf(ClientRequest),
};
export type ClientMessageType = ClientEventType | RequestType;
export type ClientMessagePayload<K extends ClientMessageType> = z.infer<(typeof ClientMessage)[K]>;
export type InterestMessage = ClientMessagePayload<"interest">;

export const CLIENT_EVENT_TYPES = Object.keys(ClientEvent) as ClientEventType[];
export const REQUEST_TYPES = Object.keys(ClientRequest) as RequestType[];

export function isRequest(type: ClientMessageType): type is RequestType {
  return Object.hasOwn(ClientRequest, type);
}
