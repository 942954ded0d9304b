import { Injectable, Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { jsonbArray } from '../database/jsonb-parameter';
import { SESSION_OPTIONS } from '../database/session-options';
import { DATABASE_CONFIG, DatabaseConfig, DISPATCH_CONFIG, DispatchConfig, InjectConfig } from '../config/config-slices';
import type { RenderedContent } from '../rendering/rendered-content';
import { NotificationRecord, NotificationRow, RECORD_COLUMNS, toNotification } from './notification-records';
import { NOTIFICATIONS_DUE_CHANNEL } from './notification-wakeup.repository';
import type { NotificationStatus } from '../vocabulary/notification-types';

export interface TimelineInput {
  kind: string;
  detail?: Record<string, unknown>;
}

/** The end of one send attempt, to be written back with the rest of its batch. */
export interface AttemptResult {
  id: string;
  /** The notification's attempt number when it was claimed: a late write-back never overwrites a later attempt. */
  attempt: number;
  status: Extract<NotificationStatus, 'pending' | 'in_doubt' | 'sent' | 'delivered' | 'failed'>;
  content?: RenderedContent;
  providerMessageId?: string;
  errorCode?: string;
  error?: string;
  /** For a retry: when to try again. */
  retryInMs?: number;
  /** The attempt did not count (deferred, channel paused). */
  refundAttempt?: boolean;
  /** SMS parts the provider will bill. */
  segments?: number;
  /** Credentials refused: stop the whole channel, with this reason. */
  pauseChannel?: string;
  events: TimelineInput[];
}

/**
 * Connections of the dispatcher's own. Sharing the service's pool, a claim queued behind a prefetch
 * window of planning transactions (the service pool's 10 connections) and nothing was sent until a storm's
 * planning was over; with a few connections of its own, sending starts with the first committed plan.
 */
const MIN_DISPATCH_CONNECTIONS = 4;

/** The dispatcher's side of the notifications table: claim, write back, take back from dead replicas. */
@Injectable()
export class DispatchRepository {
  private readonly logger = new Logger(DispatchRepository.name);
  private readonly pool: Pool;

  constructor(
    @InjectConfig(DISPATCH_CONFIG) dispatch: Pick<DispatchConfig, 'DISPATCH_LOOPS'>,
    @InjectConfig(DATABASE_CONFIG) database: Pick<DatabaseConfig, 'DATABASE_URL'>,
  ) {
    // A storm keeps every loop of one channel busy: one connection each, and two for the other channels.
    const max = Math.max(MIN_DISPATCH_CONNECTIONS, dispatch.DISPATCH_LOOPS + 2);
    this.pool = new Pool({ connectionString: database.DATABASE_URL, max, application_name: 'flight-notifier-dispatcher', options: SESSION_OPTIONS });
    // An idle connection dropped by the server (restart, failover): the next query opens a new one.
    this.pool.on('error', (error) => this.logger.warn(`dispatcher connection lost: ${error.message}`));
  }

  private async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  /** Called by the dispatcher once its loops have stopped. */
  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  /**
   * Claims up to `limit` due notifications; SKIP LOCKED lets replicas claim side by side without waiting. Each comes
   * with its context, read by primary key from the table it is written to once (an outer join, as NOTIFICATION_WITH_CONTEXT).
   */
  async claimDue(channel: string, limit: number, claimSeconds: number): Promise<NotificationRecord[]> {
    // Not a prepared statement: its generic plan took 49 ms per claim in the paced storm (decision 0035).
    const rows = await this.query<NotificationRow>(
      `WITH due AS (
         SELECT id FROM notifications WHERE status = 'pending' AND channel = $3 AND due_at <= now()
          ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE notifications n SET status = 'sending', attempts = n.attempts + 1, attempted_at = now(),
                claimed_until = now() + $2 * interval '1 second', updated_at = now()
           FROM due WHERE n.id = due.id
         RETURNING ${RECORD_COLUMNS})
       SELECT claimed.*, c.context FROM claimed LEFT JOIN notification_contexts c ON c.id = claimed.id`,
      [limit, claimSeconds, channel],
    );
    return rows.map(toNotification);
  }

  /**
   * Notifications stored claimed for this replica's lanes (DispatchHandoff) and not sent: back in line, as if never
   * claimed. Only a row still in that first claim moves; returns how many did.
   */
  async putBack(records: Pick<NotificationRecord, 'id' | 'attempts'>[]): Promise<number> {
    if (records.length === 0) return 0;
    // The wake-up names the channels, as a planning transaction's does: any replica's lanes may claim them now.
    const [{ moved }] = await this.query<{ moved: number }>(
      `WITH moved AS (
         UPDATE notifications n SET status = 'pending', attempts = n.attempts - 1, attempted_at = NULL, claimed_until = NULL, updated_at = now()
           FROM unnest($1::uuid[], $2::int[]) AS r(id, attempt)
          WHERE n.id = r.id AND n.status = 'sending' AND n.attempts = r.attempt
         RETURNING n.channel)
       SELECT count(*)::int AS moved, (SELECT pg_notify($3, string_agg(DISTINCT channel, ',')) FROM moved HAVING count(*) > 0) AS woken FROM moved`,
      [records.map((r) => r.id), records.map((r) => r.attempts), NOTIFICATIONS_DUE_CHANNEL],
    );
    return moved;
  }

  /** Until the channel's earliest pending notification is due, by PostgreSQL's clock (≤ 0: due now); null when none is pending. */
  async nextDueInMs(channel: string): Promise<number | null> {
    const rows = await this.query<{ ms: number | null }>(
      `SELECT (extract(epoch FROM min(due_at) - now()) * 1000)::float8 AS ms FROM notifications WHERE status = 'pending' AND channel = $1`,
      [channel],
    );
    return rows[0]?.ms ?? null;
  }

  /**
   * Writes a batch of attempt results and their timeline entries in one statement. A row still in this
   * attempt (sending, or in doubt after its claim expired) takes the result. A row whose status moved on
   * meanwhile (a provider report settled it, it was cancelled) keeps its status, and still gets the
   * provider's answer: the message id and the attempt in its timeline. Those are the rows the first update
   * did not take — looked up again only when there are any (a second pass over the whole batch cost ≈ 9 % of
   * the statement), and found even when the status moved on while this statement ran.
   */
  async record(results: AttemptResult[]): Promise<void> {
    if (results.length === 0) return;
    await this.query(
      `WITH x AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, attempt int, status text, content jsonb, provider_message_id text,
                error_code text, error text, retry_in_ms int, refund boolean, segments int, events jsonb)),
       updated AS (
         UPDATE notifications n SET status = x.status, content = COALESCE(x.content, n.content),
                provider_message_id = COALESCE(x.provider_message_id, n.provider_message_id),
                last_error_code = x.error_code, last_error = x.error, claimed_until = NULL, updated_at = now(),
                attempts = n.attempts - CASE WHEN x.refund THEN 1 ELSE 0 END, segments = COALESCE(x.segments, n.segments),
                due_at = CASE WHEN x.retry_in_ms IS NULL THEN n.due_at ELSE now() + x.retry_in_ms * interval '1 millisecond' END,
                in_doubt_since = CASE WHEN x.status = 'in_doubt' THEN now() END
           FROM x WHERE n.id = x.id AND n.status IN ('sending', 'in_doubt') AND n.attempts = x.attempt
         RETURNING n.id),
       moved_on AS (
         UPDATE notifications n SET provider_message_id = COALESCE(n.provider_message_id, x.provider_message_id),
                segments = COALESCE(n.segments, x.segments), content = COALESCE(n.content, x.content)
           FROM x WHERE n.id = x.id AND x.id NOT IN (SELECT id FROM updated)
         RETURNING n.id)
       INSERT INTO notification_events (notification_id, kind, detail)
       SELECT x.id, e.kind, e.detail
         FROM x JOIN (SELECT id, true AS whole FROM updated UNION ALL SELECT id, false FROM moved_on) u ON u.id = x.id
         CROSS JOIN LATERAL ROWS FROM (jsonb_to_recordset(x.events) AS (kind text, detail jsonb)) WITH ORDINALITY AS e(kind, detail, ord)
        WHERE u.whole OR e.kind = 'attempt'
        ORDER BY x.id, e.ord`,
      // In id order, the order a status-report group locks its notifications (lockReported): a report group and a
      // write-back sharing rows then wait for each other rather than deadlock (decision 0059).
      [jsonbArray(results.map(toRecordRow).sort(byId))],
    );
  }

  /**
   * When a batch's write-back failed: one result on its own, as little as can be known for sure, in a
   * statement of its own — the provider's answer in the timeline and the notification in doubt, so no
   * reclaim puts it back in line and the settlement step decides (docs/decisions/0015).
   */
  async recordInDoubt(result: AttemptResult, reason: string): Promise<void> {
    await this.query(
      `WITH x AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, attempt int, content jsonb, events jsonb)),
       updated AS (
         UPDATE notifications n SET status = 'in_doubt', in_doubt_since = now(), claimed_until = NULL, updated_at = now(),
                content = COALESCE(x.content, n.content)
           FROM x WHERE n.id = x.id AND n.status IN ('sending', 'in_doubt') AND n.attempts = x.attempt
         RETURNING n.id)
       INSERT INTO notification_events (notification_id, kind, detail)
       SELECT x.id, e.kind, e.detail
         FROM x CROSS JOIN LATERAL ROWS FROM (jsonb_to_recordset(x.events) AS (kind text, detail jsonb)) WITH ORDINALITY AS e(kind, detail, ord)
        WHERE e.kind = 'attempt'
       UNION ALL
       SELECT id, 'in-doubt', jsonb_build_object('reason', $2::text) FROM updated`,
      [jsonbArray([toRecordRow(result)]), reason],
    );
  }

  /**
   * Claims the right to message each of these (distinct) recipients now, where the last message to them is
   * older than `intervalMs` (the provider's pair limit); returns the recipients granted. One statement for
   * a batch, the same rule as RateLimiter.claimRecipient, shared by all replicas through the same table.
   */
  async claimRecipients(channel: string, recipients: string[], intervalMs: number): Promise<Set<string>> {
    if (recipients.length === 0) return new Set();
    const rows = await this.query<{ recipient: string }>(
      `INSERT INTO recipient_last_sent (channel, recipient, sent_at)
       SELECT $1, r, clock_timestamp() FROM unnest($2::text[]) AS r
       ON CONFLICT (channel, recipient) DO UPDATE SET sent_at = excluded.sent_at
        WHERE recipient_last_sent.sent_at < clock_timestamp() - $3 * interval '1 millisecond'
       RETURNING recipient`,
      [channel, recipients, intervalMs],
    );
    return new Set(rows.map((r) => r.recipient));
  }

  /**
   * A claim past its deadline belongs to a replica that died mid-send: whether the provider took the
   * message is unknown, so it is in doubt, not back in line (the settlement step decides).
   */
  async reclaimExpired(): Promise<number> {
    const rows = await this.query(
      `WITH expired AS (
         UPDATE notifications SET status = 'in_doubt', in_doubt_since = now(), claimed_until = NULL, updated_at = now()
          WHERE status = 'sending' AND claimed_until < now()
         RETURNING id, attempts)
       INSERT INTO notification_events (notification_id, kind, detail)
       SELECT id, 'in-doubt', jsonb_build_object('reason', 'claim expired: the sending replica did not finish in time; the provider may have the message', 'attempt', attempts)
         FROM expired
       RETURNING notification_id`,
    );
    return rows.length;
  }

  /**
   * Ends the doubt without asking anyone, for notifications of `channel` in doubt for at least `minAgeSeconds`
   * (or exactly `ids`, held by the caller): settled from the provider's answer when the write-back fallback
   * recorded one for this attempt, otherwise back in line to be sent again, with `reason` in the timeline.
   */
  async releaseInDoubt(target: { channel: string; minAgeSeconds: number } | { ids: string[] }, reason: string, limit = 500): Promise<number> {
    const byIds = 'ids' in target;
    const rows = await this.query(
      `WITH due AS (
         SELECT n.id, answer.detail AS answer
           FROM notifications n
           LEFT JOIN LATERAL (
             SELECT e.detail FROM notification_events e
              WHERE e.notification_id = n.id AND e.kind = 'attempt' AND e.detail->>'attempt' = n.attempts::text
                AND e.detail->>'outcome' IN ('accepted', 'delivered')
              ORDER BY e.id DESC LIMIT 1) answer ON true
          WHERE n.status = 'in_doubt'
            AND CASE WHEN $1::uuid[] IS NOT NULL THEN n.id = ANY($1::uuid[])
                     ELSE n.channel = $2 AND n.in_doubt_since <= now() - $3 * interval '1 second'
                          AND (n.claimed_until IS NULL OR n.claimed_until < now()) END
          ORDER BY n.in_doubt_since LIMIT $4
          FOR UPDATE OF n SKIP LOCKED),
       moved AS (
         UPDATE notifications n
            SET status = CASE WHEN due.answer IS NULL THEN 'pending' WHEN due.answer->>'outcome' = 'delivered' THEN 'delivered' ELSE 'sent' END,
                provider_message_id = COALESCE(due.answer->>'providerMessageId', n.provider_message_id),
                due_at = CASE WHEN due.answer IS NULL THEN now() ELSE n.due_at END,
                in_doubt_since = NULL, claimed_until = NULL, updated_at = now()
           FROM due WHERE n.id = due.id
         RETURNING n.id, n.status, n.provider_message_id)
       INSERT INTO notification_events (notification_id, kind, detail)
       SELECT id, CASE WHEN status = 'pending' THEN 'in-doubt-resend' ELSE 'in-doubt-settled' END,
              CASE WHEN status = 'pending' THEN jsonb_build_object('reason', $5::text)
                   ELSE jsonb_build_object('reason', 'the provider''s answer to this attempt was recorded', 'providerMessageId', provider_message_id) END
         FROM moved
       RETURNING notification_id`,
      [byIds ? target.ids : null, byIds ? null : target.channel, byIds ? 0 : target.minAgeSeconds, limit, reason],
    );
    return rows.length;
  }

  /**
   * Holds up to `limit` notifications of `channel` in doubt for at least `minAgeSeconds`, for `leaseSeconds`,
   * while their provider is asked.
   */
  async leaseInDoubt(channel: string, limit: number, leaseSeconds: number, minAgeSeconds: number): Promise<InDoubtRecord[]> {
    const rows = await this.query<NotificationRow & { attempted_at: Date | null; in_doubt_since: Date }>(
      `WITH leased AS (
         UPDATE notifications n SET claimed_until = now() + $3 * interval '1 second'
           FROM (SELECT id FROM notifications
                  WHERE status = 'in_doubt' AND channel = $1 AND (claimed_until IS NULL OR claimed_until < now())
                    AND in_doubt_since <= now() - $4 * interval '1 second'
                  ORDER BY in_doubt_since LIMIT $2 FOR UPDATE SKIP LOCKED) d
          WHERE n.id = d.id
         RETURNING ${RECORD_COLUMNS}, n.attempted_at, n.in_doubt_since)
       SELECT leased.*, c.context FROM leased LEFT JOIN notification_contexts c ON c.id = leased.id`,
      [channel, limit, leaseSeconds, minAgeSeconds],
    );
    return rows.map((r) => ({ ...toNotification(r), attemptedAt: r.attempted_at, inDoubtSince: r.in_doubt_since }));
  }

  /** The provider showed the message: sent, with its id; the lookup's findings in the timeline. */
  async settleFound(id: string, attempt: number, providerMessageId: string, detail: Record<string, unknown>): Promise<boolean> {
    const rows = await this.query(
      `WITH settled AS (
         UPDATE notifications SET status = 'sent', provider_message_id = $3, in_doubt_since = NULL, claimed_until = NULL, updated_at = now()
          WHERE id = $1 AND status = 'in_doubt' AND attempts = $2
         RETURNING id)
       INSERT INTO notification_events (notification_id, kind, detail)
       SELECT id, 'in-doubt-settled', $4::jsonb FROM settled
       RETURNING notification_id`,
      [id, attempt, providerMessageId, JSON.stringify({ ...detail, providerMessageId })],
    );
    return rows.length > 0;
  }
}

export interface InDoubtRecord extends NotificationRecord {
  /** When the attempt in doubt started (null for rows claimed before this column existed). */
  attemptedAt: Date | null;
  inDoubtSince: Date;
}

/** PostgreSQL's order of uuids, for the lowercase form it prints. */
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function toRecordRow(r: AttemptResult) {
  return {
    id: r.id,
    attempt: r.attempt,
    status: r.status,
    content: r.content ?? null,
    provider_message_id: r.providerMessageId ?? null,
    error_code: r.errorCode ?? null,
    error: r.error ?? null,
    retry_in_ms: r.retryInMs ?? null,
    refund: r.refundAttempt ?? false,
    segments: r.segments ?? null,
    events: r.events.map((e) => ({ kind: e.kind, detail: e.detail ?? null })),
  };
}
