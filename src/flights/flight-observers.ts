import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { FlightStatusData } from '../events/event-types';

/** Something above the flights module that keeps its own copy of a flight current (a wallet pass). */
export interface FlightObserver {
  /** A newer snapshot of the flight was applied; runs in the ingest transaction, so it commits with it. */
  flightChanged(m: EntityManager, flight: FlightStatusData): Promise<void>;
}

/**
 * The observers of applied flight snapshots. Modules above flights add themselves at start (onModuleInit), so
 * the flights module names none of them (docs/architecture.md: a lower module defines the interface).
 */
@Injectable()
export class FlightObservers {
  private readonly observers: FlightObserver[] = [];

  add(observer: FlightObserver): void {
    this.observers.push(observer);
  }

  async notify(m: EntityManager, flight: FlightStatusData): Promise<void> {
    for (const observer of this.observers) await observer.flightChanged(m, flight);
  }
}
