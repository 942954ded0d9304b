/**
 * Item layout of an IATA Resolution 792 (BCBP) format 'M' string, in the order the standard writes the items.
 * Encoder, decoder and tests all read these tables, so the lengths live in exactly one place.
 * `item` is the standard's item name; decoding errors report it.
 */
export interface BcbpItem<K extends string = string> {
  readonly key: K;
  readonly item: string;
  readonly length: number;
}

/** Mandatory items written once, at the start. */
export const UNIQUE_MANDATORY = [
  { key: 'formatCode', item: 'Format Code', length: 1 },
  { key: 'numberOfLegs', item: 'Number of Legs Encoded', length: 1 },
  { key: 'passengerName', item: 'Passenger Name', length: 20 },
  { key: 'electronicTicketIndicator', item: 'Electronic Ticket Indicator', length: 1 },
] as const satisfies readonly BcbpItem[];

/** Mandatory items written for every leg. */
export const REPEATED_MANDATORY = [
  { key: 'pnr', item: 'Operating carrier PNR Code', length: 7 },
  { key: 'from', item: 'From City Airport Code', length: 3 },
  { key: 'to', item: 'To City Airport Code', length: 3 },
  { key: 'carrier', item: 'Operating carrier Designator', length: 3 },
  { key: 'flightNumber', item: 'Flight Number', length: 5 },
  { key: 'flightDate', item: 'Date of Flight (Julian Date)', length: 3 },
  { key: 'compartment', item: 'Compartment Code', length: 1 },
  { key: 'seat', item: 'Seat Number', length: 4 },
  { key: 'sequenceNumber', item: 'Check-In Sequence Number', length: 5 },
  { key: 'passengerStatus', item: 'Passenger Status', length: 1 },
  { key: 'variableSize', item: 'Field size of variable size field', length: 2 },
] as const satisfies readonly BcbpItem[];

/** Header of the conditional section, only in the first leg's variable field. */
export const VERSION_HEADER = [
  { key: 'versionBeginning', item: 'Beginning of version number', length: 1 },
  { key: 'version', item: 'Version Number', length: 1 },
  { key: 'uniqueSize', item: 'Field size of following structured message - unique', length: 2 },
] as const satisfies readonly BcbpItem[];

/** Conditional items written once; the unique size field says how many of them are present. */
export const UNIQUE_CONDITIONAL = [
  { key: 'passengerDescription', item: 'Passenger Description', length: 1 },
  { key: 'sourceOfCheckIn', item: 'Source of check-in', length: 1 },
  { key: 'sourceOfIssuance', item: 'Source of Boarding Pass Issuance', length: 1 },
  { key: 'dateOfIssue', item: 'Date of Issue of Boarding Pass (Julian Date)', length: 4 },
  { key: 'documentType', item: 'Document Type', length: 1 },
  { key: 'issuer', item: 'Airline Designator of boarding pass issuer', length: 3 },
  { key: 'baggageTag', item: 'Baggage Tag Licence Plate Number(s)', length: 13 },
  { key: 'baggageTag2', item: '1st Non-Consecutive Baggage Tag Licence Plate Number', length: 13 },
  { key: 'baggageTag3', item: '2nd Non-Consecutive Baggage Tag Licence Plate Number', length: 13 },
] as const satisfies readonly BcbpItem[];

export const REPEATED_SIZE: BcbpItem = {
  key: 'repeatedSize',
  item: 'Field size of following structured message - repeated',
  length: 2,
};

/** Conditional items written per leg; the repeated size field says how many are present. */
export const REPEATED_CONDITIONAL = [
  { key: 'airlineNumericCode', item: 'Airline Numeric Code', length: 3 },
  { key: 'documentSerialNumber', item: 'Document Form/Serial Number', length: 10 },
  { key: 'selecteeIndicator', item: 'Selectee Indicator', length: 1 },
  { key: 'documentVerification', item: 'International Documentation Verification', length: 1 },
  { key: 'marketingCarrier', item: 'Marketing Carrier Designator', length: 3 },
  { key: 'frequentFlyerAirline', item: 'Frequent Flyer Airline Designator', length: 3 },
  { key: 'frequentFlyerNumber', item: 'Frequent Flyer Number', length: 16 },
  { key: 'idAdIndicator', item: 'ID/AD Indicator', length: 1 },
  { key: 'freeBaggageAllowance', item: 'Free Baggage Allowance', length: 3 },
  { key: 'fastTrack', item: 'Fast Track', length: 1 },
] as const satisfies readonly BcbpItem[];

export const SECURITY_HEADER = [
  { key: 'securityBeginning', item: 'Beginning of Security Data', length: 1 },
  { key: 'securityType', item: 'Type of Security Data', length: 1 },
  { key: 'securityLength', item: 'Length of Security Data', length: 2 },
] as const satisfies readonly BcbpItem[];
export const SECURITY_DATA_ITEM = 'Security Data';

export type RepeatedConditionalKey = (typeof REPEATED_CONDITIONAL)[number]['key'];

/** The version this encoder writes. */
export const BCBP_VERSION = '8';
export const VERSION_BEGINNING = '>';
export const SECURITY_BEGINNING = '^';
/** Two hex digits: no size field can say more. */
export const MAX_FIELD_SIZE = 0xff;

/** Two upper-case hex digits, as every BCBP size field is written. */
export function toHexSize(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
