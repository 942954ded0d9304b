import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { maskContact } from '../common/mask';
import type { Channel } from '../vocabulary/notification-types';
import { NotificationRepository } from '../notifications/notification.repository';
import { BookingRepository } from './booking.repository';

/** Consent changes that do not come from a booking snapshot: a passenger replying STOP, an operator. */
@Injectable()
export class ConsentService {
  private readonly logger = new Logger(ConsentService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationRepository,
    private readonly bookings: BookingRepository,
  ) {}

  /**
   * Withdraws consent on `channel` for every passenger reached at `contact`, and cancels what is still
   * pending for them there, in one transaction: the opt-out holds before the next send.
   * Returns how many passenger records and pending notifications it touched. With `m` it runs in the
   * caller's transaction (the webhook that carried the STOP, whose receipt commits with it).
   */
  async withdrawByContact(channel: Channel, contact: string, reason: string, m?: EntityManager): Promise<{ passengers: number; cancelled: number }> {
    const result = m ? await this.withdrawIn(m, channel, contact, reason) : await this.dataSource.transaction((t) => this.withdrawIn(t, channel, contact, reason));
    this.logger.log(`${channel} consent withdrawn for ${maskContact(contact)} (${reason}): ${result.passengers} passengers, ${result.cancelled} pending cancelled`);
    return result;
  }

  private async withdrawIn(m: EntityManager, channel: Channel, contact: string, reason: string): Promise<{ passengers: number; cancelled: number }> {
    const passengers = await this.bookings.withdrawConsentByContact(m, channel, contact);
    const cancelled = await this.notifications.cancelPendingWhere(m, { channel, recipient: contact }, reason);
    return { passengers, cancelled };
  }

  /**
   * An operator sets one passenger's consent on one channel (a passenger asked by phone, a complaint).
   * A withdrawal cancels what is pending there. Returns false when the passenger is unknown.
   */
  async setConsent(reference: string, passengerId: string, channel: Channel, granted: boolean): Promise<{ found: boolean; cancelled: number }> {
    return this.dataSource.transaction(async (m) => {
      if (!(await this.bookings.lockPassenger(m, reference, passengerId))) return { found: false, cancelled: 0 };
      await this.bookings.setConsent(m, reference, passengerId, channel, granted);
      if (granted) return { found: true, cancelled: 0 };
      const cancelled = await this.notifications.cancelPendingWhere(m, { bookingReference: reference, passengerId, channel }, 'consent withdrawn by an operator');
      return { found: true, cancelled };
    });
  }
}
