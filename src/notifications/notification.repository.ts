import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { HeldWrites } from '../database/held-writes';
import { preparedStatement, queryPrepared } from '../database/prepared-statement';
import { jsonbArray } from '../database/jsonb-parameter';
import type { HandoffReservation } from './dispatch-handoff';
import type { NotificationPlan } from './notification-plan';
import { NotificationRecord, toNotification } from './notification-records';
import type { Channel, DeliveryChannel, NotificationType } from '../vocabulary/notification-types';
import type { TraceCarrier } from '../tracing/trace-context';
import { NOTIFICATIONS_DUE_CHANNEL, wakeDispatchers } from './notification-wakeup.repository';
import { keysMatch, keysMatchFew } from './notification-keys';
import { splitSharedContexts } from './shared-context';
import type { RenderContext } from '../vocabulary/render-context';

/** One statement's plans stored for one event of the batch: how many were new, and which went in claimed (`ord`: 1-based in the statement). */
interface InsertedGroup {
  grp: number;
  n: number;
  at: Date;
  claimed_ords: number[] | null;
  claimed_ids: string[] | null;
}

/** One event's plans, stored with its trace context. */
export interface PlannedGroup {
  plans: NotificationPlan[];
  traceContext: TraceCarrier | null;
}

/** Which pending notifications to close: every field given must match. */
export interface PendingFilter {
  bookingReference?: string;
  passengerId?: string;
  channel?: Channel;
  recipient?: string;
}

/**
 * Plans per insert statement. A storm's ingest batch plans 40 flights × 300 passengers = 12,000 rows, and
 * JSON.stringify of one 11 MB parameter took 12.8 µs a row against 4.4 µs in statements of 500–2,000 (Node 24,
 * this VM); the whole batch still commits in one transaction. (The parameter is now built row by row, jsonbArray,
 * whose cost a row does not grow with the statement's size: decision 0060.)
 */
export const PLANNED_ROWS_PER_STATEMENT = 1_000;

/**
 * A plan as the insert statement's JSON carries it (`grp`: which event of the batch planned it; `context`: the fields of
 * its render context not shared by the whole group, which the statement joins back on, see splitSharedContexts;
 * `lease`: the claim's lease in seconds when it is stored claimed for this replica's dispatcher, docs/decisions/0048).
 */
function toPlannedRow(p: NotificationPlan, grp: number, context: Partial<RenderContext>, traceContext: TraceCarrier | null, lease: number | null) {
  return {
    grp,
    dedupe_key: p.dedupeKey,
    type: p.type,
    channel: p.channel,
    booking_reference: p.bookingReference,
    passenger_id: p.passengerId,
    flight_key: p.flightKey ?? null,
    locale: p.locale,
    recipient: p.recipient,
    context,
    event_source: p.eventSource,
    event_id: p.eventId,
    due_at: p.dueAt ? p.dueAt.toISOString() : null,
    trace_context: traceContext,
    lease,
  };
}
type PlannedRow = ReturnType<typeof toPlannedRow>;

/** A row stored claimed, as the dispatcher would have read it back from its claim (with its whole context). */
function toHandedRecord(r: PlannedRow, context: RenderContext, id: string, at: Date): NotificationRecord {
  return toNotification({
    ...r,
    context,
    id,
    status: 'sending',
    content: null,
    attempts: 1,
    due_at: r.due_at ? new Date(r.due_at) : at,
    provider_message_id: null,
    last_error_code: null,
    last_error: null,
    created_at: at,
    updated_at: at,
  });
}

/** Each filter field's column; all but the recipient are found through notification_keys. */
const PENDING_FILTER_COLUMNS: Record<keyof PendingFilter, { column: string; key: boolean }> = {
  bookingReference: { column: 'booking_reference', key: true },
  passengerId: { column: 'passenger_id', key: true },
  channel: { column: 'channel', key: true },
  recipient: { column: 'n.recipient', key: false },
};

/** What is still waiting of one type for one passenger on one flight (a check-in's reminder). */
export interface PassengerFlightPending {
  bookingReference: string;
  passengerId: string;
  flightKey: string;
  type: NotificationType;
}

