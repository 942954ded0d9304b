import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DELIVERY_CHANNELS } from '../../vocabulary/notification-types';

/**
 * The database side of a metrics reading: aggregates only, each one statement on one pooled connection.
 * A read model like the dashboard's statistics; it writes nothing.
 */
@Injectable()
export class MetricsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Notifications by type × channel × status. */
  async notificationsByState(): Promise<{ type: string; channel: string; status: string; n: number }[]> {
    return this.dataSource.query(`SELECT type, channel, status, count(*)::int AS n FROM notifications GROUP BY 1, 2, 3`);
  }

  /** Seconds since the oldest due pending notification became due (0 when none). */
  async oldestDueAgeSeconds(): Promise<number> {
    // One look per channel into the dispatcher's partial index of pending rows by (channel, due_at).
    const lag: { s: number }[] = await this.dataSource.query(
      `SELECT COALESCE(extract(epoch FROM now() - min(o.due_at)), 0)::float8 AS s
         FROM unnest($1::text[]) AS c(channel)
         CROSS JOIN LATERAL (SELECT min(due_at) AS due_at FROM notifications
                              WHERE status = 'pending' AND channel = c.channel AND due_at <= now()) o`,
      [DELIVERY_CHANNELS],
    );
    return lag[0]?.s ?? 0;
  }

  /** Parked events not re-driven yet: the open dead letters. */
  async openDeadLetters(): Promise<number> {
    const parked: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM parked_events WHERE redriven_at IS NULL`);
    return parked[0]?.n ?? 0;
  }
}
