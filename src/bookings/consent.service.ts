import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { maskContact } from '../common/mask';
import type { Channel } from '../shared/notification-types';

/** Consent changes that do not come from a booking snapshot: a passenger replying STOP, an operator. */
@Injectable()
export class ConsentService {
  private readonly logger = new Logger(ConsentService.name);

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Withdraws consent on `channel` for every passenger reached at `contact`, and cancels what is still
   * pending for them there, in one transaction: the opt-out holds before the next send.
   * Returns how many passenger records and pending notifications it touched. With `m` it runs in the
   * caller's transaction (the webhook that carried the STOP, whose receipt commits with it).
   */
  async withdrawByContact(channel: Channel, contact: string, reason: string, m?: EntityManager): Promise<{ passengers: number; cancelled: number }> {
    const result = m ? await this.withdrawIn(m, channel, contact, reason) : await this.dataSource.transaction((t) => this.withdrawIn(t, channel, contact, reason));
    this.logger.log(`${channel} consent withdrawn for ${maskContact(contact)} (${reason}): ${result.passengers} passengers, ${result.cancelled} pending cancelled`);
    return result;
  }

  private async withdrawIn(m: EntityManager, channel: Channel, contact: string, reason: string): Promise<{ passengers: number; cancelled: number }> {
    const passengers: { booking_reference: string; passenger_id: string }[] = await m.query(
      `WITH withdrawn AS (
         UPDATE consents c SET granted = false
           FROM passengers p
          WHERE p.booking_reference = c.booking_reference AND p.passenger_id = c.passenger_id
            AND c.channel = $1 AND c.granted AND p.contacts ->> $1 = $2
         RETURNING c.booking_reference, c.passenger_id)
       SELECT * FROM withdrawn`,
      [channel, contact],
    );
    const cancelled: { n: number }[] = await m.query(
      `WITH closed AS (
         UPDATE notifications SET status = 'cancelled', updated_at = now()
          WHERE channel = $1 AND recipient = $2 AND status = 'pending'
         RETURNING id),
       timeline AS (
         INSERT INTO notification_events (notification_id, kind, detail)
         SELECT id, 'cancelled', jsonb_build_object('reason', $3::text) FROM closed)
       SELECT count(*)::int AS n FROM closed`,
      [channel, contact, reason],
    );
    return { passengers: passengers.length, cancelled: cancelled[0]?.n ?? 0 };
  }

  /**
   * An operator sets one passenger's consent on one channel (a passenger asked by phone, a complaint).
   * A withdrawal cancels what is pending there. Returns false when the passenger is unknown.
   */
  async setConsent(reference: string, passengerId: string, channel: Channel, granted: boolean): Promise<{ found: boolean; cancelled: number }> {
    return this.dataSource.transaction(async (m) => {
      const found: unknown[] = await m.query(`SELECT 1 FROM passengers WHERE booking_reference = $1 AND passenger_id = $2 FOR UPDATE`, [reference, passengerId]);
      if (found.length === 0) return { found: false, cancelled: 0 };
      await m.query(
        `INSERT INTO consents (booking_reference, passenger_id, channel, granted, preference, granted_at)
         VALUES ($1, $2, $3, $4, (SELECT coalesce(max(preference) + 1, 0) FROM consents WHERE booking_reference = $1 AND passenger_id = $2),
                 CASE WHEN $4 THEN now() END)
         ON CONFLICT (booking_reference, passenger_id, channel) DO UPDATE SET granted = excluded.granted, granted_at = excluded.granted_at`,
        [reference, passengerId, channel, granted],
      );
      if (granted) return { found: true, cancelled: 0 };
      const cancelled: { n: number }[] = await m.query(
        `WITH closed AS (
           UPDATE notifications SET status = 'cancelled', updated_at = now()
            WHERE booking_reference = $1 AND passenger_id = $2 AND channel = $3 AND status = 'pending'
           RETURNING id),
         timeline AS (
           INSERT INTO notification_events (notification_id, kind, detail)
           SELECT id, 'cancelled', '{"reason":"consent withdrawn by an operator"}'::jsonb FROM closed)
         SELECT count(*)::int AS n FROM closed`,
        [reference, passengerId, channel],
      );
      return { found: true, cancelled: cancelled[0]?.n ?? 0 };
    });
  }
}
