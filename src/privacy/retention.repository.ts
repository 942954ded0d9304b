import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DeliveryChannel } from '../vocabulary/notification-types';
import { PersonalValues, personalValuesInEvent } from './personal-values';
import { keysMatch, keysMatchFew } from '../notifications/notification-keys';
import { CONTACT_IS } from '../bookings/booking-rows';

/** What erasing one booking's personal data removed or scrubbed. */
export interface ErasureCounts {
  passengers: number;
  consents: number;
  checkins: number;
  segments: number;
  notifications: number;
  contacts: number;
  /** App devices of the booking's app accounts that no other booking names (push tokens are personal data). */
  appDevices: number;
  /** Parked events naming the booking whose bodies were erased. */
  parkedEvents: number;
  /** Audit entries and replay jobs whose details held its personal values. */
  auditEntries: number;
  replays: number;
}

/**
 * A scrubbed notification keeps its type, channel, status and times; its context says only what it was. For a
 * statement whose step `scrubbed` returns the scrubbed notifications' id, type, locale and booking reference.
 */
const SCRUB_CONTEXTS = `UPDATE notification_contexts c
   SET context = jsonb_build_object('type', s.type, 'locale', s.locale, 'erased', true,
         'passenger', jsonb_build_object('givenName', '', 'surname', ''), 'booking', jsonb_build_object('reference', s.booking_reference))
  FROM scrubbed s WHERE c.id = s.id`;

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
   * Removes a booking's personal data from every table that holds it (docs/decisions/0007 lists each):
   * passengers, consents, check-ins, segments and reminder marks are deleted; its notifications keep
   * type, channel, status and times but lose recipient, context, content, provider ids, error texts and
   * timeline details; parked events naming it lose their bodies; audit entries and replay filters that
   * mention it (or hold its contacts) have its names and contacts replaced; delivery bookkeeping keyed by
   * its contacts goes unless another booking still uses them, and so do the devices of its app accounts; the
   * booking row stays with purged_at set.
   * Pending notifications must be cancelled first. Its notifications' sandbox files are the caller's
   * (they are not transactional): see `notificationsOf`.
   */
  async erase(m: EntityManager, reference: string): Promise<ErasureCounts> {
    const count = async (sql: string, params: unknown[] = [reference]): Promise<number> => {
      const rows: { n: number }[] = await m.query(sql, params);
      return rows[0]?.n ?? 0;
    };
    const values = await this.personalValues(m, reference);
    const contacts = await count(
      `WITH mine AS (
         SELECT DISTINCT c.key AS channel, c.value AS contact
           FROM passengers p, jsonb_each_text(p.contacts) c WHERE p.booking_reference = $1
         UNION
         SELECT DISTINCT n.channel, n.recipient FROM notifications n
          WHERE ${keysMatchFew(`booking_reference = $1 AND channel <> 'webhook'`, 'n')} AND n.recipient <> ''),
       alone AS (
         SELECT x.channel, x.contact FROM mine x
          WHERE NOT EXISTS (SELECT 1 FROM passengers o JOIN bookings ob ON ob.booking_reference = o.booking_reference
                             WHERE o.booking_reference <> $1 AND ob.purged_at IS NULL AND o.contacts @> ${CONTACT_IS('x.channel', 'x.contact')})),
       sent AS (DELETE FROM recipient_last_sent r USING alone a WHERE r.channel = a.channel AND r.recipient = a.contact RETURNING 1),
       windows AS (DELETE FROM customer_service_windows w USING alone a WHERE w.channel = a.channel AND w.contact = a.contact RETURNING 1)
       SELECT ((SELECT count(*) FROM sent) + (SELECT count(*) FROM windows))::int AS n`,
    );
    // The app account's devices go with the last booking that names the account (the push contact).
    const appDevices = await count(
      `WITH mine AS (
         SELECT DISTINCT p.contacts ->> 'push' AS account FROM passengers p WHERE p.booking_reference = $1 AND p.contacts ? 'push'
         UNION
         SELECT DISTINCT n.recipient FROM notifications n WHERE ${keysMatchFew(`booking_reference = $1 AND channel = 'push'`, 'n')} AND n.recipient <> ''),
       alone AS (
         SELECT x.account FROM mine x
          WHERE NOT EXISTS (SELECT 1 FROM passengers o JOIN bookings ob ON ob.booking_reference = o.booking_reference
                             WHERE o.booking_reference <> $1 AND ob.purged_at IS NULL AND o.contacts @> ${CONTACT_IS("'push'", 'x.account')})),
       gone AS (DELETE FROM app_devices d USING alone a WHERE d.account_id = a.account RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
    );
    const checkins = await count(`WITH d AS (DELETE FROM checkins WHERE booking_reference = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`);
    const consents = await count(`WITH d AS (DELETE FROM consents WHERE booking_reference = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`);
    const passengers = await count(`WITH d AS (DELETE FROM passengers WHERE booking_reference = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`);
    const segments = await count(`WITH d AS (DELETE FROM segments WHERE booking_reference = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`);
    await m.query(`DELETE FROM checkin_reminders WHERE booking_reference = $1`, [reference]);
    // Google Wallet objects issued for its passengers (name, seat, bar code): no saved pass of theirs is updated again.
    await m.query(`DELETE FROM google_wallet_resources WHERE kind = 'flightObject' AND booking_reference = $1`, [reference]);
    // Apple Wallet passes hold the passenger's name and check-in (their device registrations go with them).
    await m.query(`DELETE FROM apple_wallet_passes WHERE booking_reference = $1`, [reference]);
    // Messenger send times hold the PSID beside the message id (watermark matching): they go with the booking.
    await m.query(`DELETE FROM messenger_sent_messages s USING notification_keys k WHERE k.id = s.notification_id AND k.booking_reference = $1`, [reference]);
    await m.query(
      `UPDATE notification_events e SET detail = NULL FROM notification_keys k
        WHERE k.id = e.notification_id AND k.booking_reference = $1 AND e.detail IS NOT NULL`,
      [reference],
    );
    const notifications = await count(
      `WITH scrubbed AS (
         UPDATE notifications n SET recipient = '', content = NULL, provider_message_id = NULL, last_error = NULL, updated_at = now()
          WHERE ${keysMatchFew('booking_reference = $1', 'n')}
         RETURNING n.id, n.type, n.locale, n.booking_reference),
       contexts AS (${SCRUB_CONTEXTS})
       SELECT count(*)::int AS n FROM scrubbed`,
    );
    const parkedEvents = await this.eraseParkedEvents(m, reference, values);
    const auditEntries = await this.scrubAudit(m, reference, values);
    const replays = await this.scrubReplays(m, reference, values);
    // The cancellation reason is the producer's free text (its language goes with it).
    await m.query(
      `UPDATE bookings SET purged_at = now(), updated_at = now(), cancellation_reason = NULL, cancellation_reason_language = NULL
        WHERE booking_reference = $1`,
      [reference],
    );
    return { passengers, consents, checkins, segments, notifications, contacts, appDevices, parkedEvents, auditEntries, replays };
  }

  /** The booking's notifications (id, channel): whose sandbox files go with it. */
  async notificationsOf(m: EntityManager, references: string[]): Promise<{ id: string; channel: DeliveryChannel }[]> {
    return m.query(`SELECT id, channel FROM notification_keys WHERE booking_reference = ANY($1::text[])`, [references]);
  }

  /**
   * The booking's names and contacts, from wherever they are still whole: its passengers, its
   * notifications' recipients (a contact may have changed since) and the bodies of its parked events.
   */
  private async personalValues(m: EntityManager, reference: string): Promise<PersonalValues> {
    const rows: { v: string }[] = await m.query(
      `SELECT p.given_name AS v FROM passengers p WHERE p.booking_reference = $1
       UNION SELECT p.surname FROM passengers p WHERE p.booking_reference = $1
       UNION SELECT c.value FROM passengers p, jsonb_each_text(p.contacts) c WHERE p.booking_reference = $1
       UNION SELECT n.recipient FROM notifications n WHERE ${keysMatchFew(`booking_reference = $1 AND channel <> 'webhook'`, 'n')} AND n.recipient <> ''`,
      [reference],
    );
    const bodies: { body: Buffer }[] = await m.query(
      `SELECT body FROM parked_events WHERE booking_reference = $1 AND erased_at IS NULL AND octet_length(body) = coalesce(body_bytes, octet_length(body))`,
      [reference],
    );
    return new PersonalValues([...rows.map((r) => r.v), ...bodies.flatMap((b) => personalValuesInEvent(b.body))]);
  }

  /** Parked events naming the booking keep their reason code, ids, size and hash; the body goes. */
  private async eraseParkedEvents(m: EntityManager, reference: string, values: PersonalValues): Promise<number> {
    const rows: { id: string; reason: string; type: string | null; source: string | null; event_id: string | null }[] = await m.query(
      `SELECT id, reason, type, source, event_id FROM parked_events WHERE booking_reference = $1 AND erased_at IS NULL FOR UPDATE`,
      [reference],
    );
    const scrub = (text: string | null) => (text === null ? null : values.scrubText(text));
    for (const row of rows) {
      await m.query(
        `UPDATE parked_events SET body = ''::bytea, erased_at = now(), reason = $2, type = $3, source = $4, event_id = $5 WHERE id = $1`,
        [row.id, values.scrubText(row.reason), scrub(row.type), scrub(row.source), scrub(row.event_id)],
      );
    }
    return rows.length;
  }

  /**
   * Audit entries about the booking (it, its passengers, its notifications or parked events as target, or
   * its reference in the detail: a bulk filter, a corrected event) lose its names and contacts; any other
   * entry holding one of its contacts loses that contact. Who did what, when, to how many stays.
   */
  private async scrubAudit(m: EntityManager, reference: string, values: PersonalValues): Promise<number> {
    const contacts = values.contacts();
    const rows: { id: string; target: string | null; detail: Record<string, unknown> | null; about: boolean }[] = await m.query(
      `WITH ids AS (
         SELECT id::text AS id FROM notification_keys WHERE booking_reference = $1
         UNION ALL SELECT id::text FROM parked_events WHERE booking_reference = $1)
       SELECT a.id::text, a.target, a.detail,
              (a.target = $1 OR a.target LIKE $1 || '/%' OR a.target IN (SELECT id FROM ids) OR a.detail::text LIKE '%' || $1 || '%') AS about
         FROM audit_log a
        WHERE a.target = $1 OR a.target LIKE $1 || '/%' OR a.target IN (SELECT id FROM ids) OR a.detail::text LIKE '%' || $1 || '%'
           OR a.target ILIKE ANY($2::text[]) OR a.detail::text ILIKE ANY($2::text[])
          FOR UPDATE OF a`,
      [reference, contacts.values.map((v) => `%${v}%`)],
    );
    let changed = 0;
    for (const row of rows) {
      const using = row.about ? values : contacts;
      const target = row.target === null ? null : using.scrubText(row.target);
      const detail = row.detail === null ? null : using.scrubJson(row.detail);
      if (target === row.target && JSON.stringify(detail) === JSON.stringify(row.detail)) continue;
      await m.query(`UPDATE audit_log SET target = $2, detail = $3 WHERE id = $1`, [row.id, target, detail === null ? null : JSON.stringify(detail)]);
      changed++;
    }
    return changed;
  }

  /** Replay jobs filtered on the booking, or holding one of its contacts: the filter loses its personal values. */
  private async scrubReplays(m: EntityManager, reference: string, values: PersonalValues): Promise<number> {
    const rows: { id: string; filter: Record<string, unknown> }[] = await m.query(
      `SELECT id, filter FROM replays WHERE filter ->> 'bookingReference' = $1 OR filter::text ILIKE ANY($2::text[]) FOR UPDATE`,
      [reference, values.values.map((v) => `%${v}%`)],
    );
    let changed = 0;
    for (const row of rows) {
      const filter = values.scrubJson(row.filter);
      if (JSON.stringify(filter) === JSON.stringify(row.filter)) continue;
      await m.query(`UPDATE replays SET filter = $2 WHERE id = $1`, [row.id, JSON.stringify(filter)]);
      changed++;
    }
    return changed;
  }

  /**
   * What came back after an erasure: a send that was in flight writes its content and timeline back
   * afterwards (bookings purged in the last day), and a parked event naming a purged booking may arrive
   * at any time later (a late or redelivered copy). Returns how many rows it scrubbed.
   */
  async rescrubRecentlyPurged(m: EntityManager): Promise<number> {
    const rows: { n: number }[] = await m.query(
      `WITH recent AS (SELECT booking_reference FROM bookings WHERE purged_at > now() - interval '1 day'),
       scrubbed AS (
         UPDATE notifications n SET recipient = '', content = NULL, provider_message_id = NULL, last_error = NULL
          WHERE ${keysMatch('booking_reference IN (SELECT booking_reference FROM recent)', 'n')}
            AND (n.recipient <> '' OR n.content IS NOT NULL OR n.provider_message_id IS NOT NULL)
         RETURNING n.id, n.type, n.locale, n.booking_reference),
       contexts AS (${SCRUB_CONTEXTS}),
       e AS (
         UPDATE notification_events e SET detail = NULL FROM notification_keys k
          WHERE k.id = e.notification_id AND k.booking_reference IN (SELECT booking_reference FROM recent) AND e.detail IS NOT NULL
         RETURNING 1),
       p AS (
         UPDATE parked_events p SET body = ''::bytea, erased_at = now() FROM bookings b
          WHERE b.booking_reference = p.booking_reference AND b.purged_at IS NOT NULL AND p.erased_at IS NULL
         RETURNING 1)
       SELECT ((SELECT count(*) FROM scrubbed) + (SELECT count(*) FROM e) + (SELECT count(*) FROM p))::int AS n`,
    );
    return rows[0]?.n ?? 0;
  }

  /** Notifications of bookings purged in the last day: their sandbox files may have been written after the erasure. */
  async recentlyPurgedNotifications(m: EntityManager): Promise<{ id: string; channel: DeliveryChannel }[]> {
    return m.query(
      `SELECT k.id, k.channel FROM notification_keys k JOIN bookings b ON b.booking_reference = k.booking_reference
        WHERE b.purged_at > now() - interval '1 day'`,
    );
  }

  /**
   * Delivery bookkeeping keyed by contact and older than the cutoff, old job ticks, parked events (their
   * bodies may hold names and contacts) parked before the cutoff, and app devices not registered again since
   * the cutoff whose account no current booking names (a stale token: docs/decisions/0028), and Google Wallet
   * classes and objects of flights that left before the cutoff (docs/decisions/0032).
   */
  async purgeOldBookkeeping(m: EntityManager, cutoff: Date): Promise<number> {
    const rows: { n: number }[] = await m.query(
      `WITH sent AS (DELETE FROM recipient_last_sent WHERE sent_at < $1 RETURNING 1),
            windows AS (DELETE FROM customer_service_windows WHERE last_inbound_at < $1 RETURNING 1),
            messenger AS (DELETE FROM messenger_sent_messages WHERE sent_at < $1 RETURNING 1),
            ticks AS (DELETE FROM scheduled_job_runs WHERE tick < $1 RETURNING 1),
            parked AS (DELETE FROM parked_events WHERE parked_at < $1 RETURNING 1),
            wallet AS (DELETE FROM google_wallet_resources WHERE departure_date < ($1::timestamptz)::date RETURNING 1),
            devices AS (
              DELETE FROM app_devices d WHERE d.updated_at < $1
                 AND NOT EXISTS (SELECT 1 FROM passengers p JOIN bookings b ON b.booking_reference = p.booking_reference
                                  WHERE b.purged_at IS NULL AND p.contacts @> ${CONTACT_IS("'push'", 'd.account_id')})
              RETURNING 1)
       SELECT ((SELECT count(*) FROM sent) + (SELECT count(*) FROM windows) + (SELECT count(*) FROM messenger) + (SELECT count(*) FROM ticks)
               + (SELECT count(*) FROM parked) + (SELECT count(*) FROM devices) + (SELECT count(*) FROM wallet))::int AS n`,
      [cutoff],
    );
    return rows[0]?.n ?? 0;
  }
}
