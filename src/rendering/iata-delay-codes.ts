/**
 * IATA delay codes (Airport Handling Manual AHM 730, numeric form as carried in AHM 780 movement messages) and the
 * passenger wording each one gets: a key of the `delay-reasons` catalog namespace
 * (catalogs/<locale>/delay-reasons.json). The code list follows the table in Wikipedia's "IATA delay codes" and
 * EUROCONTROL's "IATA delay codes" definition (docs/decisions/0023-delay-reasons.md). Pure: no I/O.
 *
 * Granularity: a key of its own where passengers are commonly told the cause (late inbound aircraft, weather at
 * each end and en route, de-icing, air traffic control, airport restrictions, security, crew, technical), a shared
 * key where the codes of a family differ only in ways that matter to the airline (who pays), never to the
 * passenger. Every key's wording must be true of every code mapped to it. Codes with no meaning a passenger could
 * be told are left out, and so are numbers the list does not define: such a code gives no reason at all rather
 * than a wrong one.
 */

export const DELAY_REASONS_NAMESPACE = 'delay-reasons';

/** Every key of the namespace: catalogs/en/delay-reasons.json holds exactly these (checked by the spec). */
export const DELAY_REASON_KEYS = [
  'late-inbound-aircraft',
  'crew-connection',
  'connecting-load',
  'schedule-adjustment',
  'industrial-action',
  'weather-departure',
  'weather-destination',
  'weather-en-route',
  'de-icing',
  'snow-removal',
  'weather-ground-handling',
  'air-traffic-control',
  'destination-airport-restrictions',
  'departure-airport-restrictions',
  'security',
  'border-formalities',
  'airport-facilities',
  'aircraft-preparation',
  'check-in',
  'boarding',
  'baggage',
  'passenger-handling',
  'catering',
  'cargo-mail',
  'ground-handling',
  'technical-issue',
  'maintenance',
  'aircraft-change',
  'aircraft-inspection',
  'it-systems',
  'flight-preparation',
  'crew-availability',
] as const;
export type DelayReasonKey = (typeof DELAY_REASON_KEYS)[number];

/** Key → the AHM 730 codes it explains (the code's short description in the source, in the comment). */
const CODES_BY_KEY: Readonly<Record<DelayReasonKey, readonly string[]>> = {
  'airport-facilities': ['06', '87'], // no gate/stand (own airline activity); airport facilities, stands, ramp congestion
  'aircraft-preparation': ['09', '48'], // scheduled ground time below the minimum; cabin configuration adjustments
  'check-in': ['11', '12', '13'], // late check-in, check-in congestion, check-in error
  'passenger-handling': ['14', '16', '19', '92'], // oversales; passenger convenience/VIP; reduced mobility; through check-in error
  boarding: ['15'], // boarding: discrepancies and paging, missing checked-in passenger
  catering: ['17', '37'], // catering order; catering late delivery or loading
  baggage: ['18'], // baggage processing
  'cargo-mail': ['21', '22', '23', '24', '25', '26', '27', '28', '29'], // cargo and mail
  'ground-handling': ['31', '32', '33', '34', '35', '36', '38', '39'], // aircraft and ramp handling
  'technical-issue': ['41', '44', '45', '47'], // aircraft defects; spares and equipment; AOG spares; no stand-by aircraft
  maintenance: ['42', '43'], // scheduled maintenance late release; non-scheduled maintenance
  'aircraft-change': ['46'], // aircraft change for technical reasons
  'aircraft-inspection': ['51', '52'], // damage during flight / ground operations (the aircraft is inspected)
  'it-systems': ['55', '56', '57', '58'], // departure control, cargo, flight plan and other automated systems
  'flight-preparation': ['61', '62', '63', '65', '66', '68'], // flight plan, operational requirements, late crew boarding, crew requests
  'crew-availability': ['64', '67'], // flight deck / cabin crew shortage
  security: ['69', '85'], // captain's extraordinary security check; mandatory security
  'weather-departure': ['71'],
  'weather-destination': ['72', '84'], // destination station; ATFM due to weather at destination
  'weather-en-route': ['73'], // en route or alternate
  'de-icing': ['75'],
  'snow-removal': ['76'], // removal of snow, ice, water and sand from the airport
  'weather-ground-handling': ['77'], // ground handling impaired by adverse weather
  'air-traffic-control': ['81', '82'], // ATFM: en-route demand/capacity; ATC staff/equipment en route
  'destination-airport-restrictions': ['83', '88'], // ATFM restriction at destination; restrictions at destination airport
  'departure-airport-restrictions': ['89'], // restrictions at the airport of departure, ATS, start-up and pushback
  'border-formalities': ['86'], // immigration, customs, health
  'connecting-load': ['91'], // load connection, awaiting load from another flight
  'late-inbound-aircraft': ['93'], // aircraft rotation, late arrival from another flight or previous sector
  'crew-connection': ['94', '95'], // cabin crew / crew rotation, awaiting crew from another flight
  'schedule-adjustment': ['96'], // operations control: re-routing, diversion, consolidation, non-technical aircraft change
  'industrial-action': ['97', '98'], // within / outside own airline
};

/**
 * Defined by AHM 730 but deliberately without passenger wording: 00–05 are left to each airline to define, so their
 * meaning is unknown here; 99 is "other reason, not matching any code above", which tells a passenger nothing.
 */
export const UNEXPLAINED_DELAY_CODES: readonly string[] = ['00', '01', '02', '03', '04', '05', '99'];

const KEY_BY_CODE: ReadonlyMap<string, DelayReasonKey> = new Map(
  (Object.entries(CODES_BY_KEY) as [DelayReasonKey, readonly string[]][]).flatMap(([key, codes]) => codes.map((code) => [code, key] as const)),
);

/** The two-digit codes that have passenger wording, ascending. */
export const EXPLAINED_DELAY_CODES: readonly string[] = [...KEY_BY_CODE.keys()].sort();

/** Two digits, optionally an airline sub-code letter (AHM 731 / the MVT DLA element): "93", "93A". */
const DELAY_CODE = /^([0-9]{2})[A-Z]?$/;

/**
 * The `delay-reasons` catalog key explaining an IATA delay code to passengers, or undefined when the code has none
 * (unknown, airline-internal, "other", malformed). A sub-code letter refines the two digits; it is not explained.
 */
export function delayReasonKey(code: string | null | undefined): DelayReasonKey | undefined {
  const match = DELAY_CODE.exec(code ?? '');
  return match ? KEY_BY_CODE.get(match[1]) : undefined;
}
