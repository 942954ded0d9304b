import { formatTable } from './format-table';

describe('formatTable', () => {
  it('aligns columns under their headers', () => {
    const table = formatTable([
      { type: 'flight-delay', channel: 'sms' },
      { type: 'gate-change', channel: 'whatsapp' },
    ]);
    expect(table.split('\n')).toEqual([
      'type          channel',
      '------------  --------',
      'flight-delay  sms',
      'gate-change   whatsapp',
    ]);
  });

  it('says so when there is nothing to show', () => {
    expect(formatTable([])).toBe('(none)');
  });
});
