import { DateTime } from 'luxon';
import type { CloudEvent, Passenger, Segment } from '../events/event-types';
import { bookingCancelled, bookingSnapshot, checkinCompleted, flightStatus, passenger } from './sample-events';

export interface DemoStep {
  routingKey: string;
  body: CloudEvent<unknown> | Buffer;
  note: string;
}

/**
 * A morning at a hub, tomorrow: three bookings on two flights, passengers in five languages with
 * different consents (one reached on Messenger, one on WeChat); a check-in, a delay, a gate change, a
 * cancellation, a cancelled booking, and one malformed event. Ids are stable for the day, so running the demo again shows idempotency, not duplicates.
 */
export function demoScenario(now = DateTime.utc()): DemoStep[] {
  const day = now.plus({ days: 1 }).toISODate() as string;
  const at = (hhmm: string) => DateTime.fromISO(`${day}T${hhmm}`, { zone: 'utc' }).toISO({ suppressMilliseconds: true }) as string;
  const kl1234: Segment = {
    segmentId: 'SEG-1', carrier: 'KL', flightNumber: '1234', departureDate: day, origin: 'AMS', destination: 'CDG',
    scheduledDeparture: at('07:35'), scheduledArrival: at('08:50'), cabin: 'Y',
  };
  const kl643: Segment = {
    segmentId: 'SEG-1', carrier: 'KL', flightNumber: '643', departureDate: day, origin: 'AMS', destination: 'JFK',
    scheduledDeparture: at('10:15'), scheduledArrival: at('18:25'), cabin: 'J',
  };
  const luc: Passenger = passenger({
    passengerId: 'PAX-1', givenName: 'Luc', surname: 'Desmarais', locale: 'nl-NL',
    contacts: { whatsapp: '+31612345678', sms: '+31612345678', email: 'luc@example.com' },
    consents: [{ channel: 'whatsapp', granted: true }, { channel: 'email', granted: true }],
  });
  const anna: Passenger = passenger({
    passengerId: 'PAX-2', title: 'MS', givenName: 'Anna', surname: 'Müller', locale: 'de-DE',
    contacts: { email: 'anna.mueller@example.de', sms: '+4915112345678' },
    consents: [{ channel: 'sms', granted: true }, { channel: 'email', granted: true }],
  });
  const noOptIn: Passenger = passenger({
    passengerId: 'PAX-3', givenName: 'Sam', surname: 'Quiet', locale: 'en',
    contacts: { email: 'sam@example.com' }, consents: [{ channel: 'email', granted: false }],
  });
  const maria: Passenger = passenger({
    passengerId: 'PAX-1', title: 'MRS', givenName: 'María', surname: 'García', locale: 'en-US',
    contacts: { whatsapp: '+12025550143', email: 'maria@example.com' },
    consents: [{ channel: 'whatsapp', granted: true }],
  });
  const jake: Passenger = passenger({
    passengerId: 'PAX-2', givenName: 'Jake', surname: 'Rivera', locale: 'en-US',
    contacts: { messenger: '25381719828140932', email: 'jake.rivera@example.com' },
    consents: [{ channel: 'messenger', granted: true }, { channel: 'email', granted: true }],
  });
  const wei: Passenger = passenger({
    passengerId: 'PAX-3', title: 'MR', givenName: 'Wei', surname: 'Zhang', locale: 'zh-Hans-CN',
    contacts: { wechat: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    consents: [{ channel: 'wechat', granted: true }],
  });
  const withId = <T>(event: CloudEvent<T>, id: string): CloudEvent<T> => ({ ...event, id: `demo-${day}-${id}` });
  const confirmed = (ref: string, pax: Passenger[], seg: Segment, id: string) =>
    withId(bookingSnapshot('booking.confirmed', { bookingReference: ref, passengers: pax, segments: [seg] }), id);

  const events: [CloudEvent<unknown>, string][] = [
    [confirmed('X7K2QP', [luc, anna, noOptIn], kl1234, 'b1'), 'booking X7K2QP on KL1234 (3 passengers, one never opted in)'],
    [confirmed('R4NYC2', [maria, jake, wei], kl643, 'b2'), 'booking R4NYC2 on KL643 to New York (one passenger on Messenger, one on WeChat)'],
    [confirmed('C9DROP', [passenger({ passengerId: 'PAX-1', givenName: 'Joost', surname: 'Visser', locale: 'nl' })], kl1234, 'b3'), 'booking C9DROP on KL1234'],
    [withId(checkinCompleted({
      bookingReference: 'X7K2QP', passengerId: 'PAX-1', segmentId: 'SEG-1', seat: '12A', sequenceNumber: 25, compartment: 'Y',
      boardingGroup: '3', boardingTime: at('06:55'), gate: 'D7', checkedInAt: now.toISO() as string,
    }), 'c1'), 'Luc checks in for KL1234'],
    [withId(flightStatus(kl1234, 1, { status: 'DELAYED', estimatedDeparture: at('08:20'), estimatedArrival: at('09:35'), reason: 'late inbound aircraft', reasonLanguage: 'en', delayCode: '93' }), 'f1'), 'KL1234 delayed 45 minutes'],
    [withId(flightStatus(kl1234, 2, { status: 'DELAYED', estimatedDeparture: at('08:20'), departureGate: 'E4', reason: 'late inbound aircraft', reasonLanguage: 'en', delayCode: '93' }), 'f2'), 'KL1234 moves to gate E4'],
    [withId(flightStatus(kl1234, 1, { status: 'CANCELLED' }), 'f0'), 'an out-of-date KL1234 snapshot arrives late (ignored)'],
    [withId(bookingCancelled({ bookingReference: 'C9DROP', reason: 'cancelled by the passenger', reasonLanguage: 'en' }), 'x1'), 'booking C9DROP cancelled'],
    [withId(flightStatus(kl643, 1, { status: 'CANCELLED', reason: 'storm over the North Atlantic', reasonLanguage: 'en' }), 'f3'), 'KL643 cancelled'],
  ];
  return [
    ...events.map(([body, note]) => ({ routingKey: body.type, body, note })),
    { routingKey: 'flight.status.changed', body: Buffer.from('{"specversion":"1.0","type":"flight.status.changed"'), note: 'a truncated event (parked)' },
  ];
}
