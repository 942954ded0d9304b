import { ConflictException, Injectable, Logger, NotFoundException, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OPS_CONFIG, OpsConfig, InjectConfig } from '../../config/config-slices';
import { NotificationQueryRepository, NotificationSelection } from '../../notifications/notification-query.repository';
import { AuditService } from '../audit/audit.service';
import type { OpsPrincipal } from '../auth/ops-role';
import { requireConfirmation } from '../bulk-confirmation';
import { ReplayJobRepository, ReplayJobRow, ReplayJobStatus } from './replay-job.repository';
import { ReplayService } from './replay.service';

const BATCH = 100;
const STALE_AFTER_S = 30;
const RESUME_EVERY_MS = 10_000;

export interface ReplayJob {
  id: string;
  status: ReplayJobStatus;
  total: number;
  replayed: number;
  skipped: number;
  filter: NotificationSelection;
  force: boolean;
  requestedBy: string;
  createdAt: Date;
  finishedAt: Date | null;
  /** Who cancelled it (an operator's fingerprint), when it was cancelled. */
  cancelledBy: string | null;
}

/**
 * Replays by filter in the background, with progress kept in PostgreSQL. The set is fixed and claimed when
 * the job starts (nothing created later joins it): a notification another running replay holds is skipped,
 * so overlapping replays — forced or not — never send one notification twice. Each notification is
 * replayed and marked done in one transaction under the job's row lock, so a cancellation stops it exactly,
 * and a job whose replica died is resumed by another replica without repeating an item.
 */
