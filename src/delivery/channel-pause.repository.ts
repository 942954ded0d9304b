import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DeliveryChannel } from '../vocabulary/notification-types';

/**
 * Channels stopped because the provider refused our credentials: sending more would only burn every
 * pending message. Kept in PostgreSQL so every replica stops at once; an operator resumes the channel.
 */
@Injectable()
export class ChannelPauseRepository {
  constructor(private readonly dataSource: DataSource) {}

  async pause(channel: DeliveryChannel, reason: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO channel_pauses (channel, reason) VALUES ($1, $2) ON CONFLICT (channel) DO NOTHING`,
      [channel, reason],
    );
  }

  async resume(channel: DeliveryChannel): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`DELETE FROM channel_pauses WHERE channel = $1 RETURNING channel`, [channel]);
    return rows.length > 0;
  }

  async paused(): Promise<Map<string, { reason: string; pausedAt: Date }>> {
    const rows: { channel: string; reason: string; paused_at: Date }[] = await this.dataSource.query(
      `SELECT channel, reason, paused_at FROM channel_pauses`,
    );
    return new Map(rows.map((r) => [r.channel, { reason: r.reason, pausedAt: r.paused_at }]));
  }
}
