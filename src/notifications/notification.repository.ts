import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { NotificationPlan } from './notification-plan';
import type { Channel, DeliveryChannel, NotificationType } from '../shared/notification-types';
import type { TraceCarrier } from '../tracing/trace-context';

/** Channel the dispatcher listens on; notified inside the planning transaction, so it fires on commit. */
export const NOTIFICATIONS_DUE_CHANNEL = 'notifications_due';

/** Writes of the planning side: new notifications and the pending ones that news makes moot. */
@Injectable()
export class NotificationRepository {
  /**
   * Inserts plans and their 'created' timeline entries in one statement. A plan whose dedupe key exists
   * already is skipped, which is what makes a redelivered event harmless. Returns how many were new.
   * `traceContext`: the consume span's, stored so the send continues the event's trace (tracing on only).
   */
  async insertPlanned(m: EntityManager, plans: NotificationPlan[], traceContext: TraceCarrier | null = null): Promise<number> {
    if (plans.length === 0) return 0;
    const rows = plans.map((p) => ({
      dedupe_key: p.dedupeKey,
      type: p.type,
      channel: p.channel,
      booking_reference: p.bookingReference,
      passenger_id: p.passengerId,
      flight_key: p.flightKey ?? null,
      locale: p.locale,
      recipient: p.recipient,
      context: p.context,
      event_source: p.eventSource,
      event_id: p.eventId,
      due_at: p.dueAt ? p.dueAt.toISOString() : null,
    }));
    const withContext = traceContext ? rows.map((r) => ({ ...r, trace_context: traceContext })) : rows;
    const result: { n: number }[] = await m.query(
      `WITH inserted AS (
         INSERT INTO notifications (dedupe_key, type, channel, booking_reference, passenger_id, flight_key, locale,
                                    recipient, context, event_source, event_id, due_at, trace_context)
         SELECT x.dedupe_key, x.type, x.channel, x.booking_reference, x.passenger_id, x.flight_key, x.locale,
                x.recipient, x.context, x.event_source, x.event_id, COALESCE(x.due_at, now()), x.trace_context
           FROM jsonb_to_recordset($1::jsonb) AS x(dedupe_key text, type text, channel text, booking_reference text,
                passenger_id text, flight_key text, locale text, recipient text, context jsonb, event_source text,
                event_id text, due_at timestamptz, trace_context jsonb)
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING id, event_source, event_id),
       timeline AS (
         INSERT INTO notification_events (notification_id, kind, detail)
         SELECT id, 'created', jsonb_build_object('eventSource', event_source, 'eventId', event_id) FROM inserted)
       SELECT count(*)::int AS n FROM inserted`,
      [JSON.stringify(withContext)],
    );
    const inserted = result[0]?.n ?? 0;
    // The payload names the channels that got work, so only their dispatcher loops wake.
    const channels = [...new Set(plans.map((p) => p.channel))].join(',');
    if (inserted > 0) await m.query(`SELECT pg_notify($1, $2)`, [NOTIFICATIONS_DUE_CHANNEL, channels]);
    return inserted;
  }

  /**
   * Marks pending notifications of the given types superseded for these passenger/channel pairs on one
   * flight: the newer news replaces them, so nobody is told something stale.
   */
  async supersedePending(
    m: EntityManager,
    flightKey: string,
    types: NotificationType[],
    targets: { bookingReference: string; passengerId: string; channel: DeliveryChannel }[],
    byEvent: { source: string; id: string },
  ): Promise<number> {
    if (targets.length === 0 || types.length === 0) return 0;
    return this.closePending(
      m,
      'superseded',
      `n.flight_key = $2 AND n.type = ANY($3) AND (n.booking_reference, n.passenger_id, n.channel) IN
         (SELECT t.b, t.p, t.c FROM jsonb_to_recordset($4::jsonb) AS t(b text, p text, c text))
       AND NOT (n.event_source = $5 AND n.event_id = $6)`,
      [
        flightKey,
        types,
        JSON.stringify(targets.map((t) => ({ b: t.bookingReference, p: t.passengerId, c: t.channel }))),
        byEvent.source,
        byEvent.id,
      ],
      { reason: 'newer flight news', eventSource: byEvent.source, eventId: byEvent.id },
    );
  }

  /** Cancels what is still waiting for a booking (cancelled booking), optionally for one passenger and channel (opt-out). */
  async cancelPending(
    m: EntityManager,
    bookingReference: string,
    reason: string,
    only?: { passengerId: string; channel: Channel },
  ): Promise<number> {
    return only
      ? this.closePending(
          m,
          'cancelled',
          `n.booking_reference = $2 AND n.passenger_id = $3 AND n.channel = $4`,
          [bookingReference, only.passengerId, only.channel],
          { reason },
        )
      : this.closePending(m, 'cancelled', `n.booking_reference = $2`, [bookingReference], { reason });
  }

  private async closePending(
    m: EntityManager,
    status: 'superseded' | 'cancelled',
    where: string,
    params: unknown[],
    detail: Record<string, string>,
  ): Promise<number> {
    const result: { n: number }[] = await m.query(
      `WITH closed AS (
         UPDATE notifications n SET status = $1, updated_at = now()
          WHERE n.status = 'pending' AND ${where}
         RETURNING n.id),
       timeline AS (
         INSERT INTO notification_events (notification_id, kind, detail)
         SELECT id, $1, $${params.length + 2}::jsonb FROM closed)
       SELECT count(*)::int AS n FROM closed`,
      [status, ...params, JSON.stringify(detail)],
    );
    return result[0]?.n ?? 0;
  }
}
