import { BcbpFormatError, decodeBcbp } from './bcbp-decoder';

/** Resolution 792 Attachment B example 1.2: KL home printed boarding pass (conditional version 5). */
const KLM = 'M1TEST/PETER          E24Z5RN AMSBRUKL 1733 019M008A0001 316>503  W0D0742497067621';
/** Attachment B example 2.1: UA kiosk, version 3, with airline use data. */
const UA =
  'M1ASKREN/TEST         EA272SL ORDNRTUA 0881 007F002K0303 15C>3180 K6007BUA              2901624760758980 UA UA EY975897            *30600    09  UAG    ';

function formatError(bcbp: string): BcbpFormatError {
  try {
    decodeBcbp(bcbp);
  } catch (error) {
    if (error instanceof BcbpFormatError) return error;
    throw error;
  }
  throw new Error(`decoded without error: ${bcbp}`);
}

const replaceAt = (s: string, index: number, text: string): string =>
  s.slice(0, index) + text + s.slice(index + text.length);

describe('decodeBcbp: Resolution 792 examples', () => {
  it('decodes the KLM example exactly', () => {
    expect(KLM).toHaveLength(82);
    const d = decodeBcbp(KLM);
    expect(d).toEqual({
      formatCode: 'M',
      numberOfLegs: 1,
      passengerName: 'TEST/PETER',
      surname: 'TEST',
      givenName: 'PETER',
      electronicTicketIndicator: 'E',
      version: 5,
      passengerDescription: '',
      sourceOfCheckIn: '',
      sourceOfIssuance: 'W',
      dateOfIssue: undefined,
      documentType: undefined,
      issuer: undefined,
      legs: [
        {
          pnr: '24Z5RN',
          from: 'AMS',
          to: 'BRU',
          carrier: 'KL',
          flightNumber: '1733',
          dayOfYear: 19,
          compartment: 'M',
          seat: '008A',
          sequenceNumber: '0001',
          passengerStatus: '3',
          airlineNumericCode: '074',
          documentSerialNumber: '2497067621',
          selectee: undefined,
          documentVerification: undefined,
          marketingCarrier: undefined,
          frequentFlyerAirline: undefined,
          frequentFlyerNumber: undefined,
          idAdIndicator: undefined,
          freeBaggageAllowance: undefined,
          fastTrack: undefined,
          airlineUse: undefined,
        },
      ],
    });
  });

  it('decodes the UA kiosk example (version 3, airline use data)', () => {
    const d = decodeBcbp(UA);
    expect(d.version).toBe(3);
    expect(d.passengerName).toBe('ASKREN/TEST');
    expect(d.passengerDescription).toBe('0');
    expect(d.sourceOfCheckIn).toBe('');
    expect(d.sourceOfIssuance).toBe('K');
    expect(d.dateOfIssue).toBe('6007');
    expect(d.documentType).toBe('B');
    expect(d.issuer).toBe('UA');
    expect(d.baggageTags).toEqual(['']);
    const [leg] = d.legs;
    expect(leg).toMatchObject({
      pnr: 'A272SL',
      from: 'ORD',
      to: 'NRT',
      carrier: 'UA',
      flightNumber: '0881',
      dayOfYear: 7,
      compartment: 'F',
      seat: '002K',
      sequenceNumber: '0303',
      passengerStatus: '1',
      airlineNumericCode: '016',
      documentSerialNumber: '2476075898',
      selectee: '0',
      documentVerification: '',
      marketingCarrier: 'UA',
      frequentFlyerAirline: 'UA',
      frequentFlyerNumber: 'EY975897',
      idAdIndicator: '',
      freeBaggageAllowance: '',
      fastTrack: undefined,
      airlineUse: '*30600    09  UAG    ',
    });
  });
});

