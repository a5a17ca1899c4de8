/**
 * STUN/TURN servers for the voice call, as the operator configures them (ICE_SERVERS) and as the room's welcome
 * hands them to each seated participant. The default is none: the call then uses host candidates on the LAN
 * only, and the page makes no request that leaves its origin. Only an operator's setting adds a server.
 *
 * Browsers refuse a TURN server without a username and credential (RTCPeerConnection throws), so that is
 * checked here, at start-up, rather than on the first call.
 */
import { z } from "zod";

const IceUrl = z
  .string()
  .max(512)
  .regex(
    /^(stuns?|turns?):[^\s]+$/,
    "an ICE server address starts with stun:, stuns:, turn: or turns: (e.g. turn:turn.plant.lan:3478)",
  );

export const IceServer = z
  .object({
    urls: z.union([IceUrl, z.array(IceUrl).min(1, "urls needs at least one address").max(8)]),
    username: z.string().max(256).optional(),
    credential: z.string().max(256).optional(),
  })
  .strict()
  .refine(
    (s) => ![s.urls].flat().some((u) => u.startsWith("turn")) || (!!s.username && !!s.credential),
    "a TURN server needs a username and a credential",
  );
export type IceServer = z.infer<typeof IceServer>;

export const IceServers = z.array(IceServer).max(8, "at most 8 ICE servers");
