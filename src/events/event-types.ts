/**
 * TypeScript view of event contract v1. The validating schemas live only in docs/asyncapi.yaml;
 * these types mirror them and asyncapi.spec.ts keeps the two lists of names in step.
 * Optional fields may be absent or null in the contract, hence `?: T | null`.
 */

import { EVENT_TYPES, type EventType } from '../vocabulary/event-type-names';

export { EVENT_TYPES, type EventType };

export const CONSENT_CHANNELS = ['whatsapp', 'sms', 'email', 'messenger', 'wechat', 'push'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

export const FLIGHT_STATUSES = [
  'SCHEDULED',
  'DELAYED',
  'BOARDING',
  'DEPARTED',
  'ARRIVED',
  'CANCELLED',
  'DIVERTED',
] as const;
export type FlightStatus = (typeof FLIGHT_STATUSES)[number];

/** RFC 3339 instant with offset, e.g. 2026-12-01T07:35:00Z. */
export type Instant = string;
/** Local calendar date at the origin airport, YYYY-MM-DD. */
export type LocalDate = string;

/**
 * CloudEvents 1.0 structured-mode envelope. Extension attributes may also be present on the wire;
 * they are not typed here so that a misspelt attribute is a compile error.
 */
export interface CloudEvent<T, K extends string = EventType> {
  specversion: '1.0';
  id: string;
  source: string;
  type: K;
  time: Instant;
  /** Absent means application/json (CloudEvents JSON format, 3.1.1). */
  datacontenttype?: 'application/json';
  data: T;
}

export interface Contacts {
  whatsapp?: string | null;
  sms?: string | null;
  email?: string | null;
  /** Page-scoped ID (PSID): digits, given by Messenger to the airline's Page for this person (1.2.0). */
  messenger?: string | null;
  /** Official Account OpenID: 28 characters of A–Z, a–z, 0–9, '_' and '-' (1.2.0). */
  wechat?: string | null;
  /** 1.3.0: the airline's account id for the passenger's app; push goes to the devices registered for it. */
  app?: string | null;
}

export interface Consent {
  channel: ConsentChannel;
  granted: boolean;
  at?: Instant | null;
}

export interface Passenger {
  passengerId: string;
  title?: string | null;
  givenName: string;
  surname: string;
  /** BCP 47; templates fall back along nl-NL → nl → en. */
  locale: string;
  contacts: Contacts;
  /** In order of the passenger's preference. */
  consents: Consent[];
  ticketNumber?: string | null;
}

export interface Segment {
  segmentId: string;
  carrier: string;
  flightNumber: string;
  departureDate: LocalDate;
  origin: string;
  destination: string;
  scheduledDeparture: Instant;
  scheduledArrival: Instant;
  cabin?: string | null;
}

/** booking.confirmed and booking.changed: the full booking each time. */
export interface BookingSnapshotData {
  bookingReference: string;
  passengers: Passenger[];
  segments: Segment[];
}

export interface BookingCancelledData {
  bookingReference: string;
  reason?: string;
  /** BCP 47 language of `reason`; passengers reading another language are not shown it. */
  reasonLanguage?: string | null;
}

export interface CheckinCompletedData {
  bookingReference: string;
  passengerId: string;
  segmentId: string;
  seat: string;
  sequenceNumber: number;
  compartment: string;
  boardingGroup?: string | null;
  boardingTime?: Instant | null;
  gate?: string | null;
  checkedInAt: Instant;
}

/** flight.status.changed: the full operational snapshot of one flight. */
export interface FlightStatusData {
  carrier: string;
  flightNumber: string;
  departureDate: LocalDate;
  origin: string;
  destination: string;
  status: FlightStatus;
  scheduledDeparture: Instant;
  estimatedDeparture?: Instant | null;
  departureGate?: string | null;
  departureTerminal?: string | null;
  estimatedArrival?: Instant | null;
  arrivalGate?: string | null;
  baggageBelt?: string | null;
  divertedTo?: string | null;
  /** Free text for operators; shown to a passenger only in the language `reasonLanguage` names. */
  reason?: string | null;
  /** BCP 47 language of `reason`. */
  reasonLanguage?: string | null;
  /** IATA delay code (AHM 730 two digits, optionally an AHM 731 sub-code letter: "93", "93A"). */
  delayCode?: string | null;
  version: number;
}

export type BookingConfirmedEvent = CloudEvent<BookingSnapshotData, 'booking.confirmed'>;
export type BookingChangedEvent = CloudEvent<BookingSnapshotData, 'booking.changed'>;
export type BookingCancelledEvent = CloudEvent<BookingCancelledData, 'booking.cancelled'>;
export type CheckinCompletedEvent = CloudEvent<CheckinCompletedData, 'checkin.completed'>;
export type FlightStatusChangedEvent = CloudEvent<FlightStatusData, 'flight.status.changed'>;

/** Discriminated on `type`. */
export type AirlineEvent =
  | BookingConfirmedEvent
  | BookingChangedEvent
  | BookingCancelledEvent
  | CheckinCompletedEvent
  | FlightStatusChangedEvent;

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}