describe('decodeBcbp: malformed strings', () => {
  it('rejects a non-numeric Julian date at its position', () => {
    const e = formatError(replaceAt(KLM, 44, '0A9'));
    expect(e).toBeInstanceOf(BcbpFormatError);
    expect(e).toBeInstanceOf(Error);
    expect(e.position).toBe(44);
    expect(e.item).toBe('Date of Flight (Julian Date)');
  });

  it('rejects day 000 and day 367', () => {
    expect(formatError(replaceAt(KLM, 44, '000')).position).toBe(44);
    expect(formatError(replaceAt(KLM, 44, '367')).position).toBe(44);
  });

  it('rejects more legs declared than present', () => {
    const e = formatError(replaceAt(KLM, 1, '2'));
    expect(e.item).toBe('Number of Legs Encoded');
    expect(e.position).toBe(82);
  });

  it('rejects fewer legs declared than present', () => {
    const twoLegs = 'M2TEST/PETER          E24Z5RN AMSBRUKL 1733 019M008A0001 30024Z5RN BRUAMSKL 1734 020M008A0001 300';
    expect(decodeBcbp(twoLegs).legs.map((l) => l.from)).toEqual(['AMS', 'BRU']);
    const e = formatError(replaceAt(twoLegs, 1, '1'));
    expect(e.item).toBe('Number of Legs Encoded');
    expect(e.position).toBe(60);
  });

  it('rejects a leg count that is not 1-4', () => {
    expect(formatError(replaceAt(KLM, 1, 'X'))).toMatchObject({ position: 1, item: 'Number of Legs Encoded' });
    expect(formatError(replaceAt(KLM, 1, '5'))).toMatchObject({ position: 1, item: 'Number of Legs Encoded' });
  });

  it('rejects a variable size field larger than the rest of the string', () => {
    const e = formatError(replaceAt(KLM, 58, '17'));
    expect(e.item).toBe('Field size of variable size field');
    expect(e.position).toBe(58);
  });

  it('rejects a size field that is not hex', () => {
    expect(formatError(replaceAt(KLM, 58, '1G'))).toMatchObject({ position: 58, item: 'Field size of variable size field' });
  });

  it('rejects a unique size exceeding the variable size field', () => {
    expect(formatError(replaceAt(KLM, 62, '20'))).toMatchObject({
      position: 62,
      item: 'Field size of following structured message - unique',
    });
  });

  it('rejects a repeated size exceeding the variable size field', () => {
    expect(formatError(replaceAt(KLM, 67, '0E'))).toMatchObject({
      position: 67,
      item: 'Field size of following structured message - repeated',
    });
  });

  it('rejects conditional data without the version marker', () => {
    expect(formatError(replaceAt(KLM, 60, '<'))).toMatchObject({ position: 60, item: 'Beginning of version number' });
  });

  it('rejects a name without slash', () => {
    expect(formatError(replaceAt(KLM, 2, 'TESTPETER '))).toMatchObject({ position: 2, item: 'Passenger Name' });
  });

  it('rejects another format code', () => {
    expect(formatError(replaceAt(KLM, 0, 'S'))).toMatchObject({ position: 0, item: 'Format Code' });
  });

  it('rejects a truncated string, naming the first missing item', () => {
    expect(formatError(KLM.slice(0, 40))).toMatchObject({ position: 39, item: 'Flight Number' });
    expect(formatError('')).toMatchObject({ position: 0, item: 'Format Code' });
  });

  it('rejects garbage after the last leg', () => {
    expect(formatError(`${KLM}XYZ`)).toMatchObject({ position: 82, item: 'Number of Legs Encoded' });
  });

  it('rejects security data whose length does not match', () => {
    expect(formatError(`${KLM}^105ABC`)).toMatchObject({ position: 84, item: 'Length of Security Data' });
    expect(formatError(`${KLM}^102ABC`)).toMatchObject({ position: 88, item: 'Security Data' });
  });

  it('mentions item and position in the message', () => {
    expect(formatError(replaceAt(KLM, 44, 'ABC')).message).toMatch(/Date of Flight \(Julian Date\).*position 44/);
  });
});
