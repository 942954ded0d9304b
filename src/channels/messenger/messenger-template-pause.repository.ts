import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NotificationRepository } from '../../notifications/notification.repository';

export interface MessengerTemplatePause {
  name: string;
  language: string;
  /** Meta's event that took the template out of use: PAUSED, DISABLED, REJECTED, PENDING_DELETION … */
  event: string;
  reason: string | null;
  pausedAt: Date;
}

/** The code a notification waiting for a paused template carries in last_error_code, so lifting the pause finds it. */
export const MESSENGER_TEMPLATE_PAUSED_CODE = 'template-paused';

/**
 * Messenger utility templates Meta took out of use, by name and language, shared by every replica through
 * PostgreSQL. Written by the webhook (in its transaction), read by the adapter before it sends a template.
 */
@Injectable()
export class MessengerTemplatePauseRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationRepository,
  ) {}

  async pause(m: EntityManager, pause: Omit<MessengerTemplatePause, 'pausedAt'>): Promise<void> {
    await m.query(
      `INSERT INTO messenger_template_pauses (name, language, event, reason) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name, language) DO UPDATE SET event = excluded.event, reason = excluded.reason, paused_at = now()`,
      [pause.name, pause.language, pause.event, pause.reason],
    );
  }

  /** Puts the template back in use; true when it was out of use. Notifications waiting for a paused template are due again at once. */
  async lift(m: EntityManager, name: string, language: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`DELETE FROM messenger_template_pauses WHERE name = $1 AND language = $2 RETURNING 1`, [name, language]);
    if (rows.length === 0) return false;
    await this.notifications.makeDueAgain(m, 'messenger', MESSENGER_TEMPLATE_PAUSED_CODE);
    return true;
  }

  async all(): Promise<MessengerTemplatePause[]> {
    const rows: { name: string; language: string; event: string; reason: string | null; paused_at: Date }[] = await this.dataSource.query(
      `SELECT name, language, event, reason, paused_at FROM messenger_template_pauses`,
    );
    return rows.map((r) => ({ name: r.name, language: r.language, event: r.event, reason: r.reason, pausedAt: r.paused_at }));
  }
}
