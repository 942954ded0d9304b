import { julianDate, julianDateWithYear } from './bcbp-dates';
import { BcbpInputError } from './bcbp-errors';
import { checked, optionalCode, writeItems } from './bcbp-fields';
import {
  BCBP_VERSION,
  MAX_FIELD_SIZE,
  REPEATED_CONDITIONAL,
  REPEATED_MANDATORY,
  UNIQUE_CONDITIONAL,
  UNIQUE_MANDATORY,
  VERSION_BEGINNING,
  VERSION_HEADER,
  toHexSize,
  type RepeatedConditionalKey,
} from './bcbp-layout';
import { formatBcbpName } from './bcbp-name';
import type { BoardingPassData, BoardingPassLeg } from './bcbp-types';

export type { BoardingPassData, BoardingPassLeg, BoardingPassIssuance } from './bcbp-types';

const MAX_LEGS = 4;
const DESIGNATOR = /^[A-Z0-9]{2,3}$/;

/**
 * Encodes a Resolution 792 format 'M' string, conditional section version 8, without security data
 * (bcbp-signature.ts appends that). Every size field is measured from what was written.
 */
export function encodeBcbp(data: BoardingPassData): string {
  const { legs } = data;
  if (legs.length < 1 || legs.length > MAX_LEGS) {
    throw new BcbpInputError(`a BCBP holds 1 to ${MAX_LEGS} legs, got ${legs.length}`, 'legs');
  }
  const header = writeItems(UNIQUE_MANDATORY, {
    formatCode: 'M',
    numberOfLegs: String(legs.length),
    passengerName: formatBcbpName(data.passenger),
    electronicTicketIndicator: data.eTicket ? 'E' : ' ',
  });
  // The unique conditional items travel in the first leg's variable size field.
  return header + legs.map((leg, i) => encodeLeg(leg, i, i === 0 ? uniqueSection(data) : '')).join('');
}

function encodeLeg(leg: BoardingPassLeg, index: number, unique: string): string {
  const field = (name: string): string => `legs[${index}].${name}`;
  const repeated = writeItems(REPEATED_CONDITIONAL, repeatedValues(leg, field));
  const variable = unique + toHexSize(repeated.length) + repeated + airlineUse(leg.airlineUse, field('airlineUse'));
  if (variable.length > MAX_FIELD_SIZE) {
    throw new BcbpInputError(
      `variable size field would be ${variable.length} characters, more than two hex digits can say`,
      field('airlineUse'),
    );
  }
  const mandatory = writeItems(REPEATED_MANDATORY, {
    pnr: checked(leg.pnr, /^[A-Z0-9]{1,7}$/, field('pnr'), 'a PNR code of up to 7 letters and digits'),
    from: checked(leg.from, /^[A-Z]{3}$/, field('from'), 'a 3-letter airport code'),
    to: checked(leg.to, /^[A-Z]{3}$/, field('to'), 'a 3-letter airport code'),
    carrier: checked(leg.carrier, DESIGNATOR, field('carrier'), 'an airline designator'),
    flightNumber: flightNumber(leg.flightNumber, field('flightNumber')),
    flightDate: julianDate(leg.flightDate, field('flightDate')),
    compartment: checked(leg.compartment, /^[A-Z]$/, field('compartment'), 'a one-letter compartment code'),
    seat: seat(leg.seat, field('seat')),
    sequenceNumber: sequenceNumber(leg.sequenceNumber, field('sequenceNumber')),
    passengerStatus: checked(leg.passengerStatus ?? '1', /^[A-Z0-9]$/, field('passengerStatus'), 'a status code'),
    variableSize: toHexSize(variable.length),
  });
  return mandatory + variable;
}

