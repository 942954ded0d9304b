import { Injectable } from '@nestjs/common';
import { RateLimitRepository } from './rate-limit.repository';

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
  constructor(private readonly buckets: RateLimitRepository) {}

  /** Takes up to `want` tokens from the bucket refilled at `perSecond` (capacity: bucketCapacity). */
  async take(key: string, want: number, perSecond: number): Promise<number> {
    if (want <= 0) return 0;
    return this.buckets.take(key, want, perSecond, bucketCapacity(perSecond));
  }

  /** Gives back tokens that were taken but not used (fewer notifications due than tokens granted). */
  async giveBack(key: string, tokens: number, perSecond: number): Promise<void> {
    if (tokens <= 0) return;
    await this.buckets.giveBack(key, tokens, bucketCapacity(perSecond));
  }

  /** Claims the right to message one recipient now, if the last message to them is older than `intervalMs`. */
  async claimRecipient(channel: string, recipient: string, intervalMs: number): Promise<boolean> {
    if (intervalMs <= 0) return true;
    return this.buckets.claimRecipient(channel, recipient, intervalMs);
  }
}
