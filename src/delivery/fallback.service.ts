import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { PassengerRecord } from '../shared/booking-records';
import { dedupeKey, reachableChannels } from '../notifications/notification-planner';
import { NOTIFICATIONS_DUE_CHANNEL } from '../notifications/notification.repository';
import type { NotificationType } from '../shared/notification-types';
import type { PermanentFailureHook } from '../notifications/permanent-failure';

/** News a passenger must not miss: if one channel fails for good, the next consented channel carries it. */
export const CRITICAL_TYPES: ReadonlySet<NotificationType> = new Set([
  'flight-cancellation',
  'itinerary-change',
  'gate-change',
  'flight-diversion',
]);

interface FailedRow {
  id: string;
  type: NotificationType;
  channel: string;
  booking_reference: string;
  passenger_id: string;
  event_source: string;
  event_id: string;
  flight_key: string | null;
  locale: string;
  context: Record<string, unknown>;
  trace_context: Record<string, string> | null;
}

/**
 * Moves a critical notification that failed permanently to the passenger's next consented channel, unless
 * that channel already has it. Both timelines say so. Idempotent: the fallback reuses the planner's dedupe key.
 */
@Injectable()
export class FallbackService implements PermanentFailureHook {
  private readonly logger = new Logger(FallbackService.name);

  constructor(private readonly dataSource: DataSource) {}

  /** In the caller's transaction `m` when given (a provider's failure report applied with its receipt), else in one of its own. */
  async afterPermanentFailure(notificationId: string, m?: EntityManager): Promise<string | undefined> {
    return m ? this.fallBack(m, notificationId) : this.dataSource.transaction((t) => this.fallBack(t, notificationId));
  }

  private async fallBack(m: EntityManager, notificationId: string): Promise<string | undefined> {
    const [failed]: FailedRow[] = await m.query(
      `SELECT id, type, channel, booking_reference, passenger_id, event_source, event_id, flight_key, locale, context, trace_context
         FROM notifications WHERE id = $1 AND status = 'failed' FOR UPDATE`,
      [notificationId],
    );
    if (!failed || !CRITICAL_TYPES.has(failed.type)) return undefined;
    const passenger = await this.passenger(m, failed.booking_reference, failed.passenger_id);
    if (!passenger) return undefined;
    const channels = reachableChannels(passenger);
    const after = channels.slice(channels.findIndex((c) => c.channel === failed.channel) + 1);
    const event = { source: failed.event_source, id: failed.event_id };
    for (const next of after) {
      const inserted: { id: string }[] = await m.query(
        `INSERT INTO notifications (dedupe_key, type, channel, booking_reference, passenger_id, flight_key, locale,
                                    recipient, context, event_source, event_id, fallback_of, trace_context)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
        [
          dedupeKey(event, passenger, next.channel, failed.type),
          failed.type,
          next.channel,
          failed.booking_reference,
          failed.passenger_id,
          failed.flight_key,
          failed.locale,
          next.recipient,
          JSON.stringify(failed.context),
          failed.event_source,
          failed.event_id,
          failed.id,
          failed.trace_context && JSON.stringify(failed.trace_context), // the fallback continues the event's trace
        ],
      );
      if (inserted.length === 0) continue; // that channel has this news already
      const fallbackId = inserted[0].id;
      await m.query(
        `INSERT INTO notification_events (notification_id, kind, detail)
         VALUES ($1, 'fallback', $3::jsonb), ($2, 'created', $4::jsonb)`,
        [
          failed.id,
          fallbackId,
          JSON.stringify({ toChannel: next.channel, notificationId: fallbackId }),
          JSON.stringify({ fallbackOf: failed.id, fromChannel: failed.channel }),
        ],
      );
      await m.query(`SELECT pg_notify($1, '')`, [NOTIFICATIONS_DUE_CHANNEL]);
      this.logger.log(`${failed.type} ${failed.id} failed on ${failed.channel}; falling back to ${next.channel}`);
      return fallbackId;
    }
    return undefined;
  }

  private async passenger(m: EntityManager, reference: string, passengerId: string): Promise<PassengerRecord | undefined> {
    const rows: { contacts: PassengerRecord['contacts']; consents: PassengerRecord['consents'] | null }[] = await m.query(
      `SELECT p.contacts,
              (SELECT jsonb_agg(jsonb_build_object('channel', c.channel, 'granted', c.granted) ORDER BY c.preference)
                 FROM consents c WHERE c.booking_reference = p.booking_reference AND c.passenger_id = p.passenger_id) AS consents
         FROM passengers p WHERE p.booking_reference = $1 AND p.passenger_id = $2`,
      [reference, passengerId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      bookingReference: reference,
      passengerId,
      givenName: '',
      surname: '',
      locale: 'en',
      contacts: row.contacts,
      consents: row.consents ?? [],
    };
  }
}