/**
 * Writes that change which notifications are waiting: new ones, the pending ones that news (or a
 * withdrawal, a check-in, a cancelled booking) makes moot, an operator's re-send, work made due again.
 * Other modules ask these methods; none writes SQL against notifications or notification_events itself.
 */
@Injectable()
export class NotificationRepository {
  /** Per transaction of an ingest batch: the passenger-and-flight cancellations held back, each with its reason. */
  private readonly held = new HeldWrites<{ target: PassengerFlightPending; reason: string }>();

  /**
   * From now until `m`'s transaction ends, cancelPendingOfPassengerOnFlight holds its cancellations back: they
   * are written together, in one statement per reason, before any other method here runs in `m` (so whatever
   * a later event of the batch reads or changes includes them, as if each event came alone) and at
   * writeHeld. A check-in's reminder cancellation was the costliest statement of a check-in (≈ 0.25 ms of
   * PostgreSQL planning each, docs/decisions/0046).
   */
  holdCancellationsWithin(m: EntityManager): void {
    this.held.holdWithin(m);
  }

  /** Writes the cancellations `m` holds back, if any (the end of an ingest batch). */
  async writeHeld(m: EntityManager): Promise<void> {
    const byReason = new Map<string, PassengerFlightPending[]>();
    for (const { target, reason } of this.held.take(m)) {
      const targets = byReason.get(reason);
      if (targets) targets.push(target);
      else byReason.set(reason, [target]);
    }
    for (const [reason, targets] of byReason) await this.cancelOfPassengersOnFlights(m, targets, reason);
  }

  /**
   * Cancels what is still waiting of one type for one passenger on one flight (a check-in makes its reminder
   * moot), with a 'cancelled' timeline entry carrying `reason` — at once, or with the rest of an ingest batch
   * (holdCancellationsWithin).
   */
  async cancelPendingOfPassengerOnFlight(m: EntityManager, target: PassengerFlightPending, reason: string): Promise<void> {
    const key = JSON.stringify([reason, target.bookingReference, target.passengerId, target.flightKey, target.type]);
    if (!this.held.hold(m, key, { target, reason })) await this.cancelOfPassengersOnFlights(m, [target], reason);
  }

  /**
   * Inserts plans (one statement per PLANNED_ROWS_PER_STATEMENT); their 'created' timeline entry is read off the
   * row itself (NotificationQueryRepository.timeline, docs/decisions/0049). A plan
   * whose dedupe key exists already is skipped, which is what makes a redelivered event harmless: the key is
   * claimed in notification_keys first (its unique index; decision 0039), and only the plans that got one are
   * inserted. Each plan's context goes to notification_contexts, written once (docs/decisions/0052); what all of an
   * event's plans share of it travels once per event (splitSharedContexts, docs/decisions/0057). Returns how
   * many were new.
   * `traceContext`: the consume span's, stored so the send continues the event's trace (tracing on only).
   */
  async insertPlanned(m: EntityManager, plans: NotificationPlan[], traceContext: TraceCarrier | null = null): Promise<number> {
    return (await this.insertPlannedGroups(m, [{ plans, traceContext }]))[0];
  }

