import { BadRequestException, Injectable } from '@nestjs/common';
import { UnresolvableEventError } from '../common/errors';
import { INTAKE_CONFIG, IntakeConfig, InjectConfig } from '../config/config-slices';
import { EventPublisher } from '../messaging/event-publisher.service';
import { PipelineMetrics } from '../metrics/pipeline-metrics';
import { EventIngestor, IngestOutcome } from './event-ingestor.service';
import type { EventIntakeResultDto } from './event-intake.responses';
import { EventValidator, ValidationOutcome } from './event-validator';
import type { InboundEvent } from './http-cloudevents';
import { parkedBody } from './parked-body';

/** What the HTTP caller cannot be spared: a request that is not CloudEvents at all is refused whole. */
const REFUSED = new Set(['bad-json', 'bad-envelope']);

/**
 * Events POSTed over HTTP take the broker path's steps in-process: the same validator, the same ingestor
 * (inbox + state + plans in one transaction), the same parking and dead-letter copy. Nothing goes through
 * RabbitMQ: the caller waits for the outcome, which it could not do after a publish.
 */
@Injectable()
export class EventIntakeService {
  constructor(
    private readonly validator: EventValidator,
    private readonly ingestor: EventIngestor,
    private readonly publisher: EventPublisher,
    @InjectConfig(INTAKE_CONFIG) private readonly config: IntakeConfig,
    private readonly metrics: PipelineMetrics,
  ) {}

  /**
   * A request holding anything that cannot be read as a CloudEvent (bad JSON, a missing or malformed
   * attribute) is refused whole with 400 before any event is applied, so a producer can fix and resend
   * it. Readable events are then applied in order; one whose content breaks the contract (unknown type,
   * bad data, a booking not known yet) is parked as from the broker and reported, and the rest still apply.
   */
  async accept(events: InboundEvent[], batch: boolean): Promise<EventIntakeResultDto[]> {
    const checks = events.map((e) => this.validator.validate(e.body, e.routingKey, e.properties));
    const refused = checks.flatMap((c, i) => (!c.ok && REFUSED.has(c.code) ? [batch ? `events[${i}]: ${c.reason}` : c.reason] : []));
    if (refused.length > 0) throw new BadRequestException(refused.slice(0, 10).join('; '));
    const results: EventIntakeResultDto[] = [];
    for (const [index, event] of events.entries()) {
      const outcome = await this.ingest(event);
      results.push({ index, ...identity(checks[index]), ...describe(outcome) });
    }
    return results;
  }

  private async ingest(event: InboundEvent): Promise<IngestOutcome> {
    let outcome: IngestOutcome;
    try {
      outcome = await this.ingestor.ingest(event.body, event.routingKey, event.properties);
    } catch (error) {
      // No redelivery to wait for: a booking not known yet is parked at once, for an operator's re-drive.
      if (!(error instanceof UnresolvableEventError)) throw error;
      outcome = await this.ingestor.parkAfterRetries(event.body, event.routingKey, error, 1, event.properties);
    }
    this.metrics.eventConsumed(event.routingKey, event.body, outcome);
    if (outcome.kind === 'parked') {
      const copy = parkedBody(event.body, this.config.MAX_EVENT_BYTES);
      await this.publisher.deadLetter(event.routingKey, copy, outcome.reasonCode, outcome.reason, event.properties);
    }
    return outcome;
  }
}

function identity(check: ValidationOutcome): Pick<EventIntakeResultDto, 'id' | 'source' | 'type'> {
  if (check.ok) return { id: check.event.id, source: check.event.source, type: check.event.type };
  return { id: check.id ?? null, source: check.source ?? null, type: check.type ?? null };
}

function describe(outcome: IngestOutcome): Pick<EventIntakeResultDto, 'outcome' | 'notifications' | 'reasonCode' | 'reason'> {
  switch (outcome.kind) {
    case 'applied':
      return { outcome: 'applied', notifications: outcome.notifications };
    case 'duplicate':
      return { outcome: 'duplicate' };
    case 'parked':
      return { outcome: 'parked', reasonCode: outcome.reasonCode, reason: outcome.reason };
  }
}
