import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnresolvableEventError } from '../common/errors';
import { EventIngestor, IngestOutcome } from '../events/event-ingestor.service';
import type { EventProperties } from '../events/event-message';
import { ParkedEventRepository } from '../events/parked-event.repository';

export type RedriveOutcome = IngestOutcome | { kind: 'skipped'; reason: string };

/**
 * Puts parked events back through validation and processing. The parked row is marked re-driven first,
 * under a row lock, so two operators re-driving the same event process it once; an event that is still
 * broken is parked again with its new reason.
 */
@Injectable()
export class DeadLettersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ingestor: EventIngestor,
    private readonly parked: ParkedEventRepository,
  ) {}

  async redrive(id: string, correctedBody?: unknown): Promise<RedriveOutcome> {
    const taken = await this.dataSource.transaction(async (m) => {
      const rows: { body: Buffer; body_bytes: number; routing_key: string; amqp_properties: EventProperties | null; redriven_at: Date | null; erased_at: Date | null }[] = await m.query(
        `SELECT body, coalesce(body_bytes, octet_length(body)) AS body_bytes, routing_key, amqp_properties, redriven_at, erased_at FROM parked_events WHERE id = $1 FOR UPDATE`,
        [id],
      );
      const row = rows[0];
      if (!row) throw new NotFoundException(`dead letter ${id} not found`);
      if (row.redriven_at) throw new ConflictException(`dead letter ${id} was re-driven already`);
      if (correctedBody === undefined) refuseIncomplete(id, row);
      await m.query(`UPDATE parked_events SET redriven_at = now() WHERE id = $1`, [id]);
      return row;
    });
    const body = correctedBody === undefined ? taken.body : Buffer.from(JSON.stringify(correctedBody));
    // The stored message as the producer sent it, headers and all (a binary-mode event's attributes are
    // there); a corrected event is a whole structured-mode event.
    const properties = correctedBody === undefined ? (taken.amqp_properties ?? undefined) : undefined;
    try {
      return await this.ingestor.ingest(body, taken.routing_key, properties);
    } catch (error) {
      if (!(error instanceof UnresolvableEventError)) throw error;
      return this.ingestor.parkAfterRetries(body, taken.routing_key, error, 1, properties);
    }
  }

  /** Re-drives every open dead letter matching the filter, oldest first; returns the outcomes by kind. */
  async redriveMatching(filter: { reasonCode?: string; type?: string }, limit = 1000): Promise<Record<string, number>> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM parked_events WHERE redriven_at IS NULL AND ($1::text IS NULL OR reason_code = $1)
          AND ($2::text IS NULL OR type = $2) ORDER BY parked_at LIMIT $3`,
      [filter.reasonCode ?? null, filter.type ?? null, limit],
    );
    const tally: Record<string, number> = {};
    for (const { id } of rows) {
      const outcome = await this.redrive(id).catch((e: Error) => ({ kind: 'skipped' as const, reason: e.message }));
      tally[outcome.kind] = (tally[outcome.kind] ?? 0) + 1;
    }
    return tally;
  }

  list(filter: { limit: number; open?: boolean; reasonCode?: string; type?: string }) {
    return this.parked.list(filter);
  }
}

/** The stored bytes are not the event that arrived: re-driving them would only park them again, or worse. */
function refuseIncomplete(id: string, row: { body: Buffer; body_bytes: number; erased_at: Date | null }): void {
  if (row.erased_at) {
    throw new ConflictException(`dead letter ${id} cannot be re-driven: its body was erased with its booking's personal data; supply a corrected event`);
  }
  if (row.body.length < row.body_bytes) {
    throw new ConflictException(
      `dead letter ${id} cannot be re-driven: its body is incomplete (only the first ${row.body.length} of ${row.body_bytes} bytes were kept, it was oversize); supply a corrected event`,
    );
  }
}
