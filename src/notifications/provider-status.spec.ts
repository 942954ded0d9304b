import { movesForward } from './provider-status';

describe('movesForward', () => {
  it('lets a status advance', () => {
    expect(movesForward('sent', 'delivered')).toBe(true);
    expect(movesForward('delivered', 'read')).toBe(true);
    expect(movesForward('sent', 'failed')).toBe(true);
    expect(movesForward('sending', 'sent')).toBe(true);
  });

  it('never moves backwards, repeats or reopens a closed notification', () => {
    expect(movesForward('read', 'delivered')).toBe(false);
    expect(movesForward('delivered', 'delivered')).toBe(false);
    expect(movesForward('delivered', 'failed')).toBe(false);
    expect(movesForward('cancelled', 'delivered')).toBe(false);
    expect(movesForward('superseded', 'sent')).toBe(false);
  });
});
