import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedStatement, queryPrepared } from '../database/prepared-statement';
import { eventIdentity } from '../vocabulary/event-identity';

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

  /**
   * The batch form of `claim`: one statement for many events. Returns the identities (`eventIdentity`) this transaction
   * is the first to see; an event twice in the batch is claimed once.
   */
  async claimMany(m: EntityManager, events: { source: string; id: string; type: string }[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const rows: { source: string; event_id: string }[] = await queryPrepared(m, preparedStatement('claim-inbox-events',
      `INSERT INTO inbox_events (source, event_id, type)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT DO NOTHING RETURNING source, event_id`),
      [events.map((e) => e.source), events.map((e) => e.id), events.map((e) => e.type)],
    );
    return new Set(rows.map((r) => eventIdentity(r.source, r.event_id)));
  }
}

