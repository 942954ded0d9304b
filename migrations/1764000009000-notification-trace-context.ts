import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C trace context ({traceparent, tracestate}) of the consume span that planned a notification, so its
 * sends, however much later and on whichever replica, continue the event's trace (docs/decisions/0011).
 * Null when tracing is off. Adding a nullable column without a default rewrites nothing and takes no
 * index entry; a null costs one bit in the row's null bitmap.
 */
export class NotificationTraceContext1764000009000 implements MigrationInterface {
  name = 'NotificationTraceContext1764000009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN IF NOT EXISTS trace_context jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP COLUMN IF EXISTS trace_context`);
  }
}
