import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource, EntityManager } from 'typeorm';
import type { Channel } from '../vocabulary/notification-types';

const WINDOW_MS = 24 * 60 * 60 * 1000;

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

  constructor(private readonly dataSource: DataSource) {}

  /** `m`: the transaction of the webhook that carried the passenger's message. */
  async open(channel: Channel, contact: string, at: Date, m?: EntityManager): Promise<void> {
    await (m ?? this.dataSource).query(
      `INSERT INTO customer_service_windows (channel, contact, last_inbound_at) VALUES ($1, $2, $3)
       ON CONFLICT (channel, contact) DO UPDATE
         SET last_inbound_at = greatest(customer_service_windows.last_inbound_at, excluded.last_inbound_at)`,
      [channel, contact, at],
    );
  }

  async isOpen(channel: Channel, contact: string, now = new Date()): Promise<boolean> {
    const last = await this.lastInbound.load({ channel, contact });
    return last !== undefined && now.getTime() - last.getTime() < WINDOW_MS;
  }

  private async lastInboundOf(keys: readonly WindowKey[]): Promise<(Date | undefined)[]> {
    const rows: { channel: string; contact: string; last_inbound_at: Date }[] = await this.dataSource.query(
      `SELECT w.channel, w.contact, w.last_inbound_at
         FROM customer_service_windows w
         JOIN unnest($1::text[], $2::text[]) AS k(channel, contact) ON w.channel = k.channel AND w.contact = k.contact`,
      [keys.map((k) => k.channel), keys.map((k) => k.contact)],
    );
    const found = new Map(rows.map((r) => [`${r.channel} ${r.contact}`, r.last_inbound_at]));
    return keys.map((k) => found.get(`${k.channel} ${k.contact}`));
  }
}
