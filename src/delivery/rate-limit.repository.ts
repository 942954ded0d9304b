import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The rate limiter's tables: token buckets per key, and when each recipient was last messaged. */
@Injectable()
export class RateLimitRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes up to `want` tokens from the bucket `key` refilled at `perSecond`, holding at most `capacity`; returns
   * how many were granted. A bucket seeded by this very statement is not visible to it yet: nothing granted this round.
   */
  async take(key: string, want: number, perSecond: number, capacity: number): Promise<number> {
    const rows: { granted: number }[] = await this.dataSource.query(
      `WITH seeded AS (
         INSERT INTO rate_limit_buckets (key, tokens, refilled_at) VALUES ($1, $4, clock_timestamp())
         ON CONFLICT (key) DO NOTHING),
       bucket AS (
         SELECT key, least($4::float8, tokens + extract(epoch FROM clock_timestamp() - refilled_at) * $3) AS available
           FROM rate_limit_buckets WHERE key = $1 FOR UPDATE),
       taken AS (
         UPDATE rate_limit_buckets r
            SET tokens = b.available - least(floor(b.available), $2), refilled_at = clock_timestamp()
           FROM bucket b WHERE r.key = b.key
         RETURNING least(floor(b.available), $2)::int AS granted)
       SELECT granted FROM taken`,
      [key, want, perSecond, capacity],
    );
    return rows[0]?.granted ?? 0;
  }

  async giveBack(key: string, tokens: number, capacity: number): Promise<void> {
    await this.dataSource.query(`UPDATE rate_limit_buckets SET tokens = least($3::float8, tokens + $2) WHERE key = $1`, [key, tokens, capacity]);
  }

  /** True when the last message to this recipient is older than `intervalMs` (and marks now as the last). */
  async claimRecipient(channel: string, recipient: string, intervalMs: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO recipient_last_sent (channel, recipient, sent_at) VALUES ($1, $2, clock_timestamp())
       ON CONFLICT (channel, recipient) DO UPDATE SET sent_at = excluded.sent_at
        WHERE recipient_last_sent.sent_at < clock_timestamp() - $3 * interval '1 millisecond'
       RETURNING 1`,
      [channel, recipient, intervalMs],
    );
    return rows.length === 1;
  }
}
