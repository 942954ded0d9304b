import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DELIVERY_CHANNELS } from '../../vocabulary/notification-types';
import type { StatsBacklog, StatsMinute, StatsResponse } from './stats.dto';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** The storm view: sends per minute over the last hour, the current minute included. */
export const STATS_MINUTES = 60;

/** Attempt outcomes (SendResult.outcome in the timeline's `attempt` entries) that count as sent. */
const SENT_OUTCOMES = ['accepted', 'delivered'];

/**
 * The dashboard's counts: notifications per hour (UTC) × channel × status, the dispatcher's backlog and lag
 * now, and per-minute traffic over the last hour. Every query walks an index over a bounded range.
 */
@Injectable()
export class StatsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async read(hours: number, now = new Date()): Promise<StatsResponse> {
    const [perHour, backlog, minutes] = await Promise.all([this.lastHours(hours, now), this.backlog(), this.perMinute(now)]);
    return { ...perHour, backlog, minutes };
  }

  async lastHours(hours: number, now = new Date()): Promise<Omit<StatsResponse, 'backlog' | 'minutes'>> {
    const to = new Date(now.getTime());
    const from = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS);
    // The range walks the keys' newest-first index (docs/decisions/0049); hours are cut in UTC whatever the session zone.
    const rows: { hour: Date; channel: string; status: string; n: number }[] = await this.dataSource.query(
      `SELECT date_trunc('hour', k.created_at, 'UTC') AS hour, k.channel, n.status, count(*)::int AS n
         FROM notification_keys k JOIN notifications n ON n.id = k.id WHERE k.created_at >= $1
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [from],
    );
    const byStatus: Record<string, number> = {};
    const byChannel: Record<string, Record<string, number>> = {};
    let all = 0;
    for (const r of rows) {
      all += r.n;
      byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
      const channel = (byChannel[r.channel] ??= {});
      channel[r.status] = (channel[r.status] ?? 0) + r.n;
    }
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      hours: Array.from({ length: hours }, (_, i) => new Date(from.getTime() + i * HOUR_MS).toISOString()),
      rows: rows.map((r) => ({ hour: new Date(r.hour).toISOString(), channel: r.channel, status: r.status, count: r.n })),
      totals: { all, byStatus, byChannel },
    };
  }

  /**
   * What the dispatcher has not finished: pending rows (due now, or scheduled later) through the partial
   * index of pending rows by (channel, due_at), rows being sent through the partial index of claims, and the
   * age of the oldest due row — one look per channel, as the claim query itself walks that index.
   */
  async backlog(): Promise<StatsBacklog> {
    const [counts, lag]: [{ pending: number; due: number; sending: number }[], { oldest: Date | null; s: number | null }[]] = await Promise.all([
      this.dataSource.query(
        `SELECT (SELECT count(*) FROM notifications WHERE status = 'pending')::int AS pending,
                (SELECT count(*) FROM notifications WHERE status = 'pending' AND due_at <= now())::int AS due,
                (SELECT count(*) FROM notifications WHERE status = 'sending')::int AS sending`,
      ),
      this.dataSource.query(
        `SELECT min(o.due_at) AS oldest, extract(epoch FROM now() - min(o.due_at))::float8 AS s
           FROM unnest($1::text[]) AS c(channel)
           CROSS JOIN LATERAL (SELECT min(due_at) AS due_at FROM notifications
                                WHERE status = 'pending' AND channel = c.channel AND due_at <= now()) o`,
        [DELIVERY_CHANNELS],
      ),
    ]);
    const { pending, due, sending } = counts[0];
    const oldest = lag[0]?.oldest ?? null;
    return {
      pending,
      due,
      scheduled: pending - due,
      sending,
      oldestDueAt: oldest ? new Date(oldest).toISOString() : null,
      lagSeconds: Math.max(0, Math.round(lag[0]?.s ?? 0)),
    };
  }

  /**
   * Per-minute traffic of the last hour: notifications created (the keys' created_at index), and sends, failures
   * and retries from the timeline. The timeline has no index on its time, but its ids grow with it: the newest row
   * older than the window is found walking the primary key backwards, and the window is then read as one
   * primary-key range — both visit only the last hour's rows.
   */
  async perMinute(now = new Date()): Promise<StatsMinute[]> {
    const from = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS - (STATS_MINUTES - 1) * MINUTE_MS);
    const before: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM notification_events WHERE at < $1 ORDER BY id DESC LIMIT 1`,
      [from],
    );
    const [created, attempts]: [{ minute: Date; n: number }[], { minute: Date; sent: number; failed: number; retried: number }[]] = await Promise.all([
      this.dataSource.query(
        `SELECT date_trunc('minute', created_at, 'UTC') AS minute, count(*)::int AS n
           FROM notification_keys WHERE created_at >= $1 GROUP BY 1`,
        [from],
      ),
      // Failed: given up on by the dispatcher or reported failed by the provider; retried: back in line
      // (retry-scheduled) or put back without spending an attempt (deferred: rate limit, paused channel).
      this.dataSource.query(
        `SELECT date_trunc('minute', at, 'UTC') AS minute,
                count(*) FILTER (WHERE kind = 'attempt' AND detail ->> 'outcome' = ANY($3))::int AS sent,
                count(*) FILTER (WHERE kind IN ('failed', 'provider-failed'))::int AS failed,
                count(*) FILTER (WHERE kind IN ('retry-scheduled', 'deferred'))::int AS retried
           FROM notification_events
          WHERE id > $2 AND at >= $1 AND kind IN ('attempt', 'failed', 'provider-failed', 'retry-scheduled', 'deferred')
          GROUP BY 1`,
        [from, before[0]?.id ?? '0', SENT_OUTCOMES],
      ),
    ]);
    const at = (d: Date) => new Date(d).toISOString();
    const createdBy = new Map(created.map((r) => [at(r.minute), r.n]));
    const attemptsBy = new Map(attempts.map((r) => [at(r.minute), r]));
    return Array.from({ length: STATS_MINUTES }, (_, i) => {
      const minute = new Date(from.getTime() + i * MINUTE_MS).toISOString();
      const a = attemptsBy.get(minute);
      return { minute, created: createdBy.get(minute) ?? 0, sent: a?.sent ?? 0, failed: a?.failed ?? 0, retried: a?.retried ?? 0 };
    });
  }
}
