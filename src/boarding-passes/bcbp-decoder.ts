import { BcbpFormatError } from './bcbp-errors';
import {
  REPEATED_CONDITIONAL,
  REPEATED_MANDATORY,
  REPEATED_SIZE,
  SECURITY_BEGINNING,
  SECURITY_DATA_ITEM,
  SECURITY_HEADER,
  UNIQUE_CONDITIONAL,
  UNIQUE_MANDATORY,
  VERSION_BEGINNING,
  VERSION_HEADER,
  type BcbpItem,
} from './bcbp-layout';
import type { DecodedBcbp, DecodedLeg, DecodedSecurity } from './bcbp-types';

export { BcbpFormatError } from './bcbp-errors';
export type { DecodedBcbp, DecodedLeg, DecodedSecurity } from './bcbp-types';

const LEGS_ITEM = UNIQUE_MANDATORY[1].item;

/** Reads items left to right and knows where it is, so every error can name a position. */
class Reader {
  pos = 0;

  constructor(readonly text: string) {}

  take(spec: BcbpItem, end = this.text.length): string {
    if (this.pos + spec.length > end) {
      throw new BcbpFormatError(`needs ${spec.length} characters, ${Math.max(end - this.pos, 0)} left`, this.pos, spec.item);
    }
    const value = this.text.slice(this.pos, this.pos + spec.length);
    this.pos += spec.length;
    return value;
  }

  /** A 2-hex-digit size field; returns where the sized data ends, after checking it fits within `end`. */
  sizedEnd(spec: BcbpItem, end: number): number {
    const at = this.pos;
    const raw = this.take(spec, end);
    if (!/^[0-9A-Fa-f]{2}$/.test(raw)) throw new BcbpFormatError(`"${raw}" is not a hex size`, at, spec.item);
    const size = parseInt(raw, 16);
    if (this.pos + size > end) {
      throw new BcbpFormatError(`says ${size} characters follow but only ${end - this.pos} remain`, at, spec.item);
    }
    return this.pos + size;
  }

  /**
   * Conditional items in table order until `end`: a lower version or a shorter section simply has
   * fewer items. A final item cut short is kept as far as it goes, since some issuers drop trailing blanks.
   */
  items<K extends string>(table: readonly BcbpItem<K>[], end: number): Partial<Record<K, string>> {
    const out: Partial<Record<K, string>> = {};
    for (const spec of table) {
      if (this.pos >= end) break;
      const length = Math.min(spec.length, end - this.pos);
      out[spec.key] = this.text.slice(this.pos, this.pos + length).trimEnd();
      this.pos += length;
    }
    this.pos = end;
    return out;
  }
}

/**
 * Decodes a format 'M' BCBP of any conditional version up to 8, trusting the sizes it declares.
 * @throws BcbpFormatError with the position and item of the first thing that does not fit the format.
 */
export function decodeBcbp(bcbp: string): DecodedBcbp {
  const r = new Reader(bcbp);
  const [formatSpec, legsSpec, nameSpec, eTicketSpec] = UNIQUE_MANDATORY;
  const formatCode = r.take(formatSpec);
  if (formatCode !== 'M') throw new BcbpFormatError(`format code "${formatCode}" is not M`, 0, formatSpec.item);
  const legsRaw = r.take(legsSpec);
  if (!/^[1-4]$/.test(legsRaw)) throw new BcbpFormatError(`"${legsRaw}" is not a leg count of 1 to 4`, 1, legsSpec.item);
  const numberOfLegs = Number(legsRaw);
  const nameAt = r.pos;
  const passengerName = r.take(nameSpec).trimEnd();
  const slash = passengerName.indexOf('/');
  if (slash < 1) throw new BcbpFormatError('name has no "/" after the surname', nameAt, nameSpec.item);
  const electronicTicketIndicator = r.take(eTicketSpec).trim();

  const result: DecodedBcbp = {
    formatCode,
    numberOfLegs,
    passengerName,
    surname: passengerName.slice(0, slash),
    givenName: passengerName.slice(slash + 1),
    electronicTicketIndicator,
    legs: [],
  };
  for (let i = 0; i < numberOfLegs; i++) {
    if (r.pos >= bcbp.length || bcbp[r.pos] === SECURITY_BEGINNING) {
      throw new BcbpFormatError(`number of legs says ${numberOfLegs} but leg ${i + 1} is missing`, r.pos, LEGS_ITEM);
    }
    result.legs.push(readLeg(r, i === 0 ? result : undefined));
  }
  if (r.pos < bcbp.length) {
    if (bcbp[r.pos] !== SECURITY_BEGINNING) {
      throw new BcbpFormatError(`data after leg ${numberOfLegs}, more legs than encoded`, r.pos, LEGS_ITEM);
    }
    result.security = readSecurity(r);
  }
  return result;
}

