import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Channel } from '../notifications/notification-types';

const WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * WhatsApp's customer-service window: for 24 hours after a passenger writes to us, free-form messages are
 * allowed; outside it only approved templates are.
 */
@Injectable()
export class CustomerServiceWindowRepository {
  constructor(private readonly dataSource: DataSource) {}

  async open(channel: Channel, contact: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO customer_service_windows (channel, contact, last_inbound_at) VALUES ($1, $2, $3)
       ON CONFLICT (channel, contact) DO UPDATE
         SET last_inbound_at = greatest(customer_service_windows.last_inbound_at, excluded.last_inbound_at)`,
      [channel, contact, at],
    );
  }

  async isOpen(channel: Channel, contact: string, now = new Date()): Promise<boolean> {
    const rows: { last_inbound_at: Date }[] = await this.dataSource.query(
      `SELECT last_inbound_at FROM customer_service_windows WHERE channel = $1 AND contact = $2`,
      [channel, contact],
    );
    return rows.length > 0 && now.getTime() - rows[0].last_inbound_at.getTime() < WINDOW_MS;
  }
}
