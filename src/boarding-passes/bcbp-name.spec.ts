import { BcbpTransliterationError } from './bcbp-errors';
import { formatBcbpName, transliterateName } from './bcbp-name';

describe('transliterateName (ICAO Doc 9303 style rule)', () => {
  it.each([
    ['Müller', 'MUELLER'],
    ['Jäger', 'JAEGER'],
    ['Öztürk', 'OEZTUERK'],
    ['Strauß', 'STRAUSS'],
    ['Ångström', 'AANGSTROEM'],
    ['Ærø', 'AEROE'],
    ['Søren', 'SOEREN'],
    ['Œuvre', 'OEUVRE'],
    ['Þór', 'THOR'],
    ['Łukasz Wałęsa', 'LUKASZ WALESA'],
    ['Đorđević', 'DORDEVIC'],
    ['José', 'JOSE'],
    ['Héloïse', 'HELOISE'],
    ['Çelik', 'CELIK'],
    ['Dvořák', 'DVORAK'],
    ["O'Brien", 'OBRIEN'],
    ['Smith-Jones', 'SMITH JONES'],
    ['  van   der  Berg ', 'VAN DER BERG'],
    ['d’Artagnan', 'DARTAGNAN'],
    ['Anne-Marie 2nd', 'ANNE MARIE ND'],
  ])('%s → %s', (input, expected) => {
    expect(transliterateName(input)).toBe(expected);
  });

  it('treats decomposed and composed umlauts alike', () => {
    expect(transliterateName('Mu\u0308ller')).toBe('MUELLER');
  });

  it('drops scripts it has no rule for instead of passing them through', () => {
    expect(transliterateName('Иванов')).toBe('');
    expect(transliterateName('山田')).toBe('');
    expect(transliterateName('Ivan Иванов')).toBe('IVAN');
  });
});

describe('formatBcbpName', () => {
  it('writes SURNAME/GIVENNAME with the title appended', () => {
    expect(formatBcbpName({ surname: 'Desmarais', givenName: 'Luc', title: 'Mr' })).toBe('DESMARAIS/LUCMR');
    expect(formatBcbpName({ surname: 'Test', givenName: 'Peter' })).toBe('TEST/PETER');
  });

  it('handles 1- and 4-letter names', () => {
    expect(formatBcbpName({ surname: 'O', givenName: 'A' })).toBe('O/A');
    expect(formatBcbpName({ surname: 'Lund', givenName: 'Emma' })).toBe('LUND/EMMA');
  });

  it('allows a mononym (empty given name)', () => {
    expect(formatBcbpName({ surname: 'Sukarno', givenName: '' })).toBe('SUKARNO/');
  });

  it('drops the title first when the name is too long', () => {
    expect(formatBcbpName({ surname: 'Vandenberghe', givenName: 'Charlotte', title: 'Mrs' })).toBe('VANDENBERGHE/CHARLOT');
    expect(formatBcbpName({ surname: 'Vandenberg', givenName: 'Charlott', title: 'Mrs' })).toBe('VANDENBERG/CHARLOTT');
  });

  it('cuts the given name down to what fits, keeping the surname whole', () => {
    const name = formatBcbpName({ surname: 'Papadopoulos', givenName: 'Konstantinos' });
    expect(name).toBe('PAPADOPOULOS/KONSTAN');
    expect(name).toHaveLength(20);
  });

  it('keeps the slash and the initial, then cuts the surname, for very long surnames', () => {
    const name = formatBcbpName({ surname: 'Wolfeschlegelsteinhausenbergerdorff', givenName: 'Hubert' });
    expect(name).toBe('WOLFESCHLEGELSTEIN/H');
    expect(name).toHaveLength(20);
    expect(formatBcbpName({ surname: 'Wolfeschlegelsteinhausenbergerdorff', givenName: '' })).toBe(
      'WOLFESCHLEGELSTEINH/',
    );
  });

  it('does not leave a trailing space where a cut lands after a word', () => {
    expect(formatBcbpName({ surname: 'Rodriguez Garcia', givenName: 'Maria Jose' })).toBe('RODRIGUEZ GARCIA/MAR');
    // 16 characters of room end on the space after ABC.
    expect(formatBcbpName({ surname: 'Abc', givenName: 'Jean Pierre Abc Def' })).toBe('ABC/JEAN PIERRE ABC');
  });

  it('transliterates before measuring (ü counts as two letters)', () => {
    expect(formatBcbpName({ surname: 'Müller-Lüdenscheidt', givenName: 'Zoë' })).toBe('MUELLER LUEDENSCHE/Z');
  });

  it('throws a clear error for names with no Latin spelling', () => {
    expect(() => formatBcbpName({ surname: 'Иванов', givenName: 'Иван' })).toThrow(BcbpTransliterationError);
    try {
      formatBcbpName({ surname: 'Smith', givenName: '太郎' });
    } catch (error) {
      expect(error).toBeInstanceOf(BcbpTransliterationError);
      expect((error as BcbpTransliterationError).field).toBe('passenger.givenName');
      expect((error as Error).message).toMatch(/Latin/);
    }
    expect.assertions(4);
  });
});
