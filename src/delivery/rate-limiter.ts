import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * A bucket holds this share of a second's tokens. Providers count per second; a bucket of a whole second
 * let a second that followed a pause carry twice the limit (1,600 in one second at a 1,000/s limit in the
 * bench), which a provider answers with rate-limit errors. With a fifth, no second carries more than 1.2×.
 */
export const BURST_SECONDS = 0.2;

/** Tokens a bucket can hold: never less than one, or a slow channel could never send. */
export function bucketCapacity(perSecond: number): number {
  return Math.max(1, perSecond * BURST_SECONDS);
}

/**
 * A token bucket per key in PostgreSQL, shared by every replica: a provider's limit holds for the whole
 * deployment, not per process. Tokens are taken in batches, so the row is touched a few times a second.
 */
@Injectable()
export class RateLimiter {
  constructor(private readonly dataSource: DataSource) {}

  /** Takes up to `want` tokens from the bucket refilled at `perSecond` (capacity: bucketCapacity). */
  async take(key: string, want: number, perSecond: number): Promise<number> {
    if (want <= 0) return 0;
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
      [key, want, perSecond, bucketCapacity(perSecond)],
    );
    // A bucket seeded by this very statement is not visible to it yet: nothing granted this round.
    return rows[0]?.granted ?? 0;
  }

  /** Gives back tokens that were taken but not used (fewer notifications due than tokens granted). */
  async giveBack(key: string, tokens: number, perSecond: number): Promise<void> {
    if (tokens <= 0) return;
    await this.dataSource.query(`UPDATE rate_limit_buckets SET tokens = least($3::float8, tokens + $2) WHERE key = $1`, [
      key,
      tokens,
      bucketCapacity(perSecond),
    ]);
  }

  /** Claims the right to message one recipient now, if the last message to them is older than `intervalMs`. */
  async claimRecipient(channel: string, recipient: string, intervalMs: number): Promise<boolean> {
    if (intervalMs <= 0) return true;
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
