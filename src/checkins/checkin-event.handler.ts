import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnresolvableEventError } from '../common/errors';
import type { CheckinCompletedData, CloudEvent } from '../events/event-types';
import { CompletesBatches, HandlesEvents, PrecedesBatchEvents, PreparesBatches } from '../events/handles-events';
import type { EventScope } from '../events/event-scope';
import { toFlightView } from '../flights/flight-change-detector';
import { FlightStatusRepository } from '../flights/flight-status.repository';
import type { NotificationPlan } from '../notifications/notification-plan';
import { NotificationPlanner } from '../notifications/notification-planner.service';
import { NotificationRepository } from '../notifications/notification.repository';
import { flightKey } from '../vocabulary/booking-records';
import { BookingRepository } from '../bookings/booking.repository';
import { CheckinRepository } from './checkin.repository';

/** checkin.completed: store the check-in and send the boarding pass. */
@Injectable()
export class CheckinEventHandler {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly checkins: CheckinRepository,
    private readonly flights: FlightStatusRepository,
    private readonly planner: NotificationPlanner,
    private readonly notifications: NotificationRepository,
  ) {}

  /**
   * In an ingest batch the check-ins and their reminder cancellations are written together, one statement each
   * for the batch instead of two per check-in, and each flight's status is read once (docs/decisions/0046); each
   * repository writes what it holds before anything in the batch reads its rows.
   */
  @PreparesBatches()
  beginBatch(m: EntityManager, _scope: EventScope): Promise<void> {
    this.checkins.holdWithin(m);
    this.notifications.holdCancellationsWithin(m);
    this.flights.rememberWithin(m);
    return Promise.resolve();
  }

  /** A later event about the booking (a change may remove the passenger, and the check-in with it) sees its check-ins. */
  @PrecedesBatchEvents()
  beforeEvent(m: EntityManager, scope: EventScope): Promise<void> {
    return this.checkins.writeHeld(m, scope.bookings);
  }

  @CompletesBatches()
  async endBatch(m: EntityManager): Promise<void> {
    await this.checkins.writeHeld(m);
    await this.notifications.writeHeld(m);
  }

  @HandlesEvents('checkin.completed')
  async apply(m: EntityManager, event: CloudEvent<CheckinCompletedData>): Promise<NotificationPlan[]> {
    const d = event.data;
    const booking = await this.bookings.lockBooking(m, d.bookingReference);
    if (!booking) throw new UnresolvableEventError(`booking ${d.bookingReference} is not known`);
    if (booking.status === 'cancelled') throw new UnresolvableEventError(`booking ${d.bookingReference} is cancelled`);
    const contents = await this.bookings.findContents(m, d.bookingReference);
    const passenger = contents.passengers.find((p) => p.passengerId === d.passengerId);
    if (!passenger) throw new UnresolvableEventError(`passenger ${d.passengerId} is not on booking ${d.bookingReference}`);
    const segment = contents.segments.find((s) => s.segmentId === d.segmentId);
    if (!segment) throw new UnresolvableEventError(`segment ${d.segmentId} is not on booking ${d.bookingReference}`);

    await this.checkins.upsert(m, {
      bookingReference: d.bookingReference,
      passengerId: d.passengerId,
      segmentId: d.segmentId,
      seat: d.seat,
      sequenceNumber: d.sequenceNumber,
      compartment: d.compartment,
      boardingGroup: d.boardingGroup ?? undefined,
      boardingTime: d.boardingTime ?? undefined,
      gate: d.gate ?? undefined,
      checkedInAt: d.checkedInAt,
    });

    // Checked in: a check-in reminder still waiting would only confuse.
    await this.notifications.cancelPendingOfPassengerOnFlight(
      m,
      { bookingReference: d.bookingReference, passengerId: d.passengerId, flightKey: flightKey(segment), type: 'checkin-open' },
      'checked in',
    );

    const status = await this.flights.find(m, segment);
    const flight = toFlightView(segment, { scheduledArrival: segment.scheduledArrival, ...(status?.snapshot ?? {}), scheduledDeparture: segment.scheduledDeparture });
    const checkin = {
      seat: d.seat,
      sequenceNumber: d.sequenceNumber,
      compartment: d.compartment,
      checkedInAt: d.checkedInAt,
      ...(d.boardingGroup ? { boardingGroup: d.boardingGroup } : {}),
      ...(d.boardingTime ? { boardingTime: d.boardingTime } : {}),
      ...(d.gate ? { gate: d.gate } : {}),
    };
    return this.planner.plan('boarding-pass', event, passenger, { flight, checkin }, flightKey(segment));
  }
}
