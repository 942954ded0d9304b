import { ERASED, isContact, PersonalValues, personalValuesInEvent } from './personal-values';

describe('PersonalValues', () => {
  const values = new PersonalValues(['Li', 'Quernbrook', '+31612345678', 'li.q@example.com', 'X']);

  it('replaces whole words in any case, never parts of other words', () => {
    expect(values.scrubText('Dear Li Quernbrook, see you in Lisbon')).toBe(`Dear ${ERASED} ${ERASED}, see you in Lisbon`);
    expect(values.scrubText('QUERNBROOK/LI')).toBe(`${ERASED}/${ERASED}`);
    expect(values.scrubText('X marks the spot')).toBe('X marks the spot'); // one letter: left alone
  });

  it('replaces a phone number with or without its + and an e-mail address inside text', () => {
    expect(values.scrubText('to +31612345678 (wa_id 31612345678) and li.q@example.com.')).toBe(`to ${ERASED} (wa_id ${ERASED}) and ${ERASED}.`);
  });

  it('scrubs every string of a JSON value, keys included, and keeps numbers and structure', () => {
    const detail = { affected: 12, filter: { errorCode: 'bad number +31612345678' }, list: ['Li', 3, null], 'Quernbrook': true };
    expect(values.scrubJson(detail)).toEqual({ affected: 12, filter: { errorCode: `bad number ${ERASED}` }, list: [ERASED, 3, null], [ERASED]: true });
  });

  it('keeps only contacts when asked', () => {
    expect(values.contacts().values.sort()).toEqual(['+31612345678', '31612345678', 'li.q@example.com']);
    expect(isContact('Quernbrook')).toBe(false);
  });

  it('treats regular-expression characters in values literally', () => {
    expect(new PersonalValues(['a.b+c@x.org']).scrubText('a.b+c@x.org axb+c@x.org')).toBe(`${ERASED} axb+c@x.org`);
  });
});

describe('personalValuesInEvent', () => {
  it('finds names and contacts in an event body, and nothing in a body that is not JSON', () => {
    const body = Buffer.from(JSON.stringify({ data: { passengers: [{ givenName: 'Li', surname: 'Q', contacts: { sms: '+31600000000', email: 'a@b.c' } }] } }));
    expect(personalValuesInEvent(body).sort()).toEqual(['+31600000000', 'Li', 'Q', 'a@b.c']);
    expect(personalValuesInEvent(Buffer.from('{"givenName": "Li"'))).toEqual([]);
  });
});
