import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Remembers every applied CloudEvent by (source, id): the heart of exactly-once effect. */
@Injectable()
export class InboxRepository {
  /**
   * True if this transaction is the first to see the event. A concurrent transaction inserting the
   * same key waits on the unique index until this one ends, then sees the conflict.
   */
  async claim(m: EntityManager, source: string, id: string, type: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO inbox_events (source, event_id, type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
      [source, id, type],
    );
    return rows.length === 1;
  }
}
