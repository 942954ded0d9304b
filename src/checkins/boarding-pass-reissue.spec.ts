import { outdatesBoardingPass } from './boarding-pass-reissue';

describe('outdatesBoardingPass', () => {
  it('is a gate move or a new departure time (later or earlier)', () => {
    expect(outdatesBoardingPass([{ type: 'gate-change', previous: { departureGate: 'D7' } }])).toBe(true);
    expect(outdatesBoardingPass([{ type: 'flight-delay', delay: { minutes: 40, earlier: false }, previous: { estimatedDeparture: '2026-12-01T07:35:00Z' } }])).toBe(true);
    expect(outdatesBoardingPass([{ type: 'flight-delay', delay: { minutes: -20, earlier: true } }])).toBe(true);
  });

  it('is not a terminal-only move, boarding, a cancellation or the baggage belt', () => {
    expect(outdatesBoardingPass([{ type: 'gate-change', previous: { departureTerminal: '1' } }])).toBe(false);
    expect(outdatesBoardingPass([{ type: 'boarding-started' }, { type: 'baggage-belt' }])).toBe(false);
    expect(outdatesBoardingPass([{ type: 'flight-cancellation' }])).toBe(false);
    expect(outdatesBoardingPass([])).toBe(false);
  });
});
