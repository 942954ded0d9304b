import { Inject, Injectable, Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { RenderedContent } from '../rendering/rendered-content';
import { NotificationRecord, NotificationRow, toNotification } from '../notifications/notification-records';
import type { NotificationStatus } from '../notifications/notification-types';

export interface TimelineInput {
  kind: string;
  detail?: Record<string, unknown>;
}

/** The end of one send attempt, to be written back with the rest of its batch. */
export interface AttemptResult {
  id: string;
  status: Extract<NotificationStatus, 'pending' | 'sent' | 'delivered' | 'failed'>;
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
 * window of planning transactions (64 events, 10 connections) and nothing was sent until a storm's
 * planning was over; with a few connections of its own, sending starts with the first committed plan.
 */
const MIN_DISPATCH_CONNECTIONS = 4;

/** The dispatcher's side of the notifications table: claim, write back, take back from dead replicas. */
@Injectable()
export class DispatchRepository {
  private readonly logger = new Logger(DispatchRepository.name);
  private readonly pool: Pool;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'DATABASE_URL' | 'DISPATCH_LOOPS'>) {
    // A storm keeps every loop of one channel busy: one connection each, and two for the other channels.
    const max = Math.max(MIN_DISPATCH_CONNECTIONS, config.DISPATCH_LOOPS + 2);
    this.pool = new Pool({ connectionString: config.DATABASE_URL, max, application_name: 'flight-notifier-dispatcher' });
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

  /** Claims up to `limit` due notifications; SKIP LOCKED lets replicas claim side by side without waiting. */
  async claimDue(channel: string, limit: number, claimSeconds: number): Promise<NotificationRecord[]> {
    const rows = await this.query<NotificationRow>(
      `WITH due AS (
         SELECT id FROM notifications WHERE status = 'pending' AND channel = $3 AND due_at <= now()
          ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE notifications n SET status = 'sending', attempts = n.attempts + 1,
                claimed_until = now() + $2 * interval '1 second', updated_at = now()
           FROM due WHERE n.id = due.id
         RETURNING n.*)
       SELECT * FROM claimed`,
      [limit, claimSeconds, channel],
    );
    return rows.map(toNotification);
  }

  /** Writes a batch of attempt results and their timeline entries in one statement. */
  async record(results: AttemptResult[]): Promise<void> {
    if (results.length === 0) return;
    await this.query(
      `WITH x AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, status text, content jsonb, provider_message_id text,
                error_code text, error text, retry_in_ms int, refund boolean, segments int, events jsonb)),
       updated AS (
         UPDATE notifications n SET status = x.status, content = COALESCE(x.content, n.content),
                provider_message_id = COALESCE(x.provider_message_id, n.provider_message_id),
                last_error_code = x.error_code, last_error = x.error, claimed_until = NULL, updated_at = now(),
                attempts = n.attempts - CASE WHEN x.refund THEN 1 ELSE 0 END, segments = COALESCE(x.segments, n.segments),
                due_at = CASE WHEN x.retry_in_ms IS NULL THEN n.due_at ELSE now() + x.retry_in_ms * interval '1 millisecond' END
           FROM x WHERE n.id = x.id AND n.status = 'sending'
         RETURNING n.id)
       INSERT INTO notification_events (notification_id, kind, detail)
       SELECT x.id, e.kind, e.detail
         FROM x JOIN updated u ON u.id = x.id
         CROSS JOIN LATERAL ROWS FROM (jsonb_to_recordset(x.events) AS (kind text, detail jsonb)) WITH ORDINALITY AS e(kind, detail, ord)
        ORDER BY x.id, e.ord`,
      [
        JSON.stringify(
          results.map((r) => ({
            id: r.id,
            status: r.status,
            content: r.content ?? null,
            provider_message_id: r.providerMessageId ?? null,
            error_code: r.errorCode ?? null,
            error: r.error ?? null,
            retry_in_ms: r.retryInMs ?? null,
            refund: r.refundAttempt ?? false,
            segments: r.segments ?? null,
            events: r.events.map((e) => ({ kind: e.kind, detail: e.detail ?? null })),
          })),
        ),
      ],
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

  /** A claim past its deadline belongs to a replica that died mid-send: put it back in line. */
  async reclaimExpired(): Promise<number> {
    const rows = await this.query(
      `WITH expired AS (
         UPDATE notifications SET status = 'pending', claimed_until = NULL, updated_at = now()
          WHERE status = 'sending' AND claimed_until < now()
         RETURNING id)
       INSERT INTO notification_events (notification_id, kind, detail)
       SELECT id, 'claim-expired', '{"reason":"the sending replica did not finish in time"}'::jsonb FROM expired
       RETURNING notification_id`,
    );
    return rows.length;
  }
}
