import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { UnresolvableEventError } from '../common/errors';
import { DispatchHandoff, HandoffReservation } from '../notifications/dispatch-handoff';
import { NotificationRepository } from '../notifications/notification.repository';
import { traceContextToStore, tracePlan } from '../tracing/spans';
import { EventHandlerRegistry } from './event-handler-registry';
import type { EventProperties } from './event-message';
import { EventValidator, type ValidationOutcome } from './event-validator';
import { eventIdentity } from '../vocabulary/event-identity';
import type { ConsumeSpan } from '../tracing/spans';
import { DeferredPlans } from './deferred-plans';
import { batchScope, eventScope } from './event-scope';
import { InboxRepository } from './inbox.repository';
import type { IngestOutcome } from './ingest-outcome';
import { ParkedEventRepository } from './parked-event.repository';

export type { IngestOutcome } from './ingest-outcome';

/** One message of a batch, with the consume span its event is applied under. */
export interface BatchedMessage {
  body: Buffer;
  routingKey: string;
  properties?: EventProperties;
  span: ConsumeSpan;
}


/**
 * Takes one raw event from the broker to its effect: validate, then in ONE transaction record it in the
 * inbox, update state and store the planned notifications. The caller acks only after this resolves.
 */
@Injectable()
export class EventIngestor {
  private readonly logger = new Logger(EventIngestor.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly validator: EventValidator,
    private readonly inbox: InboxRepository,
    private readonly parked: ParkedEventRepository,
    private readonly notifications: NotificationRepository,
    private readonly handlers: EventHandlerRegistry,
    private readonly handoff: DispatchHandoff,
  ) {}

  /**
   * `properties` are the message's AMQP properties and headers (or their HTTP equivalent): a binary-mode
   * event's attributes are there, and a parked event keeps them so a re-drive sees what the producer sent.
   * `within`: a caller's transaction to apply the event in (an operator's re-drive, which marks the parked
   * copy re-driven in the same transaction). The event then runs under a savepoint of it, so an event that
   * cannot be applied leaves the caller's transaction usable for parking it again.
   */
  async ingest(body: Buffer, routingKey: string, properties?: EventProperties, within?: EntityManager): Promise<IngestOutcome> {
    const outcome = this.validator.validate(body, routingKey, properties);
    if (!outcome.ok) return this.parkInvalid(outcome, { body, routingKey, properties }, within);
    const event = outcome.event;
    // In a caller's transaction the plans are stored pending: what it writes after them must find them so.
    const apply = (handoff?: HandoffReservation) =>
      (within ?? this.dataSource.manager).transaction(async (m): Promise<IngestOutcome> => {
        if (!(await this.inbox.claim(m, event.source, event.id, event.type))) {
          return { kind: 'duplicate', type: event.type } as const;
        }
        const plans = await tracePlan(event.type, () => this.handlers.apply(m, event));
        const [created] = await this.notifications.insertPlannedGroups(m, [{ plans, traceContext: traceContextToStore() }], handoff);
        return { kind: 'applied', type: event.type, notifications: created } as const;
      });
    return within ? apply() : this.handingOver(apply);
  }

  /**
   * Runs a planning transaction whose last write may store plans claimed for this replica's dispatcher, and hands
   * them over once it has committed (docs/decisions/0048).
   */
  private async handingOver<T>(transaction: (handoff: HandoffReservation) => Promise<T>): Promise<T> {
    const handoff = this.handoff.reserve();
    let result: T;
    try {
      result = await transaction(handoff);
    } catch (error) {
      handoff.cancel();
      throw error;
    }
    await handoff.commit();
    return result;
  }

