/**
 * Node 20 has no global WebSocket (browsers and Node 22 do). @colyseus/sdk looks
 * for one when it reconnects a dropped room, so an SDK client in a test, bench or
 * script fails its reconnection with "WebSocket is not defined" without this.
 * Imported for its effect; the server installs the same thing for itself
 * (server/runtime/nodeWebSocket.ts), which is why this reuses it.
 */
import "../server/runtime/nodeWebSocket.ts";
