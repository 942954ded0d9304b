import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StatsResponse } from './stats.dto';

const HOUR_MS = 3_600_000;

/** Counts of notifications per hour (UTC) × channel × status, for the dashboard's chart. */
@Injectable()
export class StatsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async lastHours(hours: number, now = new Date()): Promise<StatsResponse> {
    const to = new Date(now.getTime());
    const from = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS);
    // The range walks the (created_at DESC, id DESC) index; hours are cut in UTC whatever the session zone.
    const rows: { hour: Date; channel: string; status: string; n: number }[] = await this.dataSource.query(
      `SELECT date_trunc('hour', created_at, 'UTC') AS hour, channel, status, count(*)::int AS n
         FROM notifications WHERE created_at >= $1
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
}