/** One leg; the first one also carries the unique conditional items, written into `first`. */
function readLeg(r: Reader, first: DecodedBcbp | undefined): DecodedLeg {
  const v: Partial<Record<(typeof REPEATED_MANDATORY)[number]['key'], string>> = {};
  let dateAt = 0;
  for (const spec of REPEATED_MANDATORY.slice(0, -1)) {
    if (spec.key === 'flightDate') dateAt = r.pos;
    v[spec.key] = r.take(spec);
  }
  const date = v.flightDate ?? '';
  const dayOfYear = Number(date);
  if (!/^\d{3}$/.test(date) || dayOfYear < 1 || dayOfYear > 366) {
    throw new BcbpFormatError(`"${date}" is not a day of the year`, dateAt, REPEATED_MANDATORY[5].item);
  }
  const end = r.sizedEnd(REPEATED_MANDATORY[10], r.text.length);
  if (first && r.pos < end) readUnique(r, end, first);

  let conditional: Partial<Record<(typeof REPEATED_CONDITIONAL)[number]['key'], string>> = {};
  if (r.pos < end) conditional = r.items(REPEATED_CONDITIONAL, r.sizedEnd(REPEATED_SIZE, end));
  const airlineUse = r.text.slice(r.pos, end);
  r.pos = end;
  return {
    pnr: trimmed(v.pnr),
    from: trimmed(v.from),
    to: trimmed(v.to),
    carrier: trimmed(v.carrier),
    flightNumber: trimmed(v.flightNumber),
    dayOfYear,
    compartment: trimmed(v.compartment),
    seat: trimmed(v.seat),
    sequenceNumber: trimmed(v.sequenceNumber),
    passengerStatus: trimmed(v.passengerStatus),
    airlineNumericCode: conditional.airlineNumericCode,
    documentSerialNumber: conditional.documentSerialNumber,
    selectee: conditional.selecteeIndicator,
    documentVerification: conditional.documentVerification,
    marketingCarrier: conditional.marketingCarrier,
    frequentFlyerAirline: conditional.frequentFlyerAirline,
    frequentFlyerNumber: conditional.frequentFlyerNumber,
    idAdIndicator: conditional.idAdIndicator,
    freeBaggageAllowance: conditional.freeBaggageAllowance,
    fastTrack: conditional.fastTrack,
    airlineUse: airlineUse === '' ? undefined : airlineUse,
  };
}

function readUnique(r: Reader, end: number, into: DecodedBcbp): void {
  const [beginningSpec, versionSpec, sizeSpec] = VERSION_HEADER;
  const at = r.pos;
  const beginning = r.take(beginningSpec, end);
  if (beginning !== VERSION_BEGINNING) {
    const message = `"${beginning}" where "${VERSION_BEGINNING}" should start the conditional items`;
    throw new BcbpFormatError(message, at, beginningSpec.item);
  }
  const version = r.take(versionSpec, end);
  if (!/^\d$/.test(version)) throw new BcbpFormatError(`"${version}" is not a version digit`, at + 1, versionSpec.item);
  const u = r.items(UNIQUE_CONDITIONAL, r.sizedEnd(sizeSpec, end));
  into.version = Number(version);
  into.passengerDescription = u.passengerDescription;
  into.sourceOfCheckIn = u.sourceOfCheckIn;
  into.sourceOfIssuance = u.sourceOfIssuance;
  into.dateOfIssue = u.dateOfIssue;
  into.documentType = u.documentType;
  into.issuer = u.issuer;
  const tags = [u.baggageTag, u.baggageTag2, u.baggageTag3].filter((t): t is string => t !== undefined);
  if (tags.length > 0) into.baggageTags = tags;
}

function readSecurity(r: Reader): DecodedSecurity {
  const signedLength = r.pos;
  const [beginningSpec, typeSpec, lengthSpec] = SECURITY_HEADER;
  r.take(beginningSpec);
  const type = r.take(typeSpec);
  const end = r.sizedEnd(lengthSpec, r.text.length);
  if (end !== r.text.length) {
    throw new BcbpFormatError('characters after the security data', end, SECURITY_DATA_ITEM);
  }
  return { type, data: r.text.slice(r.pos, end), signedLength };
}

function trimmed(value: string | undefined): string {
  return (value ?? '').trimEnd();
}