  /**
   * Group commit: several messages in ONE transaction (the inbox claimed for all in one statement, each event
   * applied in arrival order under its own consume span, the plans stored together), so a busy intake pays
   * one commit per batch, not per event. Returns the outcomes in the messages' order. If anything fails the
   * whole batch rolls back and this throws: the caller then takes the messages one by one, so the failing
   * event is retried or parked alone and the others commit.
   */
  async ingestBatch(messages: BatchedMessage[]): Promise<IngestOutcome[]> {
    const checked = messages.map((message) => ({ message, check: this.validator.validate(message.body, message.routingKey, message.properties) }));
    return this.handingOver((handoff) => this.dataSource.manager.transaction(async (m) => {
      const events = checked.flatMap(({ check }) => (check.ok ? [check.event] : []));
      const claimed = await this.inbox.claimMany(m, events);
      const fresh = events.filter((e) => claimed.has(eventIdentity(e.source, e.id)));
      // Several events: what each would do one by one (lock its booking, write its snapshot) is done for all at
      // once, locks in sorted order (docs/decisions/0036).
      const prepared = fresh.length > 1;
      if (prepared) await this.handlers.prepareBatch(m, batchScope(fresh));
      const outcomes: IngestOutcome[] = [];
      const held = new DeferredPlans();
      // Only the batch's last store may hand plans over claimed: an event after an earlier one must find its plans pending.
      const store = async (last = false) => {
        const groups = held.take();
        const counts = await this.notifications.insertPlannedGroups(m, groups, last ? handoff : undefined);
        groups.forEach(({ owner }, i) => {
          const outcome = outcomes[owner];
          if (outcome.kind === 'applied') outcome.notifications += counts[i];
        });
      };
      for (const { message, check } of checked) {
        if (!check.ok) {
          outcomes.push(await this.parkInvalid(check, message, m));
          continue;
        }
        const event = check.event;
        if (!claimed.delete(eventIdentity(event.source, event.id))) {
          outcomes.push({ kind: 'duplicate', type: event.type }); // seen before, or earlier in this batch
          continue;
        }
        // A later event of the batch about the same booking or flight (a cancellation, news) must see the plans
        // before it pending, and what the handlers hold back about them, exactly as if it came alone: those are
        // stored first.
        const scope = eventScope(event);
        if (held.meets(scope)) await store();
        if (prepared) await this.handlers.precedeEvent(m, scope);
        const planned = await message.span.within(async () => ({
          plans: await tracePlan(event.type, () => this.handlers.apply(m, event)),
          traceContext: traceContextToStore(),
        }));
        held.hold(outcomes.length, planned.plans, planned.traceContext);
        outcomes.push({ kind: 'applied', type: event.type, notifications: 0 });
      }
      if (prepared) await this.handlers.completeBatch(m);
      await store(true);
      return outcomes;
    }));
  }

  private async parkInvalid(
    check: Extract<ValidationOutcome, { ok: false }>,
    message: Omit<BatchedMessage, 'span'>,
    within?: EntityManager,
  ): Promise<IngestOutcome> {
    const reason = `${check.reason} (read in ${check.mode} mode)`;
    const { body, routingKey, properties } = message;
    await this.parked.park({ ...check, reason, reasonCode: check.code, eventId: check.id, routingKey, body, properties }, within);
    return { kind: 'parked', reasonCode: check.code, reason };
  }

  /**
   * Parks an event that kept failing. An event naming a booking we do not know yet is retried first
   * (producers are not ordered: a check-in may overtake its booking), and parked only at the end.
   */
  async parkAfterRetries(
    body: Buffer,
    routingKey: string,
    error: Error,
    deliveries: number,
    properties?: EventProperties,
    within?: EntityManager,
  ): Promise<IngestOutcome> {
    const unresolvable = error instanceof UnresolvableEventError;
    const reasonCode = unresolvable ? error.code : 'processing-failed';
    const parsed = this.validator.validate(body, routingKey, properties);
    const detail = unresolvable ? error.message : `failed ${deliveries} times; last error: ${error.message}`;
    const reason = `${detail} (read in ${parsed.mode} mode)`;
    const ids = parsed.ok ? { type: parsed.event.type, source: parsed.event.source, eventId: parsed.event.id } : {};
    await this.parked.park({ reasonCode, reason, routingKey, body, properties, ...ids }, within);
    if (!unresolvable) this.logger.error(`parked a message on ${routingKey} after repeated failures: ${reason}`);
    return { kind: 'parked', reasonCode, reason };
  }
}
