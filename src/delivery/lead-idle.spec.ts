import { leadIdleMs } from './lead-idle';

describe('leadIdleMs (how long an idle channel sleeps)', () => {
  const base = { listening: true, pollMs: 100, capMs: 1_000 };

  it('sleeps until the next notification is due, rounded up to a whole millisecond', () => {
    expect(leadIdleMs({ ...base, nextDueInMs: 420.2 })).toBe(421);
  });

  it('never longer than the cap, so work no NOTIFY announces is found', () => {
    expect(leadIdleMs({ ...base, nextDueInMs: 3_600_000 })).toBe(1_000);
    expect(leadIdleMs({ ...base, nextDueInMs: null })).toBe(1_000);
  });

  it('polls as before when due rows are held elsewhere (a claim in progress on another loop or replica)', () => {
    expect(leadIdleMs({ ...base, nextDueInMs: 0 })).toBe(100);
    expect(leadIdleMs({ ...base, nextDueInMs: -250 })).toBe(100);
  });

  it('polls as before while it cannot hear the NOTIFY', () => {
    expect(leadIdleMs({ ...base, listening: false, nextDueInMs: null })).toBe(100);
    expect(leadIdleMs({ ...base, listening: false, nextDueInMs: 5_000 })).toBe(100);
  });
});
