import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { maskContact } from '../common/mask';
import type { Channel } from '../notifications/notification-types';

/** Consent changes that do not come from a booking snapshot: a passenger replying STOP, an operator. */
@Injectable()
export class ConsentService {
  private readonly logger = new Logger(ConsentService.name);

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Withdraws consent on `channel` for every passenger reached at `contact`, and cancels what is still
   * pending for them there, in one transaction: the opt-out holds before the next send.
   * Returns how many passenger records and pending notifications it touched.
   */
  async withdrawByContact(channel: Channel, contact: string, reason: string): Promise<{ passengers: number; cancelled: number }> {
    const result = await this.dataSource.transaction(async (m) => {
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
    });
    this.logger.log(`${channel} consent withdrawn for ${maskContact(contact)} (${reason}): ${result.passengers} passengers, ${result.cancelled} pending cancelled`);
    return result;
  }
}
