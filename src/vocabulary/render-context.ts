import type { NotificationType } from './notification-types';

/**
 * Everything a template may show. Captured when the notification is planned, so a message renders the
 * same facts whatever replica sends it. Instants are RFC 3339 strings; templates format them with the
 * localTime / localDate helpers in the airport's own time zone.
 */
export interface RenderContext {
  type: NotificationType;
  /** The passenger's BCP 47 locale (e.g. nl-NL); helpers format dates and city names with it. */
  locale: string;
  passenger: { givenName: string; surname: string; title?: string; ticketNumber?: string };
  booking: { reference: string };
  /** The flight the news is about (flight news, boarding pass). */
  flight?: FlightView;
  /** The flight as last told to the passenger, for "was ... now ..." phrasing. */
  previous?: { estimatedDeparture?: string; departureGate?: string; departureTerminal?: string };
  /** Delay news: minutes late against the schedule (negative or smaller when the news is good). */
  delay?: { minutes: number; earlier: boolean };
  /** Booking confirmation and itinerary change: every segment of the booking, in order. */
  segments?: SegmentView[];
  /** Boarding pass. */
  checkin?: {
    seat: string;
    sequenceNumber: number;
    compartment: string;
    boardingGroup?: string;
    boardingTime?: string;
    gate?: string;
    /** When the passenger checked in: the boarding pass's issue date, so it renders the same every time. */
    checkedInAt?: string;
    /** A boarding pass re-issued after a flight change (docs/decisions/0034): when it was, shown as its issue time. */
    issuedAt?: string;
  };
  /** Booking cancellation or flight cancellation reason, as the airline worded it (free text). */
  reason?: string;
  /** BCP 47 language of `reason`; free text is shown only to passengers reading that language. */
  reasonLanguage?: string;
  /** IATA delay code (AHM 730/731, two digits such as "93"), explained in the passenger's language. */
  delayCode?: string;
  /**
   * Boarding pass: wallet links, added at send time (never stored in the planned context). `applePassUrl`: where
   * the passenger's .pkpass can be fetched without an ops token (docs/decisions/0034).
   */
  wallet?: { googleSaveUrl?: string; applePassUrl?: string };
}

export interface FlightView {
  /** Carrier and number, e.g. KL1234. */
  code: string;
  carrier: string;
  flightNumber: string;
  departureDate: string;
  origin: string;
  destination: string;
  status?: string;
  scheduledDeparture: string;
  estimatedDeparture?: string;
  scheduledArrival?: string;
  estimatedArrival?: string;
  departureGate?: string;
  departureTerminal?: string;
  arrivalGate?: string;
  baggageBelt?: string;
  divertedTo?: string;
}

export interface SegmentView {
  code: string;
  origin: string;
  destination: string;
  departureDate: string;
  scheduledDeparture: string;
  scheduledArrival: string;
  cabin?: string;
}
