import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource, EntityManager } from 'typeorm';
import type { Channel } from '../vocabulary/notification-types';

const WINDOW_MS = 24 * 60 * 60 * 1000;
/** A batch's answer not taken by then (its send never asked: a PDF, a failed render) is dropped at the next batch. */
const BATCH_ANSWER_KEEP_MS = 60_000;

interface WindowKey {
  channel: Channel;
  contact: string;
}

/**
 * WhatsApp's customer-service window: for 24 hours after a passenger writes to us, free-form messages are
 * allowed; outside it only approved templates are.
 */
@Injectable()
export class CustomerServiceWindowRepository {
  /**
   * The adapter asks once per message, and a dispatcher batch sends dozens side by side: the questions
   * asked in the same turn go to PostgreSQL as one query (a round trip per message was most of the
   * WhatsApp path's cost). No cache: a window a passenger opens a moment later must count.
   */
  private readonly lastInbound = new DataLoader<WindowKey, Date | undefined>((keys) => this.lastInboundOf(keys), { cache: false });
  /**
   * Answers asked for a whole claimed batch before its sends (`askForBatch`), each taken once by its message's send.
   * Under a rate limit a batch's sends go out a few per turn, and each turn's question was a statement of its own,
   * planned each time (docs/decisions/0053). An answer is as old as its batch: a window opened meanwhile is missed
   * and that message goes as a template, which is always allowed; one that closed meanwhile makes Meta refuse the
   * text (131047), and the adapter sends the template then.
   */
  private readonly batchAnswers = new Map<string, { last: Date | undefined; at: number }>();

  constructor(private readonly dataSource: DataSource) {}

  /** `m`: the transaction of the webhook that carried the passenger's message. */
  async open(channel: Channel, contact: string, at: Date, m?: EntityManager): Promise<void> {
    await (m ?? this.dataSource).query(
      `INSERT INTO customer_service_windows (channel, contact, last_inbound_at) VALUES ($1, $2, $3)
       ON CONFLICT (channel, contact) DO UPDATE
         SET last_inbound_at = greatest(customer_service_windows.last_inbound_at, excluded.last_inbound_at)`,
      [channel, contact, at],
    );
    // This replica's sends ask PostgreSQL again rather than trust an answer from before the passenger wrote.
    this.batchAnswers.delete(keyOf(channel, contact));
  }

  /** The windows of a batch's recipients in one statement, for their sends' `isOpen` to take. */
  async askForBatch(channel: Channel, contacts: readonly string[], now = Date.now()): Promise<void> {
    for (const [key, answer] of this.batchAnswers) if (now - answer.at > BATCH_ANSWER_KEEP_MS) this.batchAnswers.delete(key);
    const unique = [...new Set(contacts)];
    const lasts = await this.lastInboundOf(unique.map((contact) => ({ channel, contact })));
    unique.forEach((contact, i) => this.batchAnswers.set(keyOf(channel, contact), { last: lasts[i], at: now }));
  }

  async isOpen(channel: Channel, contact: string, now = new Date()): Promise<boolean> {
    const key = keyOf(channel, contact);
    const asked = this.batchAnswers.get(key);
    if (asked) this.batchAnswers.delete(key);
    const last = asked ? asked.last : await this.lastInbound.load({ channel, contact });
    return last !== undefined && now.getTime() - last.getTime() < WINDOW_MS;
  }

  private async lastInboundOf(keys: readonly WindowKey[]): Promise<(Date | undefined)[]> {
    const rows: { channel: string; contact: string; last_inbound_at: Date }[] = await this.dataSource.query(
      `SELECT w.channel, w.contact, w.last_inbound_at
         FROM customer_service_windows w
         JOIN unnest($1::text[], $2::text[]) AS k(channel, contact) ON w.channel = k.channel AND w.contact = k.contact`,
      [keys.map((k) => k.channel), keys.map((k) => k.contact)],
    );
    const found = new Map(rows.map((r) => [keyOf(r.channel, r.contact), r.last_inbound_at]));
    return keys.map((k) => found.get(keyOf(k.channel, k.contact)));
  }
}

function keyOf(channel: string, contact: string): string {
  return `${channel} ${contact}`;
}
