/** What the encoder needs for one passenger's bar-coded boarding pass (1 to 4 legs). */
export interface BoardingPassData {
  /** Names as booked, any script; the encoder transliterates them (see bcbp-name.ts). */
  passenger: { surname: string; givenName: string; title?: string };
  eTicket: boolean;
  legs: BoardingPassLeg[];
  issuance: BoardingPassIssuance;
  /** Resolution 792 code list: '0' adult (default), '1' male, '2' female, '3' child, '4' infant, ... */
  passengerDescription?: string;
  /** Up to three 13-digit licence plates: the first may cover consecutive tags (last 3 digits = count). */
  baggageTags?: string[];
}

export interface BoardingPassLeg {
  /** Operating carrier's booking reference, up to 7 characters. */
  pnr: string;
  /** IATA airport codes. */
  from: string;
  to: string;
  /** Operating carrier designator, 2 or 3 characters. */
  carrier: string;
  /** 1 to 4 digits with an optional suffix letter: '1234', '123A', '7'. */
  flightNumber: string;
  /** Local departure date, YYYY-MM-DD. */
  flightDate: string;
  /** Compartment (cabin) code, one letter, e.g. 'Y'. */
  compartment: string;
  /** Row 1 to 999 and a seat letter: '12A', '1A', '100K'. */
  seat: string;
  /** Check-in sequence number, 1..9999. */
  sequenceNumber: number;
  /** Resolution 792 passenger status; default '1' (checked in). */
  passengerStatus?: string;
  /** Default: the operating carrier (no code share). */
  marketingCarrier?: string;
  /** 13 digits: 3-digit airline numeric code + 10-digit document serial number. */
  ticketNumber?: string;
  frequentFlyer?: { airline: string; number: string };
  /** '0' not selectee, '1' selectee, '3' LEO; default blank. */
  selectee?: string;
  /** '0' not required, '1' required, '2' performed; default blank. */
  documentVerification?: string;
  /** ID/AD industry discount indicator; default blank. */
  idAdIndicator?: string;
  /** E.g. '20K', '2PC'; default blank. */
  freeBaggageAllowance?: string;
  fastTrack?: boolean;
  /** Free text for the operating airline, written after the structured items. */
  airlineUse?: string;
}

export interface BoardingPassIssuance {
  /** Date the pass is issued, YYYY-MM-DD. */
  date: string;
  /** Source of boarding pass issuance; default 'W' (web). */
  source?: string;
  /** Source of check-in: 'W' web, 'K' kiosk, 'M' mobile, 'O' airport agent, ... */
  checkInSource: string;
  /** Airline designator of the boarding pass issuer. */
  issuer: string;
}

/** A decoded BCBP. Strings are the items with their padding removed; absent conditional items are undefined. */
export interface DecodedBcbp {
  formatCode: string;
  numberOfLegs: number;
  /** E.g. 'TEST/PETER'. */
  passengerName: string;
  surname: string;
  /** Includes any title: the format has no separator between given name and title. */
  givenName: string;
  electronicTicketIndicator: string;
  /** The version digit of the conditional section, when there is one. */
  version?: number;
  passengerDescription?: string;
  sourceOfCheckIn?: string;
  sourceOfIssuance?: string;
  /** YDDD: last digit of the year and day of the year. */
  dateOfIssue?: string;
  documentType?: string;
  issuer?: string;
  /** Licence plate fields present in the string, blanks kept as ''. */
  baggageTags?: string[];
  legs: DecodedLeg[];
  security?: DecodedSecurity;
}

export interface DecodedLeg {
  pnr: string;
  from: string;
  to: string;
  carrier: string;
  /** As written, without the padding space: '1733', '0123A'. */
  flightNumber: string;
  /** Day of the year, 1..366. */
  dayOfYear: number;
  compartment: string;
  /** As written: '008A'. */
  seat: string;
  /** As written, without the padding space: '0001'. */
  sequenceNumber: string;
  passengerStatus: string;
  airlineNumericCode?: string;
  documentSerialNumber?: string;
  selectee?: string;
  documentVerification?: string;
  marketingCarrier?: string;
  frequentFlyerAirline?: string;
  frequentFlyerNumber?: string;
  idAdIndicator?: string;
  freeBaggageAllowance?: string;
  fastTrack?: string;
  /** Raw, untrimmed; undefined when empty. */
  airlineUse?: string;
}

export interface DecodedSecurity {
  type: string;
  data: string;
  /** Index of the '^': the signature covers bcbp.slice(0, signedLength). */
  signedLength: number;
}
