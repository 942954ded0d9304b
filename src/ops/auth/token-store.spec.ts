import { TokenStore } from './token-store';

describe('TokenStore', () => {
  const store = new TokenStore([
    { role: 'viewer', token: 'viewer-token-0123456789' },
    { role: 'operator', token: 'operator-token-0123456789' },
  ]);

  it('knows each token by its role, naming the caller by a fingerprint, never the token', () => {
    const viewer = store.authenticate('viewer-token-0123456789');
    expect(viewer?.role).toBe('viewer');
    expect(viewer?.actor).toMatch(/^viewer:[0-9a-f]{8}$/);
    expect(store.authenticate('operator-token-0123456789')?.role).toBe('operator');
  });

  it('refuses anything else', () => {
    expect(store.authenticate('viewer-token-012345678')).toBeUndefined();
    expect(store.authenticate('')).toBeUndefined();
    expect(new TokenStore([]).empty).toBe(true);
  });
});
