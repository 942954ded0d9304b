import { createHash } from 'node:crypto';
import { findAirport } from '../../rendering/airports';
import type { FlightView } from '../../vocabulary/render-context';

/**
 * Google Wallet's FlightClass and FlightObject, as the Wallet API REST reference names their fields
 * (https://developers.google.com/wallet/reference/rest/v1/flightclass,
 * https://developers.google.com/wallet/reference/rest/v1/flightobject). Only the fields we fill are typed.
 */
export interface AirportInfo {
  airportIataCode: string;
  terminal?: string;
  gate?: string;
}

export interface FlightClass {
  id: string;
  issuerName?: string;
  reviewStatus?: 'UNDER_REVIEW';
  flightHeader: { carrier: { carrierIataCode: string }; flightNumber: string };
  origin: AirportInfo;
  destination: AirportInfo;
  localScheduledDepartureDateTime: string;
  localEstimatedOrActualDepartureDateTime?: string;
  localBoardingDateTime?: string;
  localScheduledArrivalDateTime?: string;
  localEstimatedOrActualArrivalDateTime?: string;
  flightStatus?: GoogleFlightStatus;
}

export interface FlightObject {
  id: string;
  classId: string;
  state: 'ACTIVE';
  passengerName: string;
  boardingAndSeatingInfo: { seatNumber?: string; boardingGroup?: string; sequenceNumber?: string };
  reservationInfo: { confirmationCode: string; eTicketNumber?: string };
  barcode: { type: 'QR_CODE'; value: string };
}

/** FlightClass.flightStatus (the upper-case values; the lower-case ones are deprecated aliases). */
export type GoogleFlightStatus = 'SCHEDULED' | 'ACTIVE' | 'LANDED' | 'CANCELLED' | 'REDIRECTED' | 'DIVERTED';

/**
 * Our contract's statuses in Google's words: SCHEDULED is "on time, early, or delayed", so delayed and
 * boarding flights stay SCHEDULED (Google computes the delay from the estimated time); DEPARTED is ACTIVE
 * (in progress), ARRIVED is LANDED. An unknown status is left out: Google then works it out itself.
 */
const STATUS: Record<string, GoogleFlightStatus> = {
  SCHEDULED: 'SCHEDULED',
  DELAYED: 'SCHEDULED',
  BOARDING: 'SCHEDULED',
  DEPARTED: 'ACTIVE',
  ARRIVED: 'LANDED',
  CANCELLED: 'CANCELLED',
  DIVERTED: 'DIVERTED',
};

/** One passenger's leg, as the boarding pass tells it. */
export interface WalletLeg {
  /** The flight as it is now (gate, terminal, times, status). */
  flight: FlightView;
  bookingReference: string;
  passengerId: string;
  /** As on the boarding pass: "SURNAME/GIVEN TITLE". */
  passengerName: string;
  ticketNumber?: string;
  seat?: string;
  sequenceNumber?: number;
  boardingGroup?: string;
  /** RFC 3339 instant. */
  boardingTime?: string;
  /** The IATA BCBP string the boarding pass's bar code holds. */
  bcbp: string;
}

/** Ids are "<issuer id>.<identifier>", the identifier of letters, digits, '.', '_' and '-' only (the reference's rule). */
export function flightClassId(issuerId: string, f: Pick<FlightView, 'carrier' | 'flightNumber' | 'departureDate' | 'origin'>): string {
  return `${issuerId}.${safe(`${f.carrier}${f.flightNumber}-${f.departureDate}-${f.origin}`)}`;
}

/**
 * The object id names no passenger: a booking reference in a URL Google stores and logs would be personal
 * data, so the identifier is a digest of booking, passenger and flight.
 */
export function flightObjectId(issuerId: string, leg: Pick<WalletLeg, 'bookingReference' | 'passengerId' | 'flight'>): string {
  const digest = createHash('sha256').update(`${leg.bookingReference}/${leg.passengerId}/${flightClassId('', leg.flight)}`).digest('hex');
  return `${issuerId}.bp-${digest.slice(0, 40)}`;
}

