/**
 * Colyseus core checks `client.readyState !== WebSocket.OPEN` when a client
 * reconnects to its seat, using the global `WebSocket`, which Node 20 does not
 * have (Node 22 does): without this every reconnection fails on the server with
 * "WebSocket is not defined" and the seat is lost. Imported for its effect.
 */
import { WebSocket } from "ws";

if (!("WebSocket" in globalThis)) (globalThis as Record<string, unknown>)["WebSocket"] = WebSocket;
