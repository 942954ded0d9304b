import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DeliveryChannel, NotificationStatus, NotificationType } from '../vocabulary/notification-types';
import { ListedNotification, NOTIFICATION_WITH_CONTEXT, NotificationRecord, NotificationRow, TimelineEntry, toListedNotification, toNotification } from './notification-records';
import { keysMatch } from './notification-keys';

export interface NotificationSelection {
  bookingReference?: string;
  passengerId?: string;
  flight?: string;
  type?: NotificationType;
  channel?: DeliveryChannel;
  status?: NotificationStatus;
  errorCode?: string;
  createdFrom?: Date;
  createdTo?: Date;
}

export interface NotificationFilter extends NotificationSelection {
  /** Position after which to continue: the last item of the previous page. */
  after?: { createdMicros: string; id: string };
  limit: number;
}

/**
 * The WHERE clause of a selection, with its parameters numbered after those already in `params`. Booking,
 * passenger, flight, type, channel and the creation time are matched through notification_keys: one semi-join
 * for all of them, or, with `joined`, on its rows directly — the caller's statement joins them as `k` to
 * notifications as `n`.
 */
export function selectionWhere(filter: NotificationSelection, params: unknown[] = [], joined = false): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const keys: string[] = [];
  const add = (sql: string, value: unknown, to = where) => {
    params.push(value);
    to.push(sql.replace('?', `$${params.length}`));
  };
  const k = joined ? 'k.' : '';
  const n = joined ? 'n.' : '';
  if (filter.bookingReference) add(`${k}booking_reference = ?`, filter.bookingReference, keys);
  if (filter.passengerId) add(`${k}passenger_id = ?`, filter.passengerId, keys);
  if (filter.flight) add(`${k}flight_key = ?`, filter.flight, keys);
  if (filter.type) add(`${k}type = ?`, filter.type, keys);
  if (filter.channel) add(`${k}channel = ?`, filter.channel, keys);
  if (filter.createdFrom) add(`${k}created_at >= ?`, filter.createdFrom, keys);
  if (filter.createdTo) add(`${k}created_at < ?`, filter.createdTo, keys);
  if (joined) where.push(...keys);
  else if (keys.length > 0) where.push(keysMatch(keys.join(' AND ')));
  if (filter.status) add(`${n}status = ?`, filter.status);
  if (filter.errorCode) add(`${n}last_error_code = ?`, filter.errorCode);
  return { where, params };
}

/**
 * The statement of one page of the list, newest first by the keys' index: notification_keys is never updated, so
 * that index costs the claim and the send write-back nothing (docs/decisions/0049). Its created_at is the
 * notification's own (the same statement's now(), or copied by the keys' insert trigger).
 */
export function findStatement(filter: NotificationFilter): { sql: string; params: unknown[] } {
  const { where, params } = selectionWhere(filter, [], true);
  if (filter.after) {
    params.push(filter.after.createdMicros, filter.after.id);
    where.push(`(k.created_at, k.id) < ('epoch'::timestamptz + $${params.length - 1}::bigint * interval '1 microsecond', $${params.length}::uuid)`);
  }
  params.push(filter.limit);
  const sql = `SELECT n.*, (extract(epoch FROM k.created_at) * 1000000)::bigint::text AS created_micros
                 FROM notification_keys k JOIN notifications n ON n.id = k.id
                ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                ORDER BY k.created_at DESC, k.id DESC LIMIT $${params.length}`;
  return { sql, params };
}

/** The read side of notifications, for the API: filtered, newest first, keyset-paginated. */
@Injectable()
export class NotificationQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A page of notifications and the position of its last item (microseconds since the epoch, id). */
  async find(filter: NotificationFilter): Promise<{ items: ListedNotification[]; last?: { createdMicros: string; id: string } }> {
    const { sql, params } = findStatement(filter);
    const rows: (Omit<NotificationRow, 'context'> & { created_micros: string })[] = await this.dataSource.query(sql, params);
    const tail = rows[rows.length - 1];
    return { items: rows.map(toListedNotification), last: tail && { createdMicros: tail.created_micros, id: tail.id } };
  }

  async count(selection: NotificationSelection): Promise<number> {
    const { where, params } = selectionWhere(selection);
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM notifications ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
    );
    return rows[0].n;
  }

  async findById(id: string): Promise<NotificationRecord | undefined> {
    const rows: NotificationRow[] = await this.dataSource.query(`SELECT n.*, c.context FROM ${NOTIFICATION_WITH_CONTEXT} WHERE n.id = $1`, [id]);
    return rows[0] && toNotification(rows[0]);
  }

  /**
   * What happened to a notification, oldest first. Its first entry, 'created', is the row's own: a plan is stored
   * without a timeline row (docs/decisions/0049). A fallback copy, and any notification stored before that
   * decision, has a 'created' row of its own, which is shown instead.
   */
  async timeline(id: string): Promise<TimelineEntry[]> {
    return this.dataSource.query(
      `SELECT at, kind, detail FROM (
         SELECT 0::bigint AS id, n.created_at AS at, 'created' AS kind,
                jsonb_build_object('eventSource', n.event_source, 'eventId', n.event_id) AS detail
           FROM notifications n
          WHERE n.id = $1 AND NOT EXISTS (SELECT 1 FROM notification_events e WHERE e.notification_id = n.id AND e.kind = 'created')
         UNION ALL
         SELECT id, at, kind, detail FROM notification_events WHERE notification_id = $1) entries
        ORDER BY id`,
      [id],
    );
  }
}
