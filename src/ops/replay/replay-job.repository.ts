import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NotificationSelection, selectionWhere } from '../../notifications/notification-query.repository';

export type ReplayJobStatus = 'running' | 'done' | 'cancelled';

export interface ReplayJobRow {
  id: string;
  status: ReplayJobStatus;
  total: number;
  replayed: number;
  skipped: number;
  filter: Record<string, string>;
  force: boolean;
  requested_by: string;
  created_at: Date;
  finished_at: Date | null;
  cancelled_by: string | null;
}

/**
 * The replays table (one row per bulk replay, with its progress) and replay_items: the notifications a
 * running replay holds. replay_items is keyed by the notification, so a notification belongs to at most
 * one running replay; the claims are deleted when their replay ends.
 */
@Injectable()
export class ReplayJobRepository {
  // UPDATE … RETURNING runs inside a CTE: TypeORM answers a bare UPDATE with [rows, count], not the rows.
  constructor(private readonly dataSource: DataSource) {}

  async create(m: EntityManager, filter: object, force: boolean, requestedBy: string): Promise<ReplayJobRow> {
    const [row]: ReplayJobRow[] = await m.query(
      `INSERT INTO replays (filter, force, total, requested_by) VALUES ($1, $2, 0, $3) RETURNING *`,
      [JSON.stringify(filter), force, requestedBy],
    );
    return row;
  }

  /**
   * Counts the notifications the selection matches and, if the count may go ahead (at most `above`
   * without confirmation, or exactly `confirm`), claims those no other running replay holds — in ONE
   * statement, so the set claimed is the set counted. Returns both counts; `claimed` is 0 when refused.
   */
  async claim(
    m: EntityManager,
    replayId: string,
    selection: NotificationSelection,
    gate: { above: number; confirm?: number },
  ): Promise<{ matched: number; claimed: number }> {
    // $1 the replay, $2 the threshold, $3 the echoed count; the selection's parameters follow.
    const { where, params } = selectionWhere(selection, [replayId, gate.above, gate.confirm ?? null]);
    const [row]: { matched: number; claimed: number }[] = await m.query(
      `WITH matched AS (SELECT id FROM notifications ${where.length ? `WHERE ${where.join(' AND ')}` : ''}),
            counted AS (SELECT count(*)::int AS n FROM matched),
            claimed AS (
              INSERT INTO replay_items (notification_id, replay_id)
              SELECT id, $1::uuid FROM matched, counted
               WHERE ($3::int IS NULL AND counted.n <= $2::int) OR counted.n = $3::int
               ORDER BY id -- every replay claims in the same order: two claiming at once wait, never deadlock
              ON CONFLICT (notification_id) DO NOTHING
              RETURNING 1)
       SELECT (SELECT n FROM counted) AS matched, (SELECT count(*)::int FROM claimed) AS claimed`,
      params,
    );
    return row;
  }

  async setTotals(m: EntityManager, id: string, total: number, skipped: number): Promise<ReplayJobRow> {
    const [row]: ReplayJobRow[] = await m.query(
      `WITH updated AS (UPDATE replays SET total = $2, skipped = $3 WHERE id = $1 RETURNING *) SELECT * FROM updated`,
      [id, total, skipped],
    );
    return row;
  }

  async find(id: string): Promise<ReplayJobRow | undefined> {
    const rows: ReplayJobRow[] = await this.dataSource.query(`SELECT * FROM replays WHERE id = $1`, [id]);
    return rows[0];
  }

  /** The next notifications the replay still has to do, in a stable order. */
  async toDo(replayId: string, limit: number): Promise<string[]> {
    const rows: { notification_id: string }[] = await this.dataSource.query(
      `SELECT notification_id FROM replay_items WHERE replay_id = $1 AND NOT done ORDER BY notification_id LIMIT $2`,
      [replayId, limit],
    );
    return rows.map((r) => r.notification_id);
  }

  /**
   * Locks the replay's row for one item's transaction and tells whether that item is still to be done.
   * A cancellation waits for this lock, so once it answers no further item of the replay is queued.
   */
  async lockItem(m: EntityManager, replayId: string, notificationId: string): Promise<'to-do' | 'done' | 'stopped'> {
    const job: { status: ReplayJobStatus }[] = await m.query(`SELECT status FROM replays WHERE id = $1 FOR UPDATE`, [replayId]);
    if (job[0]?.status !== 'running') return 'stopped';
    const item: { done: boolean }[] = await m.query(`SELECT done FROM replay_items WHERE notification_id = $1 AND replay_id = $2`, [
      notificationId,
      replayId,
    ]);
    return item[0] && !item[0].done ? 'to-do' : 'done';
  }

  async itemDone(m: EntityManager, replayId: string, notificationId: string, replayed: boolean): Promise<void> {
    await m.query(`UPDATE replay_items SET done = true WHERE notification_id = $1 AND replay_id = $2`, [notificationId, replayId]);
    await m.query(
      `UPDATE replays SET replayed = replayed + $2, skipped = skipped + $3, heartbeat_at = now() WHERE id = $1`,
      [replayId, replayed ? 1 : 0, replayed ? 0 : 1],
    );
  }

  /** The running replay (other than `except`) that holds this notification, if any. */
  async holder(m: EntityManager, notificationId: string, except?: string): Promise<string | undefined> {
    const rows: { replay_id: string }[] = await m.query(
      `SELECT replay_id FROM replay_items WHERE notification_id = $1 AND ($2::uuid IS NULL OR replay_id <> $2)`,
      [notificationId, except ?? null],
    );
    return rows[0]?.replay_id;
  }

  /** Ends a running replay (done or cancelled) and lets go of its claims; undefined if it was not running. */
  async finish(m: EntityManager, id: string, status: 'done' | 'cancelled', by?: string): Promise<ReplayJobRow | undefined> {
    const rows: ReplayJobRow[] = await m.query(
      `WITH ended AS (
         UPDATE replays SET status = $2, finished_at = now(), cancelled_by = $3 WHERE id = $1 AND status = 'running' RETURNING *)
       SELECT * FROM ended`,
      [id, status, by ?? null],
    );
    if (rows[0]) await m.query(`DELETE FROM replay_items WHERE replay_id = $1`, [id]);
    return rows[0];
  }

  /** Takes over running replays whose replica stopped sending heartbeats. */
  async takeOverStale(staleAfterS: number): Promise<ReplayJobRow[]> {
    return this.dataSource.query(
      `WITH stale AS (
         UPDATE replays SET heartbeat_at = now() WHERE status = 'running' AND heartbeat_at < now() - $1 * interval '1 second' RETURNING *)
       SELECT * FROM stale`,
      [staleAfterS],
    );
  }
}
