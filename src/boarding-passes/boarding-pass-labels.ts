/** Printed labels. Keep the keys in sync across languages; the type enforces it. */
const EN = {
  boardingPass: 'Boarding pass',
  passenger: 'Passenger',
  flight: 'Flight',
  date: 'Date',
  departure: 'Departure',
  arrival: 'Arrival',
  boarding: 'Boarding',
  gate: 'Gate',
  terminal: 'Terminal',
  group: 'Group',
  seat: 'Seat',
  sequence: 'Seq. no.',
  cabin: 'Cabin',
  bookingReference: 'Booking ref.',
  frequentFlyer: 'Frequent flyer',
  operatedBy: 'Operated by',
  from: 'From',
  to: 'To',
} as const;

export type BoardingPassLabels = Record<keyof typeof EN, string>;

const NL: BoardingPassLabels = {
  boardingPass: 'Instapkaart',
  passenger: 'Passagier',
  flight: 'Vlucht',
  date: 'Datum',
  departure: 'Vertrek',
  arrival: 'Aankomst',
  boarding: 'Instappen',
  gate: 'Gate',
  terminal: 'Terminal',
  group: 'Groep',
  seat: 'Stoel',
  sequence: 'Volgnr.',
  cabin: 'Klasse',
  bookingReference: 'Boekingscode',
  frequentFlyer: 'Frequent flyer',
  operatedBy: 'Uitgevoerd door',
  from: 'Van',
  to: 'Naar',
};

const BY_LANGUAGE: Readonly<Record<string, BoardingPassLabels>> = { en: EN, nl: NL };

/** Labels for a BCP 47 locale by its language ('nl-BE' → nl); English for anything else. */
export function boardingPassLabels(locale: string): BoardingPassLabels {
  const language = locale.toLowerCase().split(/[-_]/)[0];
  return BY_LANGUAGE[language] ?? EN;
}
