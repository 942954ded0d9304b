import { DateTime } from 'luxon';
import { findAirport } from '../../rendering/airports';
import type { PassFacts } from './pass-facts';

/** What the pass needs besides the facts: who issues it, its identity and where Wallet asks for updates. */
export interface PassIdentity {
  passTypeIdentifier: string;
  teamIdentifier: string;
  serialNumber: string;
  /** Wallet sends it back as `ApplePass <token>`; at least 16 characters (Apple's minimum). */
  authenticationToken: string;
  /** The pass web service's base (Wallet appends /v1/…). */
  webServiceURL: string;
  organizationName: string;
  /** The IATA BCBP string (Resolution 792), the bar code's message. */
  bcbp: string;
  /** PKBarcodeFormatQR or PKBarcodeFormatAztec; both carry a BCBP. */
  barcodeFormat?: 'PKBarcodeFormatQR' | 'PKBarcodeFormatAztec';
}

export interface PassField {
  key: string;
  label?: string;
  value: string | number;
  changeMessage?: string;
  dateStyle?: string;
  timeStyle?: string;
  ignoresTimeZone?: boolean;
  textAlignment?: string;
}

/** Keys of pass.strings the pass uses; each lproj gives every one of them (pass-strings.ts). */
export const STRING_KEYS = {
  description: 'label.boardingPass',
  gate: 'label.gate',
  terminal: 'label.terminal',
  seat: 'label.seat',
  group: 'label.group',
  boarding: 'label.boarding',
  departure: 'label.departure',
  passenger: 'label.passenger',
  flight: 'label.flight',
  sequence: 'label.sequence',
  bookingReference: 'label.bookingReference',
  from: 'label.from',
  to: 'label.to',
  cancelled: 'status.cancelled',
  gateChanged: 'change.gate',
  boardingChanged: 'change.boarding',
  departureChanged: 'change.departure',
  seatChanged: 'change.seat',
} as const;

const NOT_YET = '—';

/**
 * pass.json of a boarding pass (https://developer.apple.com/documentation/walletpasses/pass): a boardingPass with
 * transitType PKTransitTypeAir; gate in the header (what changes most and what the lock screen shows); origin and
 * destination as primary fields; passenger and flight as secondary; boarding time, departure, seat and group as
 * auxiliary, times shown in the departure airport's zone. Labels are pass.strings keys, so Wallet shows them in
 * the phone's language. Fields that change carry a changeMessage: Wallet shows it when an update changes them.
 */
export function buildPassJson(facts: PassFacts, id: PassIdentity): Record<string, unknown> {
  const { flight, checkin, passenger, booking } = facts;
  const zone = findAirport(flight.origin)?.timeZone;
  const gate = checkin.gate ?? flight.departureGate;
  const departure = flight.estimatedDeparture ?? flight.scheduledDeparture;
  const cancelled = flight.status === 'CANCELLED';
  const boarding = checkin.boardingTime;

  const time = (key: string, label: string, value: string | undefined, changeMessage: string): PassField =>
    value && inZone(value, zone)
      ? { key, label, value: inZone(value, zone)!, timeStyle: 'PKDateStyleShort', dateStyle: 'PKDateStyleNone', ignoresTimeZone: true, changeMessage }
      : { key, label, value: value ?? NOT_YET, changeMessage };

  const headerFields: PassField[] = [{ key: 'gate', label: STRING_KEYS.gate, value: gate ?? NOT_YET, changeMessage: STRING_KEYS.gateChanged }];
  if (cancelled) headerFields.unshift({ key: 'status', value: STRING_KEYS.cancelled });

  const pass: Record<string, unknown> = {
    formatVersion: 1,
    passTypeIdentifier: id.passTypeIdentifier,
    teamIdentifier: id.teamIdentifier,
    serialNumber: id.serialNumber,
    authenticationToken: id.authenticationToken,
    webServiceURL: id.webServiceURL,
    organizationName: id.organizationName,
    description: STRING_KEYS.description,
    foregroundColor: 'rgb(255, 255, 255)',
    labelColor: 'rgb(200, 220, 255)',
    backgroundColor: cancelled ? 'rgb(120, 20, 20)' : 'rgb(0, 61, 122)',
    // Wallet shows the pass on the lock screen around this time (boarding, else departure).
    relevantDate: inZone(boarding ?? departure, zone) ?? boarding ?? departure,
    barcodes: [{ format: id.barcodeFormat ?? 'PKBarcodeFormatQR', message: id.bcbp, messageEncoding: 'iso-8859-1' }],
    boardingPass: {
      transitType: 'PKTransitTypeAir',
      headerFields,
      primaryFields: [
        { key: 'origin', label: cityKey(flight.origin), value: flight.origin },
        { key: 'destination', label: cityKey(flight.destination), value: flight.destination },
      ],
      secondaryFields: [
        { key: 'passenger', label: STRING_KEYS.passenger, value: [passenger.givenName, passenger.surname].join(' ') },
        { key: 'flight', label: STRING_KEYS.flight, value: `${flight.carrier} ${flight.flightNumber}`, textAlignment: 'PKTextAlignmentRight' },
      ],
      auxiliaryFields: [
        time('boarding', STRING_KEYS.boarding, boarding, STRING_KEYS.boardingChanged),
        time('departure', STRING_KEYS.departure, departure, STRING_KEYS.departureChanged),
        { key: 'seat', label: STRING_KEYS.seat, value: checkin.seat, changeMessage: STRING_KEYS.seatChanged },
        { key: 'group', label: STRING_KEYS.group, value: checkin.boardingGroup ?? NOT_YET },
      ],
      backFields: [
        { key: 'bookingReference', label: STRING_KEYS.bookingReference, value: booking.reference },
        { key: 'sequence', label: STRING_KEYS.sequence, value: String(checkin.sequenceNumber) },
        ...(flight.departureTerminal ? [{ key: 'terminal', label: STRING_KEYS.terminal, value: flight.departureTerminal }] : []),
      ],
    },
    semantics: semanticTags(facts, zone),
  };
  return pass;
}

