import { templateNameProblems, templateProblems, whatsappParameter } from './whatsapp-template-rules';

describe('WhatsApp template rules', () => {
  const body = 'Dear {{1}}, your flight {{2}} departs from gate {{3}}. Have a good flight!';

  it('accepts a body Meta accepts, with fitting values', () => {
    expect(templateProblems(body, ['Luc', 'KL1234', 'D7'])).toEqual([]);
  });

  it.each([
    ['a parameter first', '{{1}}, your flight departs soon. Thank you.', ['Luc'], 'body starts with a parameter'],
    ['a parameter last', 'Your flight departs from gate {{1}}.', ['D7'], 'body ends with a parameter'],
    ['numbers out of order', 'Dear {{2}}, your flight {{1}} departs soon.', ['a', 'b'], 'parameter {{2}} is out of order (expected {{1}})'],
    ['a value missing', body, ['Luc', 'KL1234'], 'body has 3 parameters, 2 values given'],
    ['a new line in a value', body, ['Luc', 'KL\n1234', 'D7'], 'parameter 2 has a new line or tab'],
    ['five spaces in a value', body, ['Luc', 'KL1234', 'D7     E4'], 'parameter 3 has more than four consecutive spaces'],
    ['a body over 1,024 characters', `Dear {{1}}, ${'x'.repeat(1020)}`, ['Luc'], 'body has 1032 characters (at most 1024)'],
    ['a filled body over 1,024 characters', 'Dear {{1}}, your flight departs soon.', ['L'.repeat(1000)], 'the filled-in body has 1032 characters (at most 1024)'],
  ])('refuses %s', (_case, text, values, problem) => {
    expect(templateProblems(text, values)).toContain(problem);
  });

  it('keeps names to what Meta accepts', () => {
    expect(templateNameProblems('flight_delay__delayed_gate__3f9a1c')).toEqual([]);
    expect(templateNameProblems('Flight-Delay')).toEqual(['name "Flight-Delay" has characters other than lower-case letters, digits and underscores']);
    expect(templateNameProblems('a'.repeat(513))).toEqual(['name has 513 characters (at most 512)']);
  });

  it('makes any value a fitting parameter', () => {
    expect(whatsappParameter('Gate\tD7\r\n  (was   E4)')).toBe('Gate D7 (was E4)');
    expect(whatsappParameter(' \n ')).toBe('-');
    expect(templateProblems(body, ['Luc', whatsappParameter('KL\n1234'), whatsappParameter('D7     E4')])).toEqual([]);
  });
});
