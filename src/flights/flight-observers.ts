import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CloudEvent, FlightStatusData } from '../events/event-types';
import type { NotificationPlan } from '../notifications/notification-plan';
import type { PassengerRecord, SegmentRecord } from '../vocabulary/booking-records';
import type { FlightChange } from './flight-change-detector';

/** A passenger on a flight and their segment of it. */
export interface PassengerOnFlight {
  passenger: PassengerRecord;
  segment: SegmentRecord;
}

/** Something above the flights module that keeps its own copy of a flight current (a wallet pass). */
export interface FlightObserver {
  /** A newer snapshot of the flight was applied; runs in the ingest transaction, so it commits with it. */
  flightChanged?(m: EntityManager, flight: FlightStatusData): Promise<void>;
  /**
   * Which of these passengers hold a copy that updates itself on their phone ("booking/passenger" keys), so a
   * change needs no new boarding pass (docs/decisions/0034).
   */
  keepsCurrent?(m: EntityManager, flightKey: string, passengers: readonly PassengerOnFlight[]): Promise<ReadonlySet<string>>;
}

/** Something above the flights module that plans more messages when a snapshot brings news (a re-issued boarding pass). */
export interface FlightNewsFollower {
  /** `now`: the database's clock, as the news is timed by. */
  followUp(m: EntityManager, event: CloudEvent<FlightStatusData>, changes: readonly FlightChange[], onBoard: readonly PassengerOnFlight[], now: Date): Promise<NotificationPlan[]>;
}

/** The "booking/passenger" key keepsCurrent answers with. */
export const passengerKey = (p: Pick<PassengerRecord, 'bookingReference' | 'passengerId'>): string => `${p.bookingReference}/${p.passengerId}`;

/**
 * The observers of applied flight snapshots. Modules above flights add themselves at start (onModuleInit), so
 * the flights module names none of them (docs/architecture.md: a lower module defines the interface).
 */
@Injectable()
export class FlightObservers {
  private readonly observers: FlightObserver[] = [];
  private readonly followers: FlightNewsFollower[] = [];

  add(observer: FlightObserver): void {
    this.observers.push(observer);
  }

  follow(follower: FlightNewsFollower): void {
    this.followers.push(follower);
  }

  async notify(m: EntityManager, flight: FlightStatusData): Promise<void> {
    for (const observer of this.observers) await observer.flightChanged?.(m, flight);
  }

  /** The passengers some observer keeps current, by passengerKey. */
  async keptCurrent(m: EntityManager, flightKey: string, passengers: readonly PassengerOnFlight[]): Promise<Set<string>> {
    const kept = new Set<string>();
    if (passengers.length === 0) return kept;
    for (const observer of this.observers) {
      for (const key of (await observer.keepsCurrent?.(m, flightKey, passengers)) ?? []) kept.add(key);
    }
    return kept;
  }

  async followUp(m: EntityManager, event: CloudEvent<FlightStatusData>, changes: readonly FlightChange[], onBoard: readonly PassengerOnFlight[], now: Date): Promise<NotificationPlan[]> {
    const plans: NotificationPlan[] = [];
    for (const follower of this.followers) plans.push(...(await follower.followUp(m, event, changes, onBoard, now)));
    return plans;
  }
}
