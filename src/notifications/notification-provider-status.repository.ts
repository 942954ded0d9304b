import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DeliveryChannel } from '../vocabulary/notification-types';

/** A notification some provider report is about, locked, as it is now. */
export interface ReportedNotification {
  id: string;
  channel: DeliveryChannel;
  status: string;
  providerMessageId: string | null;
}

/** What a group of reports looks a notification up by: its provider message id, or our own id echoed back. */
export interface ReportLookup {
  channel: DeliveryChannel;
  providerMessageId: string;
  notificationId?: string;
}

/** One timeline entry a report adds (`kind` e.g. 'provider-delivered'). */
export interface ReportEntry {
  notificationId: string;
  kind: string;
  detail: Record<string, unknown>;
}

/**
 * Where a group of reports moved one notification: its new status, the last error code and text they named (kept
 * as they were when none did), and the provider message id to store if it had none.
 */
export interface StatusMove {
  notificationId: string;
  status: string;
  errorCode: string | null;
  errorText: string | null;
  providerMessageId: string;
}

/**
 * The writes of provider reports (status webhooks, lookups): the timeline entries, and the statuses moving forward.
 * Each is one statement for a whole group of reports (docs/decisions/0053).
 */
@Injectable()
export class NotificationProviderStatusRepository {
  /**
   * Every notification the reports name, locked, in id order (two groups at once lock shared rows in the same order):
   * by provider message id, or by our own id where its provider message id was never stored (in doubt, mid write-back).
   */
  async lockReported(m: EntityManager, reports: readonly ReportLookup[]): Promise<ReportedNotification[]> {
    const echoed = reports.filter((r) => r.notificationId !== undefined);
    const rows: { id: string; channel: DeliveryChannel; status: string; provider_message_id: string | null }[] = await m.query(
      `SELECT id, channel, status, provider_message_id FROM notifications WHERE id IN (
         SELECT n.id FROM notifications n JOIN unnest($1::text[], $2::text[]) AS r(channel, message) ON n.channel = r.channel AND n.provider_message_id = r.message
         UNION
         SELECT n.id FROM notifications n JOIN unnest($3::uuid[], $4::text[]) AS r(id, channel) ON n.id = r.id AND n.channel = r.channel
          WHERE n.provider_message_id IS NULL)
       ORDER BY id FOR UPDATE`,
      [reports.map((r) => r.channel), reports.map((r) => r.providerMessageId), echoed.map((r) => r.notificationId), echoed.map((r) => r.channel)],
    );
    return rows.map((r) => ({ id: r.id, channel: r.channel, status: r.status, providerMessageId: r.provider_message_id }));
  }

  /** Writes the reports to their notifications' timelines, in the order given. */
  async recordReports(m: EntityManager, entries: readonly ReportEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await m.query(
      `INSERT INTO notification_events (notification_id, kind, detail)
       SELECT e.id, e.kind, e.detail FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) WITH ORDINALITY AS e(id, kind, detail, ord) ORDER BY e.ord`,
      [entries.map((e) => e.notificationId), entries.map((e) => e.kind), entries.map((e) => JSON.stringify(e.detail))],
    );
  }

  /**
   * Moves the statuses (the caller checked each moves forward). Settling a send in doubt (or mid write-back): the
   * message id becomes known, and no claim holds it any more.
   */
  async applyStatusMoves(m: EntityManager, moves: readonly StatusMove[]): Promise<void> {
    if (moves.length === 0) return;
    await m.query(
      `UPDATE notifications n SET status = x.status, updated_at = now(),
              last_error_code = COALESCE(x.code, n.last_error_code), last_error = COALESCE(x.error, n.last_error),
              provider_message_id = COALESCE(n.provider_message_id, x.message), claimed_until = NULL, in_doubt_since = NULL
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(id, status, code, error, message)
        WHERE n.id = x.id`,
      [moves.map((u) => u.notificationId), moves.map((u) => u.status), moves.map((u) => u.errorCode), moves.map((u) => u.errorText), moves.map((u) => u.providerMessageId)],
    );
  }
}
