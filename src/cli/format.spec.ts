import { UsageError } from './io';
import { detail, parseInstant, table, whatsappTemplateLines } from './format';

describe('CLI formatting', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');

  it('reads --since/--until as a duration back from now or an RFC 3339 instant', () => {
    expect(parseInstant('2h', '--since', now)).toBe('2026-12-01T08:00:00.000Z');
    expect(parseInstant('30m', '--since', now)).toBe('2026-12-01T09:30:00.000Z');
    expect(parseInstant('1d', '--since', now)).toBe('2026-11-30T10:00:00.000Z');
    expect(parseInstant('1w', '--since', now)).toBe('2026-11-24T10:00:00.000Z');
    expect(parseInstant('2026-12-01T06:00:00+01:00', '--since', now)).toBe('2026-12-01T05:00:00.000Z');
    expect(parseInstant('2026-12-01', '--until', now)).toBe('2026-12-01T00:00:00.000Z');
    for (const bad of ['yesterday', '2h ago', '-2h', '2026-13-01T00:00:00Z', '2026-12-01T06:00:00']) {
      expect(() => parseInstant(bad, '--since', now)).toThrow(UsageError);
    }
  });

  it('aligns columns and shows empty cells as -', () => {
    expect(table(['A', 'LONGER', 'C'], [['x', null, 'last'], ['yy', 3, '']])).toBe('A   LONGER  C\nx   -       last\nyy  3       -\n');
  });

  it('prints timeline details as key=value, quoting text with spaces', () => {
    expect(detail({ code: '131026', message: 'Message undeliverable', attempt: 1, skip: null })).toBe('code=131026 message="Message undeliverable" attempt=1');
  });

  it('prints a WhatsApp template with its language and numbered parameters', () => {
    const template = { name: 'gate_change__gate__0e9fe5', language: 'en_GB', body: 'Dear {{1}}, gate *{{2}}* (was {{3}}).', parameters: ['Luc', 'F9', 'E4'] };
    expect(whatsappTemplateLines(template)).toBe(
      '  WhatsApp template: gate_change__gate__0e9fe5 (en_GB)\n  parameters:\n    {{1}}  Luc\n    {{2}}  F9\n    {{3}}  E4\n',
    );
    expect(whatsappTemplateLines({ ...template, header: 'document', parameters: [] })).toContain('(en_GB), document header\n  parameters:\n    (none)');
  });
});
