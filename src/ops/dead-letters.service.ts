import { ConflictException, HttpException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnresolvableEventError } from '../common/errors';
import { maskPersonalData } from '../common/mask';
import { OPS_CONFIG, OpsConfig, InjectConfig } from '../config/config-slices';
import { EventIngestor, IngestOutcome } from '../events/event-ingestor.service';
import { ParkedEventRepository } from '../events/parked-event.repository';
import { requireConfirmation } from './bulk-confirmation';

export type RedriveOutcome = IngestOutcome | { kind: 'skipped'; reason: string };

export interface DeadLetterFilter {
  reasonCode?: string;
  type?: string;
}

/**
 * Puts parked events back through validation and processing. Marking the parked row re-driven and
 * applying the event (or parking it again with its new reason) commit together in ONE transaction, the
 * row locked first: two operators re-driving the same event process it once, and a failure in between
 * (the database, a bug) leaves the dead letter open to be re-driven again — never marked and lost.
 */
@Injectable()
export class DeadLettersService {
  private readonly logger = new Logger(DeadLettersService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly ingestor: EventIngestor,
    private readonly parked: ParkedEventRepository,
    @InjectConfig(OPS_CONFIG) private readonly config: OpsConfig,
  ) {}

  async redrive(id: string, correctedBody?: unknown): Promise<RedriveOutcome> {
    return this.dataSource.transaction(async (m) => {
      const taken = await this.parked.lockForRedrive(m, id);
      if (!taken) throw new NotFoundException(`dead letter ${id} not found`);
      if (taken.redrivenAt) throw new ConflictException(`dead letter ${id} was re-driven already`);
      if (correctedBody === undefined) refuseIncomplete(id, taken);
      await this.parked.markRedriven(m, id);
      const body = correctedBody === undefined ? taken.body : Buffer.from(JSON.stringify(correctedBody));
      // The stored message as the producer sent it, headers and all (a binary-mode event's attributes are
      // there); a corrected event is a whole structured-mode event.
      const properties = correctedBody === undefined ? (taken.properties ?? undefined) : undefined;
      try {
        return await this.ingestor.ingest(body, taken.routingKey, properties, m);
      } catch (error) {
        if (!(error instanceof UnresolvableEventError)) throw error;
        return this.ingestor.parkAfterRetries(body, taken.routingKey, error, 1, properties, m);
      }
    });
  }

  /** How many open dead letters match, and whether re-driving them needs `confirm`. */
  async count(filter: DeadLetterFilter): Promise<{ matched: number; needsConfirmation: boolean }> {
    const matched = (await this.parked.openIds(filter)).length;
    return { matched, needsConfirmation: matched > this.config.BULK_CONFIRM_ABOVE };
  }

  /**
   * Re-drives every open dead letter matching the filter, oldest first; returns the outcomes by kind.
   * More than BULK_CONFIRM_ABOVE of them need `confirm` equal to their count (400 otherwise, nothing done).
   * One that another operator re-drove meanwhile is `skipped`; one whose re-drive failed stays open, `failed`.
   */
  async redriveMatching(filter: DeadLetterFilter, confirm?: number): Promise<{ total: number; outcomes: Record<string, number> }> {
    const ids = await this.parked.openIds(filter);
    requireConfirmation(ids.length, confirm, this.config.BULK_CONFIRM_ABOVE, 'dead letter');
    const outcomes: Record<string, number> = {};
    for (const id of ids) {
      const outcome = await this.redrive(id).catch((e: Error) => {
        if (e instanceof HttpException) return { kind: 'skipped' }; // re-driven meanwhile by someone else
        this.logger.warn(`re-drive of dead letter ${id} failed, it stays open: ${maskPersonalData(e.message)}`);
        return { kind: 'failed' };
      });
      outcomes[outcome.kind] = (outcomes[outcome.kind] ?? 0) + 1;
    }
    return { total: ids.length, outcomes };
  }

  list(filter: { limit: number; open?: boolean; reasonCode?: string; type?: string }) {
    return this.parked.list(filter);
  }
}

/** The stored bytes are not the event that arrived: re-driving them would only park them again, or worse. */
function refuseIncomplete(id: string, row: { body: Buffer; bodyBytes: number; erasedAt: Date | null }): void {
  if (row.erasedAt) {
    throw new ConflictException(`dead letter ${id} cannot be re-driven: its body was erased with its booking's personal data; supply a corrected event`);
  }
  if (row.body.length < row.bodyBytes) {
    throw new ConflictException(
      `dead letter ${id} cannot be re-driven: its body is incomplete (only the first ${row.body.length} of ${row.bodyBytes} bytes were kept, it was oversize); supply a corrected event`,
    );
  }
}
