import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { reachableChannels } from '../../notifications/notification-planner.service';
import type { NotificationRecord } from '../../notifications/notification-records';
import type { NotificationStatus } from '../../vocabulary/notification-types';
import { NotificationRepository } from '../../notifications/notification.repository';
import type { OpsPrincipal } from '../auth/ops-role';
import { refreshContext } from './context-refresh';
import { ReplayJobRepository } from './replay-job.repository';
import { ReplayRepository } from './replay.repository';

export type ReplayOutcome = { outcome: 'replayed'; previousStatus: NotificationStatus } | { outcome: 'skipped'; reason: string };

const REPLAYABLE: readonly NotificationStatus[] = ['failed', 'cancelled'];
const REPLAYABLE_WITH_FORCE: readonly NotificationStatus[] = [...REPLAYABLE, 'sent', 'delivered', 'read'];

/**
 * Re-queues one notification as a new attempt, keeping its history. The row is locked and its status
 * checked in the same transaction, so two operators (or the same request posted twice) cannot queue it twice.
 * A notification held by a running bulk replay is that replay's to send: a single replay leaves it alone.
 */
@Injectable()
export class ReplayService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly replays: ReplayRepository,
    private readonly jobs: ReplayJobRepository,
    private readonly notifications: NotificationRepository,
  ) {}

  async replayOne(id: string, who: OpsPrincipal, options: { force?: boolean } = {}): Promise<ReplayOutcome> {
    return this.dataSource.transaction(async (m): Promise<ReplayOutcome> => {
      const n = await this.replays.lock(m, id);
      if (!n) throw new NotFoundException(`notification ${id} not found`);
      const holder = await this.jobs.holder(m, id);
      if (holder) return { outcome: 'skipped', reason: `part of replay ${holder}, which is still running` };
      return this.requeueLocked(m, n, who, options);
    });
  }

  /**
   * Replays one notification inside the caller's transaction (a bulk replay, which holds the claim on it
   * and marks its item done in the same transaction).
   */
  async requeue(m: EntityManager, id: string, who: OpsPrincipal, options: { force?: boolean; replayId?: string }): Promise<ReplayOutcome> {
    const n = await this.replays.lock(m, id);
    if (!n) return { outcome: 'skipped', reason: 'not found' };
    return this.requeueLocked(m, n, who, options);
  }

  private async requeueLocked(
    m: EntityManager,
    n: NotificationRecord,
    who: OpsPrincipal,
    options: { force?: boolean; replayId?: string },
  ): Promise<ReplayOutcome> {
    const allowed = options.force ? REPLAYABLE_WITH_FORCE : REPLAYABLE;
    if (n.status === 'superseded') return { outcome: 'skipped', reason: 'superseded by newer news' };
    if (!allowed.includes(n.status)) {
      const hint = REPLAYABLE_WITH_FORCE.includes(n.status) ? ' (use force to send it again)' : '';
      return { outcome: 'skipped', reason: `status is ${n.status}${hint}` };
    }
    if (await this.replays.newerNewsSent(m, n)) return { outcome: 'skipped', reason: 'newer news about this flight was already sent' };
    const passenger = await this.replays.passenger(m, n);
    if (!passenger) return { outcome: 'skipped', reason: 'the passenger is no longer on the booking (or was erased)' };
    const recipient = n.channel === 'webhook' ? n.recipient : reachableChannels(passenger).find((c) => c.channel === n.channel)?.recipient;
    if (!recipient) return { outcome: 'skipped', reason: `no consent or contact on ${n.channel} any more` };
    const flight = n.context.flight;
    const context = refreshContext(n.context, {
      passenger,
      flight: flight && (await this.replays.flightSnapshot(m, flight)),
      segments: n.context.segments && (await this.replays.segments(m, n.bookingReference)),
      checkin: n.context.checkin && flight && (await this.replays.checkin(m, n, flight)),
    });
    await this.notifications.requeue(m, n.id, recipient, context, {
      by: who.actor,
      previousStatus: n.status,
      force: options.force ?? false,
      ...(options.replayId ? { replayId: options.replayId } : {}),
    });
    return { outcome: 'replayed', previousStatus: n.status };
  }
}
