/** What the PDF shows: human-readable, original spellings, one page per passenger and leg. */
export interface BoardingPassView {
  pages: BoardingPassPageView[];
  /**
   * Issuance date or instant (ISO 8601). Becomes the PDF CreationDate so the same data renders the
   * same bytes; when absent the first page's departure time is used. Printed in the header ("Issued …"), in the
   * departure airport's zone when it is an instant.
   */
  issuedAt?: string;
}

export interface BoardingPassPageView {
  airlineName: string;
  /** As the passenger spells it, accents and all: 'Zoë Müller-Łukasiewicz'. */
  passengerName: string;
  /** E.g. 'KL 1234'. */
  flightCode: string;
  /** 'Operated by ...' line for code shares. */
  operatedBy?: string;
  origin: AirportView;
  destination: AirportView;
  /**
   * Times: an ISO 8601 instant with offset ('2026-03-14T07:25:00Z') is shown as local time in the
   * airport's zone (originTimeZone / destinationTimeZone, IANA); without a zone, in the offset the
   * string carries. Anything that is not ISO 8601 is printed as given, for pre-formatted times.
   */
  departureTime: string;
  arrivalTime?: string;
  boardingTime?: string;
  originTimeZone?: string;
  destinationTimeZone?: string;
  gate?: string;
  terminal?: string;
  boardingGroup?: string;
  seat: string;
  sequenceNumber: number;
  /** Cabin as the airline names it: 'Economy', 'Business'. */
  cabin?: string;
  bookingReference?: string;
  frequentFlyer?: string;
  /** Bar code content for this page; the renderer falls back to the bcbp it is given. */
  bcbp?: string;
  /** Wallet links of this passenger's leg, printed as clickable links beside the bar code (docs/decisions/0034). */
  wallet?: { applePassUrl?: string; googleSaveUrl?: string };
}

export interface AirportView {
  code: string;
  city: string;
}