function uniqueSection(data: BoardingPassData): string {
  const tags = (data.baggageTags ?? []).map((tag, i) =>
    checked(tag, /^\d{13}$/, `baggageTags[${i}]`, 'a 13-digit licence plate'),
  );
  if (tags.length > 3) throw new BcbpInputError('at most 3 licence plate fields', 'baggageTags');
  const issuance = data.issuance;
  const unique = writeItems(UNIQUE_CONDITIONAL, {
    passengerDescription: optionalCode(data.passengerDescription ?? '0', 'passengerDescription'),
    sourceOfCheckIn: optionalCode(issuance.checkInSource, 'issuance.checkInSource'),
    sourceOfIssuance: optionalCode(issuance.source ?? 'W', 'issuance.source'),
    dateOfIssue: julianDateWithYear(issuance.date, 'issuance.date'),
    documentType: 'B',
    issuer: checked(issuance.issuer, DESIGNATOR, 'issuance.issuer', 'an airline designator'),
    // Always written, blank when there are no bags, so the version 8 unique part has its usual shape.
    baggageTag: tags[0] ?? '',
    baggageTag2: tags[1],
    baggageTag3: tags[2],
  });
  return writeItems(VERSION_HEADER, {
    versionBeginning: VERSION_BEGINNING,
    version: BCBP_VERSION,
    uniqueSize: toHexSize(unique.length),
  }) + unique;
}

function repeatedValues(
  leg: BoardingPassLeg,
  field: (name: string) => string,
): Record<RepeatedConditionalKey, string> {
  const designator = (value: string, name: string): string => checked(value, DESIGNATOR, field(name), 'an airline designator');
  const ticket =
    leg.ticketNumber === undefined
      ? ''
      : checked(leg.ticketNumber, /^\d{13}$/, field('ticketNumber'), 'a 13-digit ticket number');
  const ff = leg.frequentFlyer;
  return {
    airlineNumericCode: ticket.slice(0, 3),
    documentSerialNumber: ticket.slice(3),
    selecteeIndicator: optionalCode(leg.selectee, field('selectee')),
    documentVerification: optionalCode(leg.documentVerification, field('documentVerification')),
    // Without a code share the operating carrier is also the marketing carrier.
    marketingCarrier: designator(leg.marketingCarrier ?? leg.carrier, 'marketingCarrier'),
    frequentFlyerAirline: ff ? designator(ff.airline, 'frequentFlyer.airline') : '',
    frequentFlyerNumber: ff
      ? checked(ff.number, /^[A-Z0-9]{1,16}$/, field('frequentFlyer.number'), 'up to 16 letters and digits')
      : '',
    idAdIndicator: optionalCode(leg.idAdIndicator, field('idAdIndicator')),
    freeBaggageAllowance:
      leg.freeBaggageAllowance === undefined
        ? ''
        : checked(leg.freeBaggageAllowance, /^[A-Z0-9]{1,3}$/, field('freeBaggageAllowance'), 'an allowance such as 20K or 2PC'),
    fastTrack: leg.fastTrack === undefined ? ' ' : leg.fastTrack ? 'Y' : 'N',
  };
}

/** NNNN plus the suffix letter or a space: '123A' → '0123A', '7' → '0007 '. */
function flightNumber(value: string, field: string): string {
  const match = /^(\d{1,4})([A-Z]?)$/.exec(value.trim().toUpperCase());
  if (!match) throw new BcbpInputError(`"${value}" is not 1-4 digits with an optional letter`, field);
  return match[1].padStart(4, '0') + (match[2] || ' ');
}

/** NNNa: '1A' → '001A'. */
function seat(value: string, field: string): string {
  const match = /^(\d{1,3})([A-Z])$/.exec(value.trim().toUpperCase());
  if (!match || Number(match[1]) === 0) throw new BcbpInputError(`"${value}" is not a row 1-999 and a seat letter`, field);
  return match[1].padStart(3, '0') + match[2];
}

/** NNNN plus a space (no suffix letter for a numeric sequence): 25 → '0025 '. */
function sequenceNumber(value: number, field: string): string {
  if (!Number.isInteger(value) || value < 1 || value > 9999) {
    throw new BcbpInputError(`${value} is not an integer 1..9999`, field);
  }
  return String(value).padStart(4, '0') + ' ';
}

function airlineUse(value: string | undefined, field: string): string {
  if (value === undefined) return '';
  // Printable ASCII only: anything else would be multi-byte in the bar code and break the size fields.
  if (!/^[\x20-\x7e]*$/.test(value)) throw new BcbpInputError('only printable ASCII is allowed', field);
  return value;
}
