import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Counts failed logins (a missing or unknown bearer token) per client address. After `maxFailures` in
 * `windowSeconds` (a fixed window starting at the first failure) the address is refused — even with a valid
 * token, or a guesser would learn which guess was right — until the window ends.
 *
 * In memory, per replica (docs/decisions/0004): with N replicas a guesser gets at most N × maxFailures tries
 * per window, and counting in PostgreSQL would let anyone without a token make the database write.
 */
export class FailedLoginLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(private readonly maxFailures: number, windowSeconds: number) {
    this.limiter = new RateLimiterMemory({ keyPrefix: 'ops-auth', points: maxFailures, duration: windowSeconds });
  }

  /** Seconds until `client` may try again, or 0 when it is not blocked. */
  async retryAfter(client: string): Promise<number> {
    const state = await this.limiter.get(client);
    return state && state.consumedPoints >= this.maxFailures ? seconds(state) : 0;
  }

  /** Records one failure of `client`. */
  async fail(client: string): Promise<void> {
    await this.limiter.penalty(client);
  }
}

function seconds(state: RateLimiterRes): number {
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}
