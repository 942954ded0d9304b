import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PassengerRecord } from '../vocabulary/booking-records';
import { BookingRepository } from '../bookings/booking.repository';
import { flightKey } from '../vocabulary/booking-records';
import { PLANNING_CONFIG, PlanningConfig, InjectConfig } from '../config/config-slices';
import type { CloudEvent, FlightStatusData } from '../events/event-types';
import { HandlesEvents } from '../events/handles-events';
import type { NotificationPlan } from '../notifications/notification-plan';
import { NotificationPlanner } from '../notifications/notification-planner.service';
import { NotificationRepository } from '../notifications/notification.repository';
import type { DeliveryChannel } from '../vocabulary/notification-types';
import type { FlightView } from '../vocabulary/render-context';
import { detectFlightChanges, toFlightView } from './flight-change-detector';
import { coalesceNews, factsOf, FlightNews, MergedNews, NEWS_PRIORITY, newsDueAt, newsOfChange, newsOfContext, NewsReason, reasonOf } from './flight-news';
import { FlightNewsRepository, PendingFlightNews } from './flight-news.repository';
import { FlightObservers } from './flight-observers';
import { FlightStatusRepository } from './flight-status.repository';

type Target = { bookingReference: string; passengerId: string; channel: DeliveryChannel };

/** Where a message goes: a passenger channel, or one partner's webhook. */
const laneOf = (n: { channel: DeliveryChannel; recipient: string }) => (n.channel === 'webhook' ? `webhook:${n.recipient}` : n.channel);

/**
 * flight.status.changed: apply newer snapshots only (an older or equal version changes nothing), and tell
 * the passengers on board what matters — once, and current. News waits out a short window (due_at); news
 * arriving meanwhile supersedes what is still pending for the same passenger and channel and is sent as
 * one message with the latest state, due when the first one was.
 */
@Injectable()
export class FlightStatusEventHandler {
  constructor(
    private readonly flights: FlightStatusRepository,
    private readonly bookings: BookingRepository,
    private readonly notifications: NotificationRepository,
    private readonly news: FlightNewsRepository,
    private readonly planner: NotificationPlanner,
    @InjectConfig(PLANNING_CONFIG) private readonly config: PlanningConfig,
    private readonly observers: FlightObservers,
  ) {}

  @HandlesEvents('flight.status.changed')
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
    // Whatever keeps a copy of the flight current (wallet passes) sees every applied snapshot, news or not.
    await this.observers.notify(m, data);

    const key = flightKey(data);
    const pending = await this.news.lockPending(m, key);
    if (changes.length === 0 && pending.length === 0) return [];

    const now = await this.news.now(m);
    const onBoard = await this.bookings.findPassengersOnFlight(m, data);
    // Pending news by passenger, then by lane, oldest first.
    const pendingBy = new Map<string, Map<string, PendingFlightNews[]>>();
    for (const row of pending) {
      const who = `${row.bookingReference}/${row.passengerId}`;
      const lanes = pendingBy.get(who) ?? new Map<string, PendingFlightNews[]>();
      lanes.set(laneOf(row), [...(lanes.get(laneOf(row)) ?? []), row]);
      pendingBy.set(who, lanes);
    }
    const plans: NotificationPlan[] = [];
    const superseded: Target[] = [];
    const why = reasonOf(data);
    for (const { passenger, segment } of onBoard) {
      const flight = toFlightView({ ...data, destination: segment.destination }, { scheduledArrival: segment.scheduledArrival, ...data });
      const incoming = changes.map((change) => newsOfChange(change, flight, why));
      const waiting = pendingBy.get(`${passenger.bookingReference}/${passenger.passengerId}`) ?? new Map<string, PendingFlightNews[]>();
      const outcome = this.planFor(event, passenger, key, flight, incoming, waiting, now, why);
      plans.push(...outcome.plans);
      superseded.push(...outcome.superseded);
    }
    await this.notifications.supersedePending(m, key, [...NEWS_PRIORITY], superseded, event);
    // Beside the news itself: what follows from it elsewhere (a re-issued boarding pass, docs/decisions/0034).
    if (changes.length > 0) plans.push(...(await this.observers.followUp(m, event, changes, onBoard, now)));
    return plans;
  }

  /** One passenger: a message per lane (channel or partner) at most, merging what is still pending there. */
  private planFor(
    event: CloudEvent<FlightStatusData>,
    passenger: PassengerRecord,
    key: string,
    flight: FlightView,
    incoming: FlightNews[],
    waiting: Map<string, PendingFlightNews[]>,
    now: Date,
    why: NewsReason,
  ): { plans: NotificationPlan[]; superseded: Target[] } {
    const threshold = this.config.DELAY_THRESHOLD_MINUTES;
    const plans: NotificationPlan[] = [];
    const superseded: Target[] = [];

    for (const [lane, rows] of waiting) {
      const earlier = rows.flatMap((r) => newsOfContext(r.type, r.context) ?? []);
      const merged = coalesceNews([...earlier, ...incoming], flight, threshold, why);
      // Nothing new and what waits is still true: leave it alone.
      if (incoming.length === 0 && merged) continue;
      superseded.push({ bookingReference: passenger.bookingReference, passengerId: passenger.passengerId, channel: rows[0].channel });
      const plan = merged && this.planLane(merged, lane, event, passenger, key);
      if (plan) plans.push({ ...plan, dueAt: newsDueAt(plan.type, now, rows.map((r) => r.dueAt), this.config) });
    }

    const fresh = incoming.length > 0 ? coalesceNews(incoming, flight, threshold, why) : undefined;
    if (fresh) {
      // Lanes with nothing pending get the snapshot's own news; a lane not taking the main type (a partner
      // subscribed to gate changes only, a first-channel-only type) gets the next kind it does take.
      const done = new Set(waiting.keys());
      for (const kind of fresh.kinds) {
        for (const plan of this.planner.plan(kind, event, passenger, factsOf(fresh), key)) {
          if (done.has(laneOf(plan))) continue;
          done.add(laneOf(plan));
          plans.push({ ...plan, dueAt: newsDueAt(kind, now, [], this.config) });
        }
      }
    }
    return { plans, superseded };
  }

  /** The plan for one lane: the most important kind of the merged news that this lane takes. */
  private planLane(
    merged: MergedNews,
    lane: string,
    event: CloudEvent<FlightStatusData>,
    passenger: PassengerRecord,
    key: string,
  ): NotificationPlan | undefined {
    for (const kind of merged.kinds) {
      const plan = this.planner.plan(kind, event, passenger, factsOf(merged), key).find((p) => laneOf(p) === lane);
      if (plan) return plan;
    }
    return undefined;
  }
}
