import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BookingRepository } from '../bookings/booking.repository';
import { dedupeKey, reachableChannels } from '../notifications/notification-planner.service';
import { NotificationFallbackRepository } from '../notifications/notification-fallback.repository';
import type { NotificationType } from '../vocabulary/notification-types';
import type { PermanentFailureHook } from '../notifications/permanent-failure';

/** News a passenger must not miss: if one channel fails for good, the next consented channel carries it. */
export const CRITICAL_TYPES: ReadonlySet<NotificationType> = new Set([
  'flight-cancellation',
  'itinerary-change',
  'gate-change',
  'flight-diversion',
]);

/**
 * Moves a critical notification that failed permanently to the passenger's next consented channel, unless
 * that channel already has it. Both timelines say so. Idempotent: the fallback reuses the planner's dedupe key.
 */
@Injectable()
export class FallbackService implements PermanentFailureHook {
  private readonly logger = new Logger(FallbackService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationFallbackRepository,
    private readonly bookings: BookingRepository,
  ) {}

  /** In the caller's transaction `m` when given (a provider's failure report applied with its receipt), else in one of its own. */
  async afterPermanentFailure(notificationId: string, m?: EntityManager): Promise<string | undefined> {
    return m ? this.fallBack(m, notificationId) : this.dataSource.transaction((t) => this.fallBack(t, notificationId));
  }

  private async fallBack(m: EntityManager, notificationId: string): Promise<string | undefined> {
    const failed = await this.notifications.lockFailed(m, notificationId);
    if (!failed || !CRITICAL_TYPES.has(failed.type)) return undefined;
    const passenger = await this.bookings.findContactsAndConsents(m, failed.booking_reference, failed.passenger_id);
    if (!passenger) return undefined;
    const channels = reachableChannels(passenger);
    const after = channels.slice(channels.findIndex((c) => c.channel === failed.channel) + 1);
    const event = { source: failed.event_source, id: failed.event_id };
    for (const next of after) {
      const fallbackId = await this.notifications.insertFallbackCopy(m, failed, {
        dedupeKey: dedupeKey(event, passenger, next.channel, failed.type),
        channel: next.channel,
        recipient: next.recipient,
      });
      if (!fallbackId) continue; // that channel has this news already
      this.logger.log(`${failed.type} ${failed.id} failed on ${failed.channel}; falling back to ${next.channel}`);
      return fallbackId;
    }
    return undefined;
  }
}
