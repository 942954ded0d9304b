import { SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { NotificationPlan } from '../notifications/notification-plan';
import type { AirlineEvent, EventType } from './event-types';

export const HANDLES_EVENTS = 'flight-notifier:handles-events';

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
