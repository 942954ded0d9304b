import type { Channel } from './notification-types';
import type { UnusableContact } from './unusable-contact';

export interface ConsentRecord {
  channel: Channel;
  granted: boolean;
}

/** A passenger as the planner needs them: who, how to reach them, and what they agreed to. */
export interface PassengerRecord {
  bookingReference: string;
  passengerId: string;
  title?: string;
  givenName: string;
  surname: string;
  locale: string;
  ticketNumber?: string;
  contacts: Partial<Record<Channel, string>>;
  /** Contacts the booking gave that cannot be used (never sent to), with the reason; empty when all are usable. */
  unusableContacts?: UnusableContact[];
  /** In the passenger's order of preference. */
  consents: ConsentRecord[];
}

export interface SegmentRecord {
  bookingReference: string;
  segmentId: string;
  carrier: string;
  flightNumber: string;
  departureDate: string;
  origin: string;
  destination: string;
  scheduledDeparture: string;
  scheduledArrival: string;
  cabin?: string;
}

export interface CheckinRecord {
  bookingReference: string;
  passengerId: string;
  segmentId: string;
  seat: string;
  sequenceNumber: number;
  compartment: string;
  boardingGroup?: string;
  boardingTime?: string;
  gate?: string;
  checkedInAt: string;
}

/** A flight's identity: carrier + number + local departure date + origin. */
export interface FlightIdentity {
  carrier: string;
  flightNumber: string;
  departureDate: string;
  origin: string;
}

/** `KL1234-2026-12-01`, the form the read API filters on. */
export function flightKey(f: Pick<FlightIdentity, 'carrier' | 'flightNumber' | 'departureDate'>): string {
  return `${f.carrier}${f.flightNumber}-${f.departureDate}`;
}
