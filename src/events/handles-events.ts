import { SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { NotificationPlan } from '../notifications/notification-plan';
import type { AirlineEvent, EventType } from './event-types';
import type { EventScope } from './event-scope';

export const HANDLES_EVENTS = 'flight-notifier:handles-events';
export const PREPARES_BATCHES = 'flight-notifier:prepares-batches';
export const COMPLETES_BATCHES = 'flight-notifier:completes-batches';
export const PRECEDES_BATCH_EVENTS = 'flight-notifier:precedes-batch-events';

/** Applies one validated event inside the ingest transaction and returns the notifications it plans. */
export type EventHandlerMethod<T extends EventType> = (m: EntityManager, event: Extract<AirlineEvent, { type: T }>) => Promise<NotificationPlan[]>;

/**
 * Marks a provider's method as the handler of these event types. EventHandlerRegistry finds the marked
 * methods with Nest's DiscoveryService, so the events module names no feature module and no handler: a
 * feature registers itself by being a provider of the app. The method's signature is checked against the
 * types it claims.
 */
export function HandlesEvents<T extends EventType>(...types: [T, ...T[]]) {
  return (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<EventHandlerMethod<T>>): void => {
    SetMetadata(HANDLES_EVENTS, types)(target, key, descriptor);
  };
}

/** Runs once per ingest batch, before its events apply, with the bookings and flights they are about. */
export type BatchPreparationMethod = (m: EntityManager, scope: EventScope) => Promise<void>;

/**
 * Marks a provider's method to run at the start of each ingest batch (group commit, docs/decisions/0036): what
 * every event of the batch would do one by one, done for all of them in one statement — locking the batch's
 * bookings, say. Found like @HandlesEvents.
 */
export function PreparesBatches() {
  return (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<BatchPreparationMethod>): void => {
    SetMetadata(PREPARES_BATCHES, true)(target, key, descriptor);
  };
}

/** Runs once per ingest batch, after its events applied and before it commits: what the batch held back, written. */
export type BatchCompletionMethod = (m: EntityManager) => Promise<void>;

/** Marks a provider's method to run at the end of each ingest batch that @PreparesBatches methods prepared. */
export function CompletesBatches() {
  return (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<BatchCompletionMethod>): void => {
    SetMetadata(COMPLETES_BATCHES, true)(target, key, descriptor);
  };
}

/**
 * Marks a provider's method to run, in a batch that @PreparesBatches methods prepared, before each of its events
 * applies, with that event's bookings and flights: what the batch holds back about them, written, so the event
 * sees it as if it had come alone.
 */
export function PrecedesBatchEvents() {
  return (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<BatchPreparationMethod>): void => {
    SetMetadata(PRECEDES_BATCH_EVENTS, true)(target, key, descriptor);
  };
}
