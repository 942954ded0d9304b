import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { NotificationRepository } from '../notifications/notification.repository';
import { AuditService } from '../ops/audit/audit.service';
import type { OpsPrincipal } from '../ops/auth/ops-role';
import { Clock } from './clock';
import { JobOutcome, ScheduledJobRunner } from './job-runner';
import { ErasureCounts, RetentionRepository } from './retention.repository';
import { tickOf } from './ticks';

const BATCH = 200;
const DAY_MS = 86_400_000;

export interface ErasureResult extends ErasureCounts {
  bookingReference: string;
  /** Pending notifications cancelled before the scrub. */
  cancelled: number;
  /** The booking had been purged before (retention or an earlier request); erasing again is harmless. */
  alreadyPurged: boolean;
}

/**
 * Retention and erasure of personal data. Hourly, bookings whose last flight landed more than
 * RETENTION_DAYS ago are purged (one replica per tick, in batches); an operator can erase one booking at
 * once on the passenger's request. Aggregates survive: the booking row and each notification's type,
 * channel, status and times stay, so counts by status, channel and type still add up.
 */
@Injectable()
export class RetentionService {
  static readonly JOB = 'retention-purge';
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly runner: ScheduledJobRunner,
    private readonly retention: RetentionRepository,
    private readonly notifications: NotificationRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One tick (the current hour by the clock): purge what expired; returns the run with bookings purged. */
  async run(): Promise<JobOutcome> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.config.RETENTION_DAYS * DAY_MS);
    let last = 0;
    const outcome = await this.runner.runTick(RetentionService.JOB, tickOf(now, 'hour'), async (m) => {
      last = await this.purgeBatch(m, cutoff);
      await this.retention.rescrubRecentlyPurged(m);
      await this.retention.purgeOldBookkeeping(m, cutoff);
      return last;
    });
    if (!outcome.ran) return outcome;
    // A backlog (the first run, a long outage) continues in further transactions of the same tick.
    let purged = outcome.affected;
    while (last === BATCH) {
      const more = await this.runner.runLocked(RetentionService.JOB, (m) => this.purgeBatch(m, cutoff));
      if (more === undefined) break;
      purged += more;
      last = more;
    }
    if (purged > 0) this.logger.log(`retention: purged the personal data of ${purged} bookings whose last flight landed before ${cutoff.toISOString()}`);
    return { ...outcome, affected: purged };
  }

  /** Erases one booking's personal data now (operator, on the passenger's request), with an audit entry. */
  async eraseBooking(reference: string, who: OpsPrincipal): Promise<ErasureResult | undefined> {
    const result = await this.dataSource.transaction(async (m) => {
      const booking = await this.retention.lockBooking(m, reference);
      if (!booking) return undefined;
      const cancelled = await this.notifications.cancelPending(m, reference, 'personal data erased');
      const counts = await this.retention.erase(m, reference, { contacts: true });
      const erased: ErasureResult = { bookingReference: reference, cancelled, alreadyPurged: booking.purgedAt !== null, ...counts };
      const detail = { ...counts, cancelled, alreadyPurged: erased.alreadyPurged };
      await this.audit.record(who, 'booking.erase', { target: reference, affected: counts.passengers + counts.notifications, detail }, m);
      return erased;
    });
    if (result) this.logger.log(`booking ${reference} erased on request by ${who.actor}: ${result.passengers} passengers, ${result.notifications} notifications`);
    return result;
  }

  private async purgeBatch(m: EntityManager, cutoff: Date): Promise<number> {
    const expired = await this.retention.lockExpired(m, cutoff, BATCH);
    for (const reference of expired) {
      await this.notifications.cancelPending(m, reference, 'retention period over');
      await this.retention.erase(m, reference, { contacts: false });
    }
    return expired.length;
  }
}
