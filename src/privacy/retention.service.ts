import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SandboxOutbox } from './sandbox-outbox.service';
import { PRIVACY_CONFIG, PrivacyConfig, InjectConfig } from '../config/config-slices';
import { NotificationRepository } from '../notifications/notification.repository';
import type { DeliveryChannel } from '../vocabulary/notification-types';
import { AuditService } from '../ops/audit/audit.service';
import type { OpsPrincipal } from '../ops/auth/ops-role';
import { Clock } from '../scheduling/clock';
import { JobOutcome, ScheduledJobRunner } from '../scheduling/job-runner.service';
import { tickOf } from '../scheduling/ticks';
import { ErasureCounts, RetentionRepository } from './retention.repository';

const BATCH = 200;

type Files = { id: string; channel: DeliveryChannel }[];
const DAY_MS = 86_400_000;

export interface ErasureResult extends ErasureCounts {
  bookingReference: string;
  /** Pending notifications cancelled before the scrub. */
  cancelled: number;
  /** The booking had been purged before (retention or an earlier request); erasing again is harmless. */
  alreadyPurged: boolean;
  /** Sandbox outbox files of its notifications removed. */
  outboxFiles: number;
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
    private readonly outbox: SandboxOutbox,
    @InjectConfig(PRIVACY_CONFIG) private readonly config: PrivacyConfig,
  ) {}

  /** One tick (the current hour by the clock): purge what expired; returns the run with bookings purged. */
  async run(): Promise<JobOutcome> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.config.RETENTION_DAYS * DAY_MS);
    let last = 0;
    let files: Files = [];
    const outcome = await this.runner.runTick(RetentionService.JOB, tickOf(now, 'hour'), async (m) => {
      const batch = await this.purgeBatch(m, cutoff);
      last = batch.purged;
      await this.retention.rescrubRecentlyPurged(m);
      await this.retention.purgeOldBookkeeping(m, cutoff);
      // Includes this batch's: a send in flight during an erasure may have written its file since.
      files = await this.retention.recentlyPurgedNotifications(m);
      return last;
    });
    if (!outcome.ran) return outcome;
    await this.removeFiles(files);
    // A backlog (the first run, a long outage) continues in further transactions of the same tick.
    let purged = outcome.affected;
    while (last === BATCH) {
      let batchFiles: Files = [];
      const more = await this.runner.runLocked(RetentionService.JOB, async (m) => {
        const batch = await this.purgeBatch(m, cutoff);
        batchFiles = batch.files;
        return batch.purged;
      });
      if (more === undefined) break;
      await this.removeFiles(batchFiles);
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
      const counts = await this.retention.erase(m, reference);
      // Files are not transactional: removed before the commit, so the audit entry below can count them.
      // Should the commit fail, the files are gone a little early and the operator erases again.
      const outboxFiles = await this.outbox.remove(await this.retention.notificationsOf(m, [reference]));
      const erased: ErasureResult = { bookingReference: reference, cancelled, alreadyPurged: booking.purgedAt !== null, ...counts, outboxFiles };
      const detail = { ...counts, cancelled, alreadyPurged: erased.alreadyPurged, outboxFiles };
      await this.audit.record(who, 'booking.erase', { target: reference, affected: counts.passengers + counts.notifications, detail }, m);
      return erased;
    });
    if (result) this.logger.log(`booking ${reference} erased on request by ${who.actor}: ${result.passengers} passengers, ${result.notifications} notifications`);
    return result;
  }

  /** The same erasure as on request, for each expired booking of one batch; their files are the caller's. */
  private async purgeBatch(m: EntityManager, cutoff: Date): Promise<{ purged: number; files: Files }> {
    const expired = await this.retention.lockExpired(m, cutoff, BATCH);
    for (const reference of expired) {
      await this.notifications.cancelPending(m, reference, 'retention period over');
      await this.retention.erase(m, reference);
    }
    return { purged: expired.length, files: expired.length > 0 ? await this.retention.notificationsOf(m, expired) : [] };
  }

  /** A file that cannot be removed now is tried again by the next hourly run (bookings purged in the last day). */
  private async removeFiles(files: Files): Promise<void> {
    await this.outbox.remove(files).catch((error: Error) => this.logger.warn(`retention: outbox files not removed yet: ${error.message}`));
  }
}
