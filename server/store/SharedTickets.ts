/**
 * Handoff tickets in PostgreSQL, for a cluster: a ticket issued by the process
 * hosting a room is looked up and redeemed by whichever process takes the next
 * request. Single use holds across processes because the claim is one UPDATE
 * that only succeeds while the ticket is unused. Same rules and sentences as the
 * in-memory book (HandoffTickets.ts); clock and randomness are injected.
 */
import type pg from "pg";
import { qualified } from "./sharedSchema.ts";
import { CodeAttempts } from "../handoff/CodeAttempts.ts";
import {
  REFUSED,
  TICKET_TTL_MS,
  type NewTicket,
  type Ticket,
  type TicketBook,
  type TicketResult,
} from "../handoff/HandoffTickets.ts";

export class SharedTickets implements TicketBook {
  readonly counters = { created: 0, claimed: 0, refused: 0, rateLimited: 0 };
  private readonly attempts: CodeAttempts;
  private readonly table: string;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
    private readonly now: () => number,
    private readonly random: (bytes: number) => Buffer,
    /** How long a code and link work (HANDOFF_CODE_SECONDS). */
    private readonly ttlMs = TICKET_TTL_MS,
  ) {
    this.attempts = new CodeAttempts(now);
    this.table = qualified(schema, "tickets");
  }

  async create(t: NewTicket): Promise<Ticket> {
    const at = this.now();
    // Expired tickets are kept one more lifetime (refused as "expired"), then forgotten, which frees their codes.
    await this.pool.query(`DELETE FROM ${this.table} WHERE expires_at < $1`, [at - this.ttlMs]);
    for (let tries = 0; tries < 10; tries++) {
      const ticket: Ticket = {
        ...t,
        token: this.random(16).toString("base64url"),
        code: String(this.random(4).readUInt32BE(0) % 1_000_000).padStart(6, "0"),
        createdAt: at,
        expiresAt: at + this.ttlMs,
        used: false,
      };
      const r = await this.pool.query(
        `INSERT INTO ${this.table} (token, code, record, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [ticket.token, ticket.code, JSON.stringify(ticket), ticket.expiresAt],
      );
      if (r.rowCount === 1) {
        this.counters.created++;
        return ticket;
      }
    }
    throw new Error("Could not find a free handoff code; try again.");
  }

  private refuse(code: keyof typeof REFUSED): TicketResult {
    if (code === "rate-limited") this.counters.rateLimited++;
    else this.counters.refused++;
    return { ok: false, code, message: REFUSED[code] };
  }

  async peek(key: string, requester: string): Promise<TicketResult> {
    const isCode = /^\d{6}$/.test(key);
    if (isCode && this.attempts.limited(requester)) return this.refuse("rate-limited");
    const r = await this.pool.query<{ record: string; used: boolean }>(
      `SELECT record, used FROM ${this.table} WHERE ${isCode ? "code" : "token"} = $1`,
      [key],
    );
    const row = r.rows[0];
    if (!row) {
      if (isCode) this.attempts.fail(requester);
      return this.refuse("not-found");
    }
    const ticket = { ...(JSON.parse(row.record) as Ticket), used: row.used };
    if (ticket.used) return this.refuse("used");
    if (this.now() >= ticket.expiresAt) return this.refuse("expired");
    return { ok: true, ticket };
  }

  async claim(key: string, user: string, requester: string): Promise<TicketResult> {
    const r = await this.peek(key, requester);
    if (!r.ok) return r;
    if (r.ticket.user !== user) return this.refuse("wrong-user");
    // Only one of two racing claims (on any processes) finds the ticket unused.
    const won = await this.pool.query(`UPDATE ${this.table} SET used = true WHERE token = $1 AND NOT used`, [
      r.ticket.token,
    ]);
    if (won.rowCount !== 1) return this.refuse("used");
    this.counters.claimed++;
    return { ok: true, ticket: { ...r.ticket, used: true } };
  }
}