/** pass.strings key of an airport's city name ('city.AMS'). */
export function cityKey(code: string): string {
  return `city.${code}`;
}

/**
 * Apple's semantic tags for a boarding pass (https://developer.apple.com/documentation/walletpasses/semantictags):
 * Siri, Maps and the lock screen read these instead of the visible fields.
 */
function semanticTags(facts: PassFacts, zone: string | undefined): Record<string, unknown> {
  const { flight, checkin, passenger, booking } = facts;
  const origin = findAirport(flight.origin);
  const destination = findAirport(flight.destination);
  const departure = flight.estimatedDeparture ?? flight.scheduledDeparture;
  const tags: Record<string, unknown> = {
    airlineCode: flight.carrier,
    flightCode: `${flight.carrier}${flight.flightNumber}`,
    flightNumber: Number.parseInt(flight.flightNumber, 10),
    departureAirportCode: flight.origin,
    destinationAirportCode: flight.destination,
    originalDepartureDate: inZone(flight.scheduledDeparture, zone) ?? flight.scheduledDeparture,
    currentDepartureDate: inZone(departure, zone) ?? departure,
    passengerName: { givenName: passenger.givenName, familyName: passenger.surname },
    confirmationNumber: booking.reference,
    boardingSequenceNumber: String(checkin.sequenceNumber),
    seats: [{ seatIdentifier: checkin.seat, ...seatParts(checkin.seat) }],
    transitStatus: flight.status === 'CANCELLED' ? 'Cancelled' : flight.estimatedDeparture && flight.estimatedDeparture !== flight.scheduledDeparture ? 'Delayed' : 'On Time',
  };
  if (origin) tags.departureLocationDescription = origin.city;
  if (destination) tags.destinationLocationDescription = destination.city;
  const gate = checkin.gate ?? flight.departureGate;
  if (gate) tags.departureGate = gate;
  if (flight.departureTerminal) tags.departureTerminal = flight.departureTerminal;
  if (checkin.boardingGroup) tags.boardingGroup = checkin.boardingGroup;
  if (checkin.boardingTime) tags.currentBoardingDate = inZone(checkin.boardingTime, zone) ?? checkin.boardingTime;
  if (flight.scheduledArrival) tags.originalArrivalDate = flight.scheduledArrival;
  if (flight.estimatedArrival) tags.currentArrivalDate = flight.estimatedArrival;
  return tags;
}

/** '12A' → row '12', seat 'A' (Apple's seatRow / seatNumber). */
function seatParts(seat: string): { seatRow?: string; seatNumber?: string } {
  const m = /^0*(\d+)([A-Z])$/.exec(seat.trim().toUpperCase());
  return m ? { seatRow: m[1], seatNumber: m[2] } : {};
}

/**
 * An instant as an ISO 8601 date with the airport's offset ('2026-03-14T06:55:00+01:00'): with ignoresTimeZone,
 * Wallet shows the airport's wall-clock time wherever the phone is, as a boarding pass must. Undefined for a value
 * that is not ISO 8601.
 */
export function inZone(value: string, zone: string | undefined): string | undefined {
  // A date and a time: a bare '07:25' would parse as today.
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) return undefined;
  const local = zone ? parsed.setZone(zone) : parsed;
  return (local.isValid ? local : parsed).toISO({ suppressMilliseconds: true }) ?? undefined;
}
