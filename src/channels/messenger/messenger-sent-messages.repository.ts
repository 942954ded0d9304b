import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface SentMessage {
  messageId: string;
  notificationId: string;
  psid: string;
  /** Taken just before the request: never later than the time Meta gives the message. */
  sentAt: Date;
}

export interface CoveredMessage {
  messageId: string;
  notificationId: string;
  /** Named in the report's `mids`, not only covered by its watermark. */
  byMid: boolean;
}

/**
 * The messenger_sent_messages table: when each Messenger message we sent left, by Meta's message id. Written by
 * the adapter after Meta accepted a message; read by the webhook, which applies a delivery or read watermark to
 * every message of that person sent before it.
 */
@Injectable()
export class MessengerSentMessagesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Several sends in one statement (the adapter batches those of one turn of the event loop). */
  async record(rows: readonly SentMessage[]): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO messenger_sent_messages (message_id, notification_id, psid, sent_at)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[])
       ON CONFLICT (message_id) DO NOTHING`,
      [rows.map((r) => r.messageId), rows.map((r) => r.notificationId), rows.map((r) => r.psid), rows.map((r) => r.sentAt)],
    );
  }

  /**
   * The messages to `psid` that a report covers — sent at or before `watermark`, or named in `mids` — whose
   * notification is still in one of `statuses` (a report moves each message once; replays and older
   * watermarks find nothing left to move). In the webhook's transaction.
   */
  async covered(m: EntityManager, psid: string, watermark: Date, mids: readonly string[], statuses: readonly string[]): Promise<CoveredMessage[]> {
    const rows: { message_id: string; notification_id: string; by_mid: boolean }[] = await m.query(
      `SELECT s.message_id, s.notification_id, s.message_id = ANY($3::text[]) AS by_mid
         FROM messenger_sent_messages s JOIN notifications n ON n.id = s.notification_id
        WHERE s.psid = $1 AND (s.sent_at <= $2 OR s.message_id = ANY($3::text[])) AND n.status = ANY($4::text[])
        ORDER BY s.sent_at`,
      [psid, watermark, [...mids], [...statuses]],
    );
    return rows.map((r) => ({ messageId: r.message_id, notificationId: r.notification_id, byMid: r.by_mid }));
  }
}
