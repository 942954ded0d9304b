import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What erasing one booking's personal data removed or scrubbed. */
export interface ErasureCounts {
  passengers: number;
  consents: number;
  checkins: number;
  segments: number;
  notifications: number;
  contacts: number;
}

/** A scrubbed notification keeps its type, channel, status and times; its context says only what it was. */
const scrubbedContext = (n: string) => `jsonb_build_object('type', ${n}.type, 'locale', ${n}.locale, 'erased', true,
  'passenger', jsonb_build_object('givenName', '', 'surname', ''), 'booking', jsonb_build_object('reference', ${n}.booking_reference))`;

/** Retention and erasure writes; every method runs in the caller's transaction. */
@Injectable()
export class RetentionRepository {
  /**
   * Bookings not purged yet whose last flight landed before `cutoff` (a booking without segments counts
   * from its last change), locked; SKIP LOCKED leaves bookings an event is updating to the next run.
   */
  async lockExpired(m: EntityManager, cutoff: Date, limit: number): Promise<string[]> {
    const rows: { booking_reference: string }[] = await m.query(
      `SELECT b.booking_reference FROM bookings b
        WHERE b.purged_at IS NULL
          AND COALESCE((SELECT max(s.scheduled_arrival) FROM segments s WHERE s.booking_reference = b.booking_reference), b.updated_at) < $1
        ORDER BY b.booking_reference
        LIMIT $2
          FOR UPDATE OF b SKIP LOCKED`,
      [cutoff, limit],
    );
    return rows.map((r) => r.booking_reference);
  }

  /** Locks one booking; undefined if it does not exist. */
  async lockBooking(m: EntityManager, reference: string): Promise<{ purgedAt: Date | null } | undefined> {
    const rows: { purged_at: Date | null }[] = await m.query(
      `SELECT purged_at FROM bookings WHERE booking_reference = $1 FOR UPDATE`,
      [reference],
    );
    return rows[0] && { purgedAt: rows[0].purged_at };
  }

  /**
   * Removes a booking's personal data: passengers, consents, check-ins, segments and reminder marks are
   * deleted; its notifications keep type, channel, status and times but lose recipient, context, content,
   * provider ids, error texts and timeline details; the booking row stays with purged_at set.
   * With `contacts`, the delivery bookkeeping keyed by the passengers' phone numbers and addresses goes
   * too, unless another booking still uses them. Pending notifications must be cancelled first.
   */
  async erase(m: EntityManager, reference: string, options: { contacts: boolean }): Promise<ErasureCounts> {
    const count = async (sql: string): Promise<number> => {
      const rows: { n: number }[] = await m.query(sql, [reference]);
      return rows[0]?.n ?? 0;
    };
    const contacts = options.contacts
      ? await count(
          `WITH mine AS (
             SELECT DISTINCT c.key AS channel, c.value AS contact
               FROM passengers p, jsonb_each_text(p.contacts) c WHERE p.booking_reference = $1),
           alone AS (
             SELECT x.channel, x.contact FROM mine x
              WHERE NOT EXISTS (SELECT 1 FROM passengers o JOIN bookings ob ON ob.booking_reference = o.booking_reference
                                 WHERE o.booking_reference <> $1 AND ob.purged_at IS NULL AND o.contacts ->> x.channel = x.contact)),
           sent AS (DELETE FROM recipient_last_sent r USING alone a WHERE r.channel = a.channel AND r.recipient = a.contact RETURNING 1),
           windows AS (DELETE FROM customer_service_windows w USING alone a WHERE w.channel = a.channel AND w.contact = a.contact RETURNING 1)
           SELECT ((SELECT count(*) FROM sent) + (SELECT count(*) FROM windows))::int AS n`,
        )
      : 0;
    const checkins = await count(`WITH d AS (DELETE FROM checkins WHERE booking_reference = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`);
    const consents = await count(`WITH d AS (DELETE FROM consents WHERE booking_reference = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`);
    const passengers = await count(`WITH d AS (DELETE FROM passengers WHERE booking_reference = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`);
    const segments = await count(`WITH d AS (DELETE FROM segments WHERE booking_reference = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`);
    await m.query(`DELETE FROM checkin_reminders WHERE booking_reference = $1`, [reference]);
    await m.query(
      `UPDATE notification_events e SET detail = NULL FROM notifications n
        WHERE n.id = e.notification_id AND n.booking_reference = $1 AND e.detail IS NOT NULL`,
      [reference],
    );
    const notifications = await count(
      `WITH d AS (
         UPDATE notifications n SET recipient = '', context = ${scrubbedContext('n')}, content = NULL, provider_message_id = NULL,
                last_error = NULL, updated_at = now()
          WHERE n.booking_reference = $1
         RETURNING 1)
       SELECT count(*)::int AS n FROM d`,
    );
    await m.query(`UPDATE bookings SET purged_at = now(), updated_at = now() WHERE booking_reference = $1`, [reference]);
    return { passengers, consents, checkins, segments, notifications, contacts };
  }

  /**
   * A send that was in flight while its booking was erased writes its content back afterwards: scrub
   * what came back for bookings purged in the last day. Returns how many notifications it scrubbed.
   */
  async rescrubRecentlyPurged(m: EntityManager): Promise<number> {
    const rows: { n: number }[] = await m.query(
      `WITH d AS (
         UPDATE notifications n SET recipient = '', context = ${scrubbedContext('n')},
                content = NULL, provider_message_id = NULL, last_error = NULL
           FROM bookings b
          WHERE b.booking_reference = n.booking_reference AND b.purged_at > now() - interval '1 day'
            AND (n.recipient <> '' OR n.content IS NOT NULL OR n.provider_message_id IS NOT NULL)
         RETURNING 1)
       SELECT count(*)::int AS n FROM d`,
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * Delivery bookkeeping keyed by contact and older than the cutoff, old job ticks, and parked events
   * (their bodies may hold names and contacts) parked before the cutoff.
   */
  async purgeOldBookkeeping(m: EntityManager, cutoff: Date): Promise<number> {
    const rows: { n: number }[] = await m.query(
      `WITH sent AS (DELETE FROM recipient_last_sent WHERE sent_at < $1 RETURNING 1),
            windows AS (DELETE FROM customer_service_windows WHERE last_inbound_at < $1 RETURNING 1),
            ticks AS (DELETE FROM scheduled_job_runs WHERE tick < $1 RETURNING 1),
            parked AS (DELETE FROM parked_events WHERE parked_at < $1 RETURNING 1)
       SELECT ((SELECT count(*) FROM sent) + (SELECT count(*) FROM windows) + (SELECT count(*) FROM ticks)
               + (SELECT count(*) FROM parked))::int AS n`,
      [cutoff],
    );
    return rows[0]?.n ?? 0;
  }
}
