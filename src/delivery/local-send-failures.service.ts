import { Injectable, Logger } from '@nestjs/common';
import { maskPersonalData } from '../common/mask';
import type { DeliveryChannel } from '../vocabulary/notification-types';

/** Sends in a row that failed on our side before readiness reports the channel (one failure may be a fluke). */
export const LOCAL_FAILURES_BEFORE_UNREADY = 3;
/** While a channel keeps failing, one warning per this interval carries the count of those not logged. */
const WARN_EVERY_MS = 10_000;

export interface FailingChannel {
  channel: DeliveryChannel;
  adapter: string;
  /** Sends in a row that failed on our side. */
  failures: number;
  /** The cause of the last one, e.g. `ENOSPC: no space left on device, open '…'`. */
  lastError: string;
  since: string;
}

interface Streak {
  adapter: string;
  failures: number;
  lastError: string;
  since: Date;
  warnedAt: number;
  notWarned: number;
}

/**
 * Sends that failed on our side — the disk is full, the outbox folder cannot be written — as opposed to a
 * provider's refusal. Such a failure is retried like any other, but nobody outside can see it: it is logged
 * as a warning with its cause, and readiness names the channel while its last sends all failed this way,
 * until one succeeds. Per process: each replica reports its own disk.
 */
@Injectable()
export class LocalSendFailures {
  private readonly logger = new Logger('Delivery');
  private readonly streaks = new Map<DeliveryChannel, Streak>();

  failed(channel: DeliveryChannel, adapter: string, cause: string, now = new Date()): void {
    const lastError = maskPersonalData(cause);
    const streak = this.streaks.get(channel) ?? { adapter, failures: 0, lastError, since: now, warnedAt: 0, notWarned: 0 };
    streak.adapter = adapter;
    streak.failures += 1;
    streak.lastError = lastError;
    this.streaks.set(channel, streak);
    if (now.getTime() - streak.warnedAt < WARN_EVERY_MS) {
      streak.notWarned += 1;
      return;
    }
    const more = streak.notWarned > 0 ? ` (${streak.notWarned} more since the last warning)` : '';
    this.logger.warn(`${channel} send failed on our side (${adapter}), will retry: ${lastError}${more}`);
    streak.warnedAt = now.getTime();
    streak.notWarned = 0;
  }

  succeeded(channel: DeliveryChannel): void {
    const streak = this.streaks.get(channel);
    if (!streak) return;
    this.streaks.delete(channel);
    this.logger.log(`${channel} sends work again (${streak.adapter}) after ${streak.failures} failed on our side`);
  }

  /** Channels whose last LOCAL_FAILURES_BEFORE_UNREADY or more sends all failed on our side. */
  failing(): FailingChannel[] {
    return [...this.streaks.entries()]
      .filter(([, s]) => s.failures >= LOCAL_FAILURES_BEFORE_UNREADY)
      .map(([channel, s]) => ({ channel, adapter: s.adapter, failures: s.failures, lastError: s.lastError, since: s.since.toISOString() }));
  }
}
