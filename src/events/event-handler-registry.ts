import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { NotificationPlan } from '../notifications/notification-plan';
import { EVENT_TYPES, type AirlineEvent, type EventType } from './event-types';
import type { EventScope } from './event-scope';
import {
  COMPLETES_BATCHES,
  HANDLES_EVENTS,
  PRECEDES_BATCH_EVENTS,
  PREPARES_BATCHES,
  type BatchCompletionMethod,
  type BatchPreparationMethod,
} from './handles-events';

type Handle = (m: EntityManager, event: AirlineEvent) => Promise<NotificationPlan[]>;

/**
 * Which method applies each event type, collected at start from the app's providers marked @HandlesEvents.
 * Every type of the contract has exactly one handler, or the app does not start: an event type nobody
 * handles, or two handlers for one type, is a wiring mistake to see at once, not on the first such event.
 */
@Injectable()
export class EventHandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<EventType, { name: string; handle: Handle }>();
  private readonly preparations: ((m: EntityManager, scope: EventScope) => Promise<void>)[] = [];
  private readonly precursors: ((m: EntityManager, scope: EventScope) => Promise<void>)[] = [];
  private readonly completions: ((m: EntityManager) => Promise<void>)[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        if (this.reflector.get<boolean | undefined>(PREPARES_BATCHES, prototype[method] as () => unknown)) {
          const prepare = prototype[method] as BatchPreparationMethod;
          this.preparations.push((m, scope) => prepare.call(instance, m, scope));
        }
        if (this.reflector.get<boolean | undefined>(PRECEDES_BATCH_EVENTS, prototype[method] as () => unknown)) {
          const precede = prototype[method] as BatchPreparationMethod;
          this.precursors.push((m, scope) => precede.call(instance, m, scope));
        }
        if (this.reflector.get<boolean | undefined>(COMPLETES_BATCHES, prototype[method] as () => unknown)) {
          const complete = prototype[method] as BatchCompletionMethod;
          this.completions.push((m) => complete.call(instance, m));
        }
        const types = this.reflector.get<EventType[] | undefined>(HANDLES_EVENTS, prototype[method] as () => unknown);
        if (!types) continue;
        const name = `${instance.constructor.name}.${method}`;
        const fn = prototype[method] as Handle;
        for (const type of types) {
          const taken = this.handlers.get(type);
          if (taken) throw new Error(`event type ${type} has two handlers: ${taken.name} and ${name}`);
          this.handlers.set(type, { name, handle: (m, event) => fn.call(instance, m, event) });
        }
      }
    }
    const missing = EVENT_TYPES.filter((type) => !this.handlers.has(type));
    if (missing.length > 0) throw new Error(`no @HandlesEvents handler for event types: ${missing.join(', ')}`);
  }

  /** Before a batch's events apply: each @PreparesBatches method, in turn (one transaction, one connection). */
  async prepareBatch(m: EntityManager, scope: EventScope): Promise<void> {
    for (const prepare of this.preparations) await prepare(m, scope);
  }

  /** In a prepared batch, before one of its events applies: each @PrecedesBatchEvents method, with the event's scope. */
  async precedeEvent(m: EntityManager, scope: EventScope): Promise<void> {
    for (const precede of this.precursors) await precede(m, scope);
  }

  /** After a prepared batch's events applied, before it commits: each @CompletesBatches method, in turn. */
  async completeBatch(m: EntityManager): Promise<void> {
    for (const complete of this.completions) await complete(m);
  }

  /** The plans of one validated event, from its type's handler. */
  apply(m: EntityManager, event: AirlineEvent): Promise<NotificationPlan[]> {
    const handler = this.handlers.get(event.type);
    if (!handler) throw new Error(`no handler for event type ${event.type}`);
    return handler.handle(m, event);
  }
}
