import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { NotificationType } from '../vocabulary/notification-types';
import { wakeDispatchers } from './notification-wakeup.repository';
import { NOTIFICATION_WITH_CONTEXT } from './notification-records';

/** A notification that failed for good, as the fallback reads it under lock. */
export interface FailedNotification {
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

/** The fallback's writes: a failed notification's copy on the next channel, and both timelines. */
@Injectable()
export class NotificationFallbackRepository {
  /** The notification, locked, when it is failed; undefined otherwise. */
  async lockFailed(m: EntityManager, id: string): Promise<FailedNotification | undefined> {
    const [failed]: FailedNotification[] = await m.query(
      `SELECT n.id, n.type, n.channel, n.booking_reference, n.passenger_id, n.event_source, n.event_id, n.flight_key, n.locale, c.context,
              n.trace_context
         FROM ${NOTIFICATION_WITH_CONTEXT} WHERE n.id = $1 AND n.status = 'failed' FOR UPDATE OF n`,
      [id],
    );
    return failed;
  }

  /**
   * Inserts the copy of `failed` on another channel, with a 'fallback' entry on the failed one's timeline and
   * a 'created' entry on the copy's, and wakes the dispatchers. Undefined when that channel has this news
   * already (the dedupe key exists).
   */
  async insertFallbackCopy(
    m: EntityManager,
    failed: FailedNotification,
    copy: { dedupeKey: string; channel: string; recipient: string },
  ): Promise<string | undefined> {
    const inserted: { id: string }[] = await m.query(
      `WITH keyed AS (
         INSERT INTO notification_keys (id, dedupe_key, type, channel, booking_reference, passenger_id, flight_key)
         VALUES (time_ordered_uuid(), $1, $2, $3, $4, $5, $6)
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id),
       contexts AS (INSERT INTO notification_contexts (id, context) SELECT id, $9::jsonb FROM keyed)
       INSERT INTO notifications (id, dedupe_key, type, channel, booking_reference, passenger_id, flight_key, locale,
                                  recipient, event_source, event_id, fallback_of, trace_context)
       SELECT id, $1, $2, $3, $4, $5, $6, $7, $8, $10, $11, $12::uuid, $13::jsonb FROM keyed
       RETURNING id`,
      [
        copy.dedupeKey,
        failed.type,
        copy.channel,
        failed.booking_reference,
        failed.passenger_id,
        failed.flight_key,
        failed.locale,
        copy.recipient,
        JSON.stringify(failed.context),
        failed.event_source,
        failed.event_id,
        failed.id,
        failed.trace_context && JSON.stringify(failed.trace_context), // the fallback continues the event's trace
      ],
    );
    if (inserted.length === 0) return undefined;
    const fallbackId = inserted[0].id;
    await m.query(
      `INSERT INTO notification_events (notification_id, kind, detail)
       VALUES ($1, 'fallback', $3::jsonb), ($2, 'created', $4::jsonb)`,
      [
        failed.id,
        fallbackId,
        JSON.stringify({ toChannel: copy.channel, notificationId: fallbackId }),
        JSON.stringify({ fallbackOf: failed.id, fromChannel: failed.channel }),
      ],
    );
    await wakeDispatchers(m, '');
    return fallbackId;
  }
}