  /**
   * The plans of several events (group commit, issue 19), each group with its event's trace context, in one
   * statement per PLANNED_ROWS_PER_STATEMENT rows, in order. Returns how many of each group were new; a key
   * planned twice counts for its first group only (a later statement's copy meets the key already claimed).
   * `handoff`: plans due now that get a place in it are stored claimed (status 'sending', attempt 1, the claim's
   * lease) and given to it, for the dispatcher of this replica once the transaction commits (docs/decisions/0048).
   * Only the last write of a transaction may pass one: a later statement of it would find them no longer pending.
   */
  async insertPlannedGroups(m: EntityManager, groups: PlannedGroup[], handoff?: HandoffReservation): Promise<number[]> {
    await this.writeHeld(m);
    const counts = groups.map(() => 0);
    const now = Date.now();
    const leaseOf = (p: NotificationPlan) => (handoff && (!p.dueAt || p.dueAt.getTime() <= now) ? (handoff.place(p.channel) ?? null) : null);
    const shared: Record<number, Partial<RenderContext>> = {};
    const rows = groups.flatMap(({ plans, traceContext }, grp) => {
      const split = splitSharedContexts(plans.map((p) => p.context));
      if (split.shared) shared[grp] = split.shared;
      return plans.map((p, i) => toPlannedRow(p, grp, split.own[i], traceContext, leaseOf(p)));
    });
    const contexts = groups.flatMap(({ plans }) => plans.map((p) => p.context));
    for (let from = 0; from < rows.length; from += PLANNED_ROWS_PER_STATEMENT) {
      const chunk = rows.slice(from, from + PLANNED_ROWS_PER_STATEMENT);
      const chunkShared = Object.fromEntries([...new Set(chunk.map((r) => r.grp))].filter((g) => shared[g]).map((g) => [g, shared[g]]));
      for (const { grp, n, claimed_ords, claimed_ids, at } of await this.insertPlannedRows(m, chunk, chunkShared)) {
        counts[grp] += n;
        claimed_ords?.forEach((ord, i) => handoff?.stored(toHandedRecord(chunk[ord - 1], contexts[from + ord - 1], claimed_ids![i], at)));
      }
    }
    return counts;
  }

