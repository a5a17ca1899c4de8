/**
 * The sign-in token a reconnecting connection came back with. Colyseus does not run onAuth for a reconnection and
 * does not hand its token to onReconnect; the SDK does send it (`_authToken` in the upgrade URL, beside `sessionId`
 * and `reconnectionToken`), so the WebSocket upgrade hook notes it here and the room takes it in onReconnect. Without
 * this a dropped connection came back with the role it had, whatever token it now carries (issue #18, item 4).
 * Entries live a few seconds (the upgrade and onReconnect are moments apart) and are bounded in number.
 */
const MAX_ENTRIES = 10_000;

export interface ComeBack {
  token: string | undefined;
  from: string;
}

export class ReconnectTokens {
  private readonly bySession = new Map<string, ComeBack & { at: number }>();

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly ttlMs = 30_000,
  ) {}

  /** From the upgrade hook: `url` is the request path and query; only reconnections are noted. */
  note(url: string, from: string): void {
    const q = new URL(url, "ws://upgrade").searchParams;
    const session = q.get("sessionId");
    if (!session || !q.get("reconnectionToken")) return;
    if (this.bySession.size >= MAX_ENTRIES) this.prune();
    if (this.bySession.size >= MAX_ENTRIES) this.bySession.clear();
    this.bySession.set(session, { token: q.get("_authToken") ?? undefined, from, at: this.now() });
  }

  /** The token and address `session` reconnected with (once; undefined when none was noted in time). */
  take(session: string): ComeBack | undefined {
    const e = this.bySession.get(session);
    this.bySession.delete(session);
    if (!e || this.now() - e.at > this.ttlMs) return undefined;
    return { token: e.token, from: e.from };
  }

  private prune(): void {
    const now = this.now();
    for (const [k, e] of this.bySession) if (now - e.at > this.ttlMs) this.bySession.delete(k);
  }
}
