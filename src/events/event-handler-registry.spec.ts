import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { EntityManager } from 'typeorm';
import type { NotificationPlan } from '../notifications/notification-plan';
import { EventHandlerRegistry } from './event-handler-registry';
import type { AirlineEvent, BookingCancelledEvent, BookingChangedEvent, BookingConfirmedEvent, CheckinCompletedEvent, FlightStatusChangedEvent } from './event-types';
import { HandlesEvents } from './handles-events';

const m = {} as EntityManager;
const plan = (label: string) => [{ label } as unknown as NotificationPlan];

@Injectable()
class Bookings {
  @HandlesEvents('booking.confirmed', 'booking.changed')
  async snapshot(_m: EntityManager, event: BookingConfirmedEvent | BookingChangedEvent): Promise<NotificationPlan[]> {
    return plan(`snapshot ${event.id} by ${this.constructor.name}`);
  }

  @HandlesEvents('booking.cancelled')
  async cancel(_m: EntityManager, event: BookingCancelledEvent): Promise<NotificationPlan[]> {
    return plan(`cancel ${event.id}`);
  }
}

@Injectable()
class Others {
  @HandlesEvents('checkin.completed')
  async checkin(_m: EntityManager, event: CheckinCompletedEvent): Promise<NotificationPlan[]> {
    return plan(`checkin ${event.id}`);
  }

  @HandlesEvents('flight.status.changed')
  async flight(_m: EntityManager, event: FlightStatusChangedEvent): Promise<NotificationPlan[]> {
    return plan(`flight ${event.id}`);
  }
}

@Injectable()
class SecondCheckin {
  @HandlesEvents('checkin.completed')
  async checkin(_m: EntityManager, _event: CheckinCompletedEvent): Promise<NotificationPlan[]> {
    return [];
  }
}

async function registry(...providers: (new (...args: never[]) => object)[]): Promise<EventHandlerRegistry> {
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [EventHandlerRegistry, ...providers] }).compile();
  await moduleRef.init();
  return moduleRef.get(EventHandlerRegistry);
}

const event = (type: AirlineEvent['type'], id: string) => ({ type, id }) as AirlineEvent;

describe('EventHandlerRegistry (@HandlesEvents)', () => {
  it('routes each event type to the method that claims it, on its own instance', async () => {
    const handlers = await registry(Bookings, Others);
    await expect(handlers.apply(m, event('booking.confirmed', 'e1'))).resolves.toEqual(plan('snapshot e1 by Bookings'));
    await expect(handlers.apply(m, event('booking.changed', 'e2'))).resolves.toEqual(plan('snapshot e2 by Bookings'));
    await expect(handlers.apply(m, event('booking.cancelled', 'e3'))).resolves.toEqual(plan('cancel e3'));
    await expect(handlers.apply(m, event('checkin.completed', 'e4'))).resolves.toEqual(plan('checkin e4'));
    await expect(handlers.apply(m, event('flight.status.changed', 'e5'))).resolves.toEqual(plan('flight e5'));
  });

  it('refuses to start when an event type has no handler', async () => {
    await expect(registry(Bookings)).rejects.toThrow('no @HandlesEvents handler for event types: checkin.completed, flight.status.changed');
  });

  it('refuses to start when an event type has two handlers', async () => {
    await expect(registry(Bookings, Others, SecondCheckin)).rejects.toThrow(
      'event type checkin.completed has two handlers: Others.checkin and SecondCheckin.checkin',
    );
  });
});