  private async insertPlannedRows(m: EntityManager, rows: PlannedRow[], shared: Record<number, Partial<RenderContext>>): Promise<InsertedGroup[]> {
    // Only channels that got a pending row are woken: a row stored claimed is already in this replica's hands.
    const woken = [...new Set(rows.filter((r) => r.lease === null).map((r) => r.channel))].join(',');
    return queryPrepared(m, preparedStatement('insert-planned-notifications',
      `WITH x AS (
         SELECT * FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (grp int, dedupe_key text, type text, channel text,
                booking_reference text, passenger_id text, flight_key text, locale text, recipient text, context jsonb,
                event_source text, event_id text, due_at timestamptz, trace_context jsonb, lease int)) WITH ORDINALITY AS x(grp, dedupe_key,
                type, channel, booking_reference, passenger_id, flight_key, locale, recipient, context, event_source, event_id,
                due_at, trace_context, lease, ord)),
       first AS (
         SELECT DISTINCT ON (x.dedupe_key) x.* FROM x ORDER BY x.dedupe_key, x.ord),
       keyed AS (
         INSERT INTO notification_keys (id, dedupe_key, booking_reference, passenger_id, flight_key, type, channel)
         SELECT time_ordered_uuid(), f.dedupe_key, f.booking_reference, f.passenger_id, f.flight_key, f.type, f.channel
           FROM first f ORDER BY f.ord
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING id, dedupe_key),
       inserted AS (
         INSERT INTO notifications (id, dedupe_key, type, channel, booking_reference, passenger_id, flight_key, locale,
                                    recipient, event_source, event_id, due_at, trace_context,
                                    status, attempts, attempted_at, claimed_until)
         SELECT k.id, f.dedupe_key, f.type, f.channel, f.booking_reference, f.passenger_id, f.flight_key, f.locale,
                f.recipient, f.event_source, f.event_id, COALESCE(f.due_at, now()), f.trace_context,
                CASE WHEN f.lease IS NULL THEN 'pending' ELSE 'sending' END, CASE WHEN f.lease IS NULL THEN 0 ELSE 1 END,
                CASE WHEN f.lease IS NOT NULL THEN now() END, now() + f.lease * interval '1 second'
           FROM keyed k JOIN first f USING (dedupe_key) ORDER BY f.ord
         RETURNING id, dedupe_key),
       contexts AS (
         INSERT INTO notification_contexts (id, context)
         SELECT k.id, COALESCE(($4::jsonb -> f.grp::text) || f.context, f.context) FROM keyed k JOIN first f USING (dedupe_key)),
       credited AS (
         SELECT f.grp, f.ord, f.lease, inserted.id FROM inserted JOIN first f USING (dedupe_key))
       SELECT grp, count(*)::int AS n, now() AS at,
              array_agg(ord::int ORDER BY ord) FILTER (WHERE lease IS NOT NULL) AS claimed_ords,
              array_agg(id::text ORDER BY ord) FILTER (WHERE lease IS NOT NULL) AS claimed_ids,
              (SELECT pg_notify($2, $3) WHERE $3 <> '') AS woken
         FROM credited GROUP BY grp`),
      // The wake-up in the same statement (one round trip fewer per event), made only when a pending row went in
      // (the subquery runs once, for the first result row). The payload names the channels that got work, so only
      // their dispatcher loops wake; PostgreSQL delivers it when the transaction commits.
      [jsonbArray(rows), NOTIFICATIONS_DUE_CHANNEL, woken, JSON.stringify(shared)],
    );
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
    await this.writeHeld(m);
    if (targets.length === 0 || types.length === 0) return 0;
    return this.closePending(
      m,
      'superseded',
      `${keysMatchFew(
        `flight_key = $2 AND type = ANY($3) AND (booking_reference, passenger_id, channel) IN
           (SELECT t.b, t.p, t.c FROM jsonb_to_recordset($4::jsonb) AS t(b text, p text, c text))`,
        'n',
      )}
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
    await this.writeHeld(m);
    return only
      ? this.closePending(
          m,
          'cancelled',
          keysMatchFew(`booking_reference = $2 AND passenger_id = $3 AND channel = $4`, 'n'),
          [bookingReference, only.passengerId, only.channel],
          { reason },
        )
      : this.closePending(m, 'cancelled', keysMatchFew(`booking_reference = $2`, 'n'), [bookingReference], { reason });
  }

  /**
   * Cancels what is still waiting and matches every field of `filter` (a withdrawn consent by contact or by
   * passenger), each with a 'cancelled' timeline entry carrying `reason`.
   */
  async cancelPendingWhere(m: EntityManager, filter: PendingFilter, reason: string): Promise<number> {
    await this.writeHeld(m);
    const params: unknown[] = [];
    const keys: string[] = [];
    const where: string[] = [];
    for (const [field, { column, key }] of Object.entries(PENDING_FILTER_COLUMNS) as [keyof PendingFilter, { column: string; key: boolean }][]) {
      const value = filter[field];
      if (value === undefined) continue;
      params.push(value);
      (key ? keys : where).push(`${column} = $${params.length + 1}`);
    }
    if (keys.length + where.length === 0) throw new Error('cancelPendingWhere needs at least one filter field');
    // A filter naming a booking matches a few notifications: by primary key, and quicker to plan (a check-in's
    // reminder cancellation was planned in 0.28 ms to run in 0.04). By contact alone it may match many.
    const match = filter.bookingReference === undefined ? keysMatch : keysMatchFew;
    if (keys.length > 0) where.unshift(match(keys.join(' AND '), 'n'));
    return this.closePending(m, 'cancelled', where.join(' AND '), params, { reason });
  }

  /**
   * Cancels what is still waiting of one type on one channel of one flight for each of these passengers, with a
   * 'cancelled' timeline entry carrying `reason`; returns, for each passenger that had any, when the earliest of
   * theirs was due: a replacement keeps it, so changes cannot postpone it. One statement for a flight's
   * passengers (a re-issue after a delay took one per checked-in passenger).
   */
  async cancelPendingReplacedOfPassengers(
    m: EntityManager,
    of: { flightKey: string; type: NotificationType; channel: DeliveryChannel },
    passengers: readonly { bookingReference: string; passengerId: string }[],
    reason: string,
  ): Promise<{ bookingReference: string; passengerId: string; earliestDue: Date }[]> {
    await this.writeHeld(m);
    if (passengers.length === 0) return [];
    const closed = await this.closePendingByPassenger(
      m,
      'cancelled',
      keysMatchFew(`flight_key = $2 AND type = $3 AND channel = $4 AND (booking_reference, passenger_id) IN (SELECT * FROM unnest($5::text[], $6::text[]))`, 'n'),
      [of.flightKey, of.type, of.channel, passengers.map((p) => p.bookingReference), passengers.map((p) => p.passengerId)],
      { reason },
    );
    return closed.map(({ bookingReference, passengerId, earliestDue }) => ({ bookingReference, passengerId, earliestDue }));
  }

  /** An operator's re-send: the notification is pending again, due now, with a 'replayed' timeline entry; wakes the dispatchers. */
  async requeue(m: EntityManager, id: string, recipient: string, context: object, detail: Record<string, unknown>): Promise<void> {
    await this.writeHeld(m);
    await m.query(
      `WITH contexts AS (UPDATE notification_contexts SET context = $3 WHERE id = $1)
       UPDATE notifications SET status = 'pending', due_at = now(), attempts = 0, claimed_until = NULL, recipient = $2, updated_at = now()
        WHERE id = $1`,
      [id, recipient, JSON.stringify(context)],
    );
    await m.query(`INSERT INTO notification_events (notification_id, kind, detail) VALUES ($1, 'replayed', $2)`, [id, JSON.stringify(detail)]);
    // Wakes the dispatchers when the transaction commits.
    await wakeDispatchers(m, '');
  }

  /**
   * Makes due at once what waits on `channel` for a cause now gone (`last_error_code`, e.g. a paused WhatsApp
   * template back in use) and wakes that channel's dispatcher. Returns how many.
   */
  async makeDueAgain(m: EntityManager, channel: DeliveryChannel, lastErrorCode: string): Promise<number> {
    await this.writeHeld(m);
    const woken: unknown[] = await m.query(
      `UPDATE notifications SET due_at = now(), updated_at = now()
        WHERE channel = $2 AND status = 'pending' AND last_error_code = $1 AND due_at > now()
       RETURNING 1`,
      [lastErrorCode, channel],
    );
    if (woken.length > 0) await wakeDispatchers(m, channel);
    return woken.length;
  }

  private async cancelOfPassengersOnFlights(m: EntityManager, targets: PassengerFlightPending[], reason: string): Promise<void> {
    await this.closePending(
      m,
      'cancelled',
      keysMatchFew(
        `(booking_reference, passenger_id, flight_key, type) IN (SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]))`,
        'n',
      ),
      [targets.map((t) => t.bookingReference), targets.map((t) => t.passengerId), targets.map((t) => t.flightKey), targets.map((t) => t.type)],
      { reason },
    );
  }

  private async closePending(
    m: EntityManager,
    status: 'superseded' | 'cancelled',
    where: string,
    params: unknown[],
    detail: Record<string, string>,
  ): Promise<number> {
    const closed = await this.closePendingByPassenger(m, status, where, params, detail);
    return closed.reduce((sum, c) => sum + c.n, 0);
  }

  /** Closes the pending rows `where` matches, each with a timeline entry; per passenger, how many and the earliest due time. */
  private async closePendingByPassenger(
    m: EntityManager,
    status: 'superseded' | 'cancelled',
    where: string,
    params: unknown[],
    detail: Record<string, string>,
  ): Promise<{ bookingReference: string; passengerId: string; n: number; earliestDue: Date }[]> {
    const rows: { booking_reference: string; passenger_id: string; n: number; earliest_due: Date }[] = await m.query(
      `WITH closed AS (
         UPDATE notifications n SET status = $1, updated_at = now()
          WHERE n.status = 'pending' AND ${where}
         RETURNING n.id, n.due_at, n.booking_reference, n.passenger_id),
       timeline AS (
         INSERT INTO notification_events (notification_id, kind, detail)
         SELECT id, $1, $${params.length + 2}::jsonb FROM closed)
       SELECT booking_reference, passenger_id, count(*)::int AS n, min(due_at) AS earliest_due FROM closed GROUP BY booking_reference, passenger_id`,
      [status, ...params, JSON.stringify(detail)],
    );
    return rows.map((r) => ({ bookingReference: r.booking_reference, passengerId: r.passenger_id, n: r.n, earliestDue: r.earliest_due }));
  }
}
