import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DeliveryChannel } from '../vocabulary/notification-types';

/** A notification a provider's report is about, locked, with the status it has now. */
export interface ReportedNotification {
  id: string;
  status: string;
}

/** The writes of provider reports (status webhooks, lookups): the timeline entry, and the status moving forward. */
@Injectable()
export class NotificationProviderStatusRepository {
  /** The notification that carries this provider message id, locked. */
  async lockByProviderMessageId(m: EntityManager, channel: DeliveryChannel, providerMessageId: string): Promise<ReportedNotification | undefined> {
    const rows: ReportedNotification[] = await m.query(
      `SELECT id, status FROM notifications WHERE channel = $1 AND provider_message_id = $2 FOR UPDATE`,
      [channel, providerMessageId],
    );
    return rows[0];
  }

  /** The notification by our own id, locked, when its provider message id was never stored (in doubt, mid write-back). */
  async lockUnanswered(m: EntityManager, notificationId: string, channel: DeliveryChannel): Promise<ReportedNotification | undefined> {
    const rows: ReportedNotification[] = await m.query(
      `SELECT id, status FROM notifications WHERE id = $1 AND channel = $2 AND provider_message_id IS NULL FOR UPDATE`,
      [notificationId, channel],
    );
    return rows[0];
  }

  /** Writes the report to the notification's timeline (`kind` e.g. 'provider-delivered'). */
  async recordReport(m: EntityManager, notificationId: string, kind: string, detail: Record<string, unknown>): Promise<void> {
    await m.query(`INSERT INTO notification_events (notification_id, kind, detail) VALUES ($1, $2, $3)`, [notificationId, kind, JSON.stringify(detail)]);
  }

  /**
   * Moves the status (the caller checked it moves forward). Settling a send in doubt (or mid write-back):
   * the message id becomes known, and no claim holds it any more.
   */
  async applyProviderStatus(
    m: EntityManager,
    notificationId: string,
    report: { status: string; errorCode?: string; errorText?: string; providerMessageId: string },
  ): Promise<void> {
    await m.query(
      `UPDATE notifications SET status = $2, updated_at = now(),
              last_error_code = COALESCE($3, last_error_code), last_error = COALESCE($4, last_error),
              provider_message_id = COALESCE(provider_message_id, $5), claimed_until = NULL, in_doubt_since = NULL
        WHERE id = $1`,
      [notificationId, report.status, report.errorCode ?? null, report.errorText ?? null, report.providerMessageId],
    );
  }
}
