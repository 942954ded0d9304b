import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * WhatsApp templates Meta paused, disabled or rejected (message_template_status_update webhooks): while a
 * template is here, notifications that need it are not sent with it. Keyed as Meta names a template: its
 * name and language code.
 */
export class WebhooksOnce1764000010000 implements MigrationInterface {
  name = 'WebhooksOnce1764000010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE whatsapp_template_pauses (
        name text NOT NULL,
        language text NOT NULL,
        event text NOT NULL,
        reason text,
        paused_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (name, language)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS whatsapp_template_pauses`);
  }
}
