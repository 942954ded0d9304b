import type { DataSource, EntityManager } from 'typeorm';
import type { NotificationRepository } from '../notifications/notification.repository';
import type { DeliveryChannel } from '../vocabulary/notification-types';

export interface TemplatePause {
  name: string;
  language: string;
  /** Meta's event that took the template out of use: PAUSED, DISABLED, REJECTED, PENDING_DELETION … */
  event: string;
  reason: string | null;
  pausedAt: Date;
}

/** The code a notification waiting for a paused template carries in last_error_code, so lifting the pause finds it. */
export const TEMPLATE_PAUSED_CODE = 'template-paused';

/**
 * Templates Meta took out of use (WhatsApp's and Messenger's, each channel its own table), by name and language,
 * shared by every replica through PostgreSQL. Written by the webhook (in its transaction), read by the adapter
 * before it sends a template.
 */
export abstract class MetaTemplatePauseRepository {
  protected constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationRepository,
    private readonly table: 'whatsapp_template_pauses' | 'messenger_template_pauses',
    private readonly channel: DeliveryChannel,
  ) {}

  async pause(m: EntityManager, pause: Omit<TemplatePause, 'pausedAt'>): Promise<void> {
    await m.query(
      `INSERT INTO ${this.table} (name, language, event, reason) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name, language) DO UPDATE SET event = excluded.event, reason = excluded.reason, paused_at = now()`,
      [pause.name, pause.language, pause.event, pause.reason],
    );
  }

  /**
   * Puts the template back in use; true when it was out of use. Notifications waiting for a paused template
   * are due again at once (those of a template still paused wait again at their next attempt).
   */
  async lift(m: EntityManager, name: string, language: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`DELETE FROM ${this.table} WHERE name = $1 AND language = $2 RETURNING 1`, [name, language]);
    if (rows.length === 0) return false;
    await this.notifications.makeDueAgain(m, this.channel, TEMPLATE_PAUSED_CODE);
    return true;
  }

  async all(): Promise<TemplatePause[]> {
    const rows: { name: string; language: string; event: string; reason: string | null; paused_at: Date }[] = await this.dataSource.query(
      `SELECT name, language, event, reason, paused_at FROM ${this.table}`,
    );
    return rows.map((r) => ({ name: r.name, language: r.language, event: r.event, reason: r.reason, pausedAt: r.paused_at }));
  }
}
