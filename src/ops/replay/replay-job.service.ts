import { Injectable, Logger, NotFoundException, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotificationQueryRepository, NotificationSelection, selectionWhere } from '../../notifications/notification-query.repository';
import { AuditService } from '../audit/audit.service';
import type { OpsPrincipal } from '../auth/ops-role';
import { ReplayService } from './replay.service';

const BATCH = 100;
const STALE_AFTER_S = 30;
const RESUME_EVERY_MS = 10_000;

export interface ReplayJob {
  id: string;
  status: 'running' | 'done';
  total: number;
  replayed: number;
  skipped: number;
  filter: NotificationSelection;
  force: boolean;
  requestedBy: string;
  createdAt: Date;
  finishedAt: Date | null;
}

interface JobRow {
  id: string;
  status: 'running' | 'done';
  total: number;
  replayed: number;
  skipped: number;
  filter: Record<string, string>;
  force: boolean;
  requested_by: string;
  created_at: Date;
  finished_at: Date | null;
  cursor_id: string | null;
}

/**
 * Replays by filter in the background, with progress kept in PostgreSQL. The selection is fixed when the
 * job starts (nothing created later joins it); each notification goes through ReplayService, so overlapping
 * jobs and single replays never queue one notification twice. A job whose replica died is resumed from
 * its cursor by another replica.
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
    private readonly audit: AuditService,
    private readonly notifications: NotificationQueryRepository,
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

  count(selection: NotificationSelection): Promise<number> {
    return this.notifications.count(selection);
  }

  async start(selection: NotificationSelection, force: boolean, who: OpsPrincipal): Promise<ReplayJob> {
    const total = await this.count(selection);
    const stored = { ...selection, createdFrom: selection.createdFrom?.toISOString(), createdTo: selection.createdTo?.toISOString() };
    const [row]: JobRow[] = await this.dataSource.query(
      `INSERT INTO replays (filter, force, total, requested_by) VALUES ($1, $2, $3, $4) RETURNING *`,
      [JSON.stringify(stored), force, total, who.actor],
    );
    await this.audit.record(who, 'replay.bulk', { target: row.id, affected: total, detail: { filter: stored, force } });
    this.launch(row, who);
    return toJob(row);
  }

  async get(id: string): Promise<ReplayJob> {
    const rows: JobRow[] = await this.dataSource.query(`SELECT * FROM replays WHERE id = $1`, [id]);
    if (!rows[0]) throw new NotFoundException(`replay ${id} not found`);
    return toJob(rows[0]);
  }

  /** Resolves when the job (started in this process) has finished; for tests and the CLI's --wait. */
  async settled(id: string): Promise<void> {
    await this.running.get(id);
  }

  private launch(row: JobRow, who: OpsPrincipal): void {
    const work = this.run(row, who)
      .catch((e: Error) => this.logger.error(`replay ${row.id} stopped: ${e.message}; another replica will resume it`))
      .finally(() => this.running.delete(row.id));
    this.running.set(row.id, work);
  }

  private async run(row: JobRow, who: OpsPrincipal): Promise<void> {
    const selection = fromStored(row.filter);
    // The cursor is a notification id; its created_at is read in SQL, keeping PostgreSQL's microseconds.
    let cursor = row.cursor_id ?? undefined;
    let { replayed, skipped } = row;
    while (!this.stopping) {
      const { where, params } = selectionWhere(selection);
      params.push(row.id);
      where.push(`created_at <= (SELECT created_at FROM replays WHERE id = $${params.length})`);
      if (cursor) {
        params.push(cursor);
        where.push(`(created_at, id) > ((SELECT created_at FROM notifications WHERE id = $${params.length}), $${params.length}::uuid)`);
      }
      params.push(BATCH);
      const batch: { id: string }[] = await this.dataSource.query(
        `SELECT id FROM notifications WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT $${params.length}`,
        params,
      );
      for (const n of batch) {
        const outcome = await this.replay.replayOne(n.id, who, { force: row.force, replayId: row.id });
        if (outcome.outcome === 'replayed') replayed++;
        else skipped++;
      }
      const last = batch[batch.length - 1];
      if (last) cursor = last.id;
      const done = batch.length < BATCH;
      await this.dataSource.query(
        `UPDATE replays SET replayed = $2, skipped = $3, cursor_id = $4, heartbeat_at = now(),
                status = CASE WHEN $5 THEN 'done' ELSE status END, finished_at = CASE WHEN $5 THEN now() END
          WHERE id = $1`,
        [row.id, replayed, skipped, cursor ?? null, done],
      );
      if (done) {
        this.logger.log(`replay ${row.id} done: ${replayed} replayed, ${skipped} skipped`);
        return;
      }
    }
  }

  /** Takes over jobs whose replica stopped sending heartbeats. */
  private async resumeStale(): Promise<void> {
    const rows: JobRow[] = await this.dataSource.query(
      `WITH stale AS (
         UPDATE replays SET heartbeat_at = now()
          WHERE status = 'running' AND heartbeat_at < now() - $1 * interval '1 second'
         RETURNING *)
       SELECT * FROM stale`,
      [STALE_AFTER_S],
    );
    for (const row of rows) {
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

function toJob(r: JobRow): ReplayJob {
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
  };
}