/** The flight-level facts a change may alter: what a PATCH of the class sends. */
export function flightClassFacts(flight: FlightView): Omit<FlightClass, 'id' | 'issuerName' | 'reviewStatus' | 'localBoardingDateTime'> {
  const cls: Omit<FlightClass, 'id' | 'issuerName' | 'reviewStatus' | 'localBoardingDateTime'> = {
    flightHeader: { carrier: { carrierIataCode: flight.carrier }, flightNumber: flight.flightNumber },
    origin: airport(flight.origin, flight.departureTerminal, flight.departureGate),
    destination: airport(flight.destination, undefined, flight.arrivalGate),
    localScheduledDepartureDateTime: localDateTime(flight.scheduledDeparture, flight.origin),
  };
  if (flight.estimatedDeparture) cls.localEstimatedOrActualDepartureDateTime = localDateTime(flight.estimatedDeparture, flight.origin);
  if (flight.scheduledArrival) cls.localScheduledArrivalDateTime = localDateTime(flight.scheduledArrival, flight.destination);
  if (flight.estimatedArrival) cls.localEstimatedOrActualArrivalDateTime = localDateTime(flight.estimatedArrival, flight.destination);
  const status = flight.status && STATUS[flight.status];
  if (status) cls.flightStatus = status;
  return cls;
}

/** The whole class as a save link carries it (Google creates it on the first save if it does not exist). */
export function flightClassOf(issuerId: string, leg: WalletLeg, issuerName?: string): FlightClass {
  const cls: FlightClass = {
    id: flightClassId(issuerId, leg.flight),
    ...(issuerName ? { issuerName } : {}),
    reviewStatus: 'UNDER_REVIEW',
    ...flightClassFacts(leg.flight),
  };
  if (leg.boardingTime) cls.localBoardingDateTime = localDateTime(leg.boardingTime, leg.flight.origin);
  return cls;
}

export function flightObjectOf(issuerId: string, leg: WalletLeg): FlightObject {
  const seating: FlightObject['boardingAndSeatingInfo'] = {};
  if (leg.seat) seating.seatNumber = leg.seat;
  if (leg.boardingGroup) seating.boardingGroup = leg.boardingGroup;
  if (leg.sequenceNumber !== undefined) seating.sequenceNumber = String(leg.sequenceNumber);
  return {
    id: flightObjectId(issuerId, leg),
    classId: flightClassId(issuerId, leg.flight),
    state: 'ACTIVE',
    passengerName: leg.passengerName,
    boardingAndSeatingInfo: seating,
    reservationInfo: { confirmationCode: leg.bookingReference, ...(leg.ticketNumber ? { eTicketNumber: leg.ticketNumber } : {}) },
    barcode: { type: 'QR_CODE', value: leg.bcbp },
  };
}

/** The passenger-level facts a new boarding pass may alter (seat, group, sequence, bar code): an object PATCH. */
export function flightObjectFacts(object: FlightObject): Pick<FlightObject, 'passengerName' | 'boardingAndSeatingInfo' | 'reservationInfo' | 'barcode'> {
  return {
    passengerName: object.passengerName,
    boardingAndSeatingInfo: object.boardingAndSeatingInfo,
    reservationInfo: object.reservationInfo,
    barcode: object.barcode,
  };
}

/**
 * "ISO 8601 extended format date/time without an offset … the local date/time at the airport (not a UTC
 * time). Google will reject the request if UTC offset is provided." An airport missing from our table is
 * given in UTC (noted in decision 0032).
 */
export function localDateTime(instant: string, iata: string): string {
  const zone = findAirport(iata)?.timeZone ?? 'UTC';
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
}

function airport(iata: string, terminal?: string, gate?: string): AirportInfo {
  return { airportIataCode: iata, ...(terminal ? { terminal } : {}), ...(gate ? { gate } : {}) };
}

function safe(identifier: string): string {
  return identifier.replace(/[^A-Za-z0-9._-]/g, '_');
}
