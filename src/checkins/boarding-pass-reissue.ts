import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CloudEvent, FlightStatusData } from '../events/event-types';
import { toFlightView, type FlightChange } from '../flights/flight-change-detector';
import { FlightObservers, passengerKey, type FlightNewsFollower, type PassengerOnFlight } from '../flights/flight-observers';
import type { NotificationPlan } from '../notifications/notification-plan';
import { NotificationPlanner } from '../notifications/notification-planner.service';
import { NotificationRepository } from '../notifications/notification.repository';
import { InjectConfig, PLANNING_CONFIG, type PlanningConfig } from '../config/config-slices';
import { flightKey } from '../vocabulary/booking-records';
import type { RenderContext } from '../vocabulary/render-context';
import { CheckinRepository } from './checkin.repository';

/**
 * The changes that make a printed or downloaded boarding pass wrong: a move to another gate and a new departure time
 * (flight snapshots carry no boarding time; a new one comes with a new check-in, which always sends a boarding pass).
 */
export function outdatesBoardingPass(changes: readonly FlightChange[]): boolean {
  return changes.some((c) => c.type === 'flight-delay' || (c.type === 'gate-change' && !!c.previous?.departureGate));
}

/**
 * After a gate or departure-time change, a re-issued boarding pass for each checked-in passenger on the flight whom
 * no wallet pass keeps current (docs/decisions/0034): by e-mail only, with the flight as it is now. The flight news
 * itself is planned as before; this comes beside it.
 */
@Injectable()
export class BoardingPassReissue implements FlightNewsFollower, OnModuleInit {
  constructor(
    private readonly observers: FlightObservers,
    private readonly checkins: CheckinRepository,
    private readonly planner: NotificationPlanner,
    private readonly notifications: NotificationRepository,
    @InjectConfig(PLANNING_CONFIG) private readonly config: Pick<PlanningConfig, 'FLIGHT_NEWS_WINDOW_SECONDS'>,
  ) {}

  onModuleInit(): void {
    this.observers.follow(this);
  }

  async followUp(m: EntityManager, event: CloudEvent<FlightStatusData>, changes: readonly FlightChange[], onBoard: readonly PassengerOnFlight[], now: Date): Promise<NotificationPlan[]> {
    if (!outdatesBoardingPass(changes) || onBoard.length === 0) return [];
    const data = event.data;
    const found = await this.checkins.findFor(m, onBoard.map(({ passenger, segment }) => ({ ...passenger, segmentId: segment.segmentId })));
    const checkedIn = onBoard.filter(({ passenger, segment }) => found.some((c) => c.bookingReference === passenger.bookingReference && c.passengerId === passenger.passengerId && c.segmentId === segment.segmentId));
    const key = flightKey(data);
    const kept = await this.observers.keptCurrent(m, key, checkedIn);
    const plans: NotificationPlan[] = [];
    // Waits out the news window like the news does, so a burst of changes sends one pass with the latest state: each
    // change replaces the e-mailed boarding pass still waiting (a re-issue, or a check-in's not yet sent) and keeps
    // its due time, so a stream of changes cannot postpone it (as flight news, decision 0002).
    const windowEnd = new Date(now.getTime() + this.config.FLIGHT_NEWS_WINDOW_SECONDS * 1000);
    const reissued = checkedIn.filter(({ passenger }) => !kept.has(passengerKey(passenger)));
    const replaced = await this.notifications.cancelPendingReplacedOfPassengers(
      m,
      { flightKey: key, type: 'boarding-pass', channel: 'email' },
      reissued.map(({ passenger }) => passenger),
      'replaced by a boarding pass re-issued after a flight change',
    );
    const earliestDue = new Map(replaced.map((r) => [passengerKey(r), r.earliestDue]));
    for (const { passenger, segment } of reissued) {
      const replacedDue = earliestDue.get(passengerKey(passenger));
      const c = found.find((r) => r.bookingReference === passenger.bookingReference && r.passengerId === passenger.passengerId && r.segmentId === segment.segmentId)!;
      const flight = toFlightView({ ...data, destination: segment.destination }, { scheduledArrival: segment.scheduledArrival, ...data });
      const checkin: NonNullable<RenderContext['checkin']> = {
        seat: c.seat,
        sequenceNumber: c.sequenceNumber,
        compartment: c.compartment,
        checkedInAt: c.checkedInAt,
        // Issued now: the e-mail and the PDF say so (the check-in time stays in the bar code).
        issuedAt: event.time,
        ...(c.boardingGroup ? { boardingGroup: c.boardingGroup } : {}),
        ...(c.boardingTime ? { boardingTime: c.boardingTime } : {}),
        // A gate the flight now names replaces the one given at check-in, as on the wallet passes.
        ...(c.gate && !flight.departureGate ? { gate: c.gate } : {}),
      };
      for (const plan of this.planner.plan('boarding-pass', event, passenger, { flight, checkin }, key)) {
        if (plan.channel === 'email') plans.push({ ...plan, dueAt: replacedDue && replacedDue < windowEnd ? replacedDue : windowEnd });
      }
    }
    return plans;
  }
}