@Injectable()
export class ReplayJobService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReplayJobService.name);
  private timer?: NodeJS.Timeout;
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly replay: ReplayService,
    private readonly jobs: ReplayJobRepository,
    private readonly audit: AuditService,
    private readonly notifications: NotificationQueryRepository,
    @InjectConfig(OPS_CONFIG) private readonly config: OpsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.resumeStale().catch((e: Error) => this.logger.warn(`resume failed: ${e.message}`)), RESUME_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.running.values()]);
  }

  /** How many notifications a selection matches, and whether replaying them needs `confirm`. */
  async count(selection: NotificationSelection): Promise<{ matched: number; needsConfirmation: boolean }> {
    const matched = await this.notifications.count(selection);
    return { matched, needsConfirmation: matched > this.config.BULK_CONFIRM_ABOVE };
  }

  /** Starts a replay of the selection; refused (400, nothing started) when it is too big and not confirmed. */
  async start(selection: NotificationSelection, options: { force: boolean; confirm?: number }, who: OpsPrincipal): Promise<ReplayJob> {
    const stored = { ...selection, createdFrom: selection.createdFrom?.toISOString(), createdTo: selection.createdTo?.toISOString() };
    const above = this.config.BULK_CONFIRM_ABOVE;
    const row = await this.dataSource.transaction(async (m) => {
      const created = await this.jobs.create(m, stored, options.force, who.actor);
      const { matched, claimed } = await this.jobs.claim(m, created.id, selection, { above, confirm: options.confirm });
      requireConfirmation(matched, options.confirm, above, 'notification');
      const heldElsewhere = matched - claimed;
      const started = await this.jobs.setTotals(m, created.id, matched, heldElsewhere);
      const detail = { filter: stored, force: options.force, heldByOtherReplays: heldElsewhere, ...(options.confirm !== undefined ? { confirmed: options.confirm } : {}) };
      await this.audit.record(who, 'replay.bulk', { target: created.id, affected: matched, detail }, m);
      return started;
    });
    this.launch(row, who);
    return toJob(row);
  }

  async get(id: string): Promise<ReplayJob> {
    const row = await this.jobs.find(id);
    if (!row) throw new NotFoundException(`replay ${id} not found`);
    return toJob(row);
  }

  /**
   * Cancels a running replay: once this answers, none of its notifications is queued any more (those
   * queued before stay queued). Cancelling a cancelled replay answers the same; a finished one is a 409.
   */
  async cancel(id: string, who: OpsPrincipal): Promise<ReplayJob> {
    const cancelled = await this.dataSource.transaction(async (m) => {
      const row = await this.jobs.finish(m, id, 'cancelled', who.actor);
      if (row) {
        const left = row.total - row.replayed - row.skipped;
        await this.audit.record(who, 'replay.cancel', { target: id, affected: left, detail: { replayed: row.replayed, skipped: row.skipped, total: row.total } }, m);
      }
      return row;
    });
    if (cancelled) {
      this.logger.log(`replay ${id} cancelled by ${who.actor} after ${cancelled.replayed} replayed, ${cancelled.skipped} skipped`);
      return toJob(cancelled);
    }
    const job = await this.get(id);
    if (job.status === 'cancelled') return job;
    throw new ConflictException(`replay ${id} is ${job.status} already; there is nothing left to cancel`);
  }

  /** Resolves when the job (started in this process) has stopped; for tests. */
  async settled(id: string): Promise<void> {
    await this.running.get(id);
  }

  private launch(row: ReplayJobRow, who: OpsPrincipal): void {
    const work = this.run(row, who)
      .catch((e: Error) => this.logger.error(`replay ${row.id} stopped: ${e.message}; another replica will resume it`))
      .finally(() => this.running.delete(row.id));
    this.running.set(row.id, work);
  }

  private async run(row: ReplayJobRow, who: OpsPrincipal): Promise<void> {
    while (!this.stopping) {
      const batch = await this.jobs.toDo(row.id, BATCH);
      if (batch.length === 0) {
        const done = await this.dataSource.transaction((m) => this.jobs.finish(m, row.id, 'done'));
        if (done) this.logger.log(`replay ${row.id} done: ${done.replayed} replayed, ${done.skipped} skipped`);
        return;
      }
      for (const notificationId of batch) {
        if (this.stopping) return; // still running in the table: resumed after a restart or by another replica
        if ((await this.replayItem(row, notificationId, who)) === 'stopped') {
          this.logger.log(`replay ${row.id} stopped: it was cancelled`);
          return;
        }
      }
    }
  }

  /** One notification of the job, in one transaction with its progress; 'stopped' once the job was cancelled. */
  private replayItem(row: ReplayJobRow, notificationId: string, who: OpsPrincipal): Promise<'replayed' | 'skipped' | 'stopped' | 'done'> {
    return this.dataSource.transaction(async (m) => {
      const state = await this.jobs.lockItem(m, row.id, notificationId);
      if (state !== 'to-do') return state;
      const outcome = await this.replay.requeue(m, notificationId, who, { force: row.force, replayId: row.id });
      await this.jobs.itemDone(m, row.id, notificationId, outcome.outcome === 'replayed');
      return outcome.outcome;
    });
  }

  /** Takes over jobs whose replica stopped sending heartbeats. */
  private async resumeStale(): Promise<void> {
    for (const row of await this.jobs.takeOverStale(STALE_AFTER_S)) {
      if (this.running.has(row.id)) continue;
      const [role] = row.requested_by.split(':');
      this.launch(row, { role: role === 'operator' ? 'operator' : 'viewer', actor: row.requested_by });
    }
  }
}

function fromStored(filter: Record<string, string>): NotificationSelection {
  const { createdFrom, createdTo, ...rest } = filter;
  return {
    ...(rest as NotificationSelection),
    ...(createdFrom ? { createdFrom: new Date(createdFrom) } : {}),
    ...(createdTo ? { createdTo: new Date(createdTo) } : {}),
  };
}

function toJob(r: ReplayJobRow): ReplayJob {
  return {
    id: r.id,
    status: r.status,
    total: r.total,
    replayed: r.replayed,
    skipped: r.skipped,
    filter: fromStored(r.filter),
    force: r.force,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    cancelledBy: r.cancelled_by,
  };
}
