import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BookingRepository } from '../bookings/booking.repository';
import { flightKey } from '../bookings/booking-records';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { CloudEvent, FlightStatusData } from '../events/event-types';
import type { NotificationPlan } from '../notifications/notification-plan';
import { NotificationPlanner } from '../notifications/notification-planner';
import { NotificationRepository } from '../notifications/notification.repository';
import { FLIGHT_NEWS_TYPES, NotificationType } from '../notifications/notification-types';
import { detectFlightChanges, FlightChange, toFlightView } from './flight-change-detector';
import { FlightStatusRepository } from './flight-status.repository';

/** Which pending news a new piece of news makes stale: the same kind, or everything once the flight is off. */
function supersededBy(type: NotificationType): NotificationType[] {
  return type === 'flight-cancellation' || type === 'flight-diversion' ? [...FLIGHT_NEWS_TYPES] : [type];
}

/** flight.status.changed: apply newer snapshots only, and tell the passengers on board what matters. */
@Injectable()
export class FlightStatusEventHandler {
  constructor(
    private readonly flights: FlightStatusRepository,
    private readonly bookings: BookingRepository,
    private readonly notifications: NotificationRepository,
    private readonly planner: NotificationPlanner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async apply(m: EntityManager, event: CloudEvent<FlightStatusData>): Promise<NotificationPlan[]> {
    const data = event.data;
    const current = await this.flights.lockOrCreate(m, data);
    if (current && current.version >= data.version) return []; // older or equal: already applied

    const { changes, announcedDeparture } = detectFlightChanges(
      current?.snapshot,
      data,
      current?.announcedDeparture,
      this.config.DELAY_THRESHOLD_MINUTES,
    );
    await this.flights.save(m, data, announcedDeparture);
    if (changes.length === 0) return [];

    const key = flightKey(data);
    const onBoard = await this.bookings.findPassengersOnFlight(m, data);
    const plans: NotificationPlan[] = [];
    for (const change of changes) {
      for (const { passenger, segment } of onBoard) {
        const flight = toFlightView({ ...data, destination: segment.destination }, { scheduledArrival: segment.scheduledArrival, ...data });
        plans.push(...this.planner.plan(change.type, event, passenger, factsOf(change, flight, data), key));
      }
    }
    for (const type of new Set(changes.map((c) => c.type))) {
      const targets = plans.filter((p) => p.type === type);
      await this.notifications.supersedePending(m, key, supersededBy(type), targets, event);
    }
    return plans;
  }
}

function factsOf(change: FlightChange, flight: ReturnType<typeof toFlightView>, data: FlightStatusData) {
  return {
    flight,
    ...(change.delay ? { delay: change.delay } : {}),
    ...(change.previous ? { previous: change.previous } : {}),
    ...(data.reason ? { reason: data.reason } : {}),
  };
}
