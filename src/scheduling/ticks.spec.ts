import { tickOf } from './ticks';

describe('tickOf', () => {
  it('names a run by the start of its minute or hour, in UTC', () => {
    const at = new Date('2026-12-01T07:35:42.123Z');
    expect(tickOf(at, 'minute')).toEqual(new Date('2026-12-01T07:35:00Z'));
    expect(tickOf(at, 'hour')).toEqual(new Date('2026-12-01T07:00:00Z'));
    expect(tickOf(new Date('2026-12-01T07:35:00Z'), 'minute')).toEqual(new Date('2026-12-01T07:35:00Z'));
  });
});
