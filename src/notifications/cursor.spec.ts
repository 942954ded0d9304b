import { decodeCursor, encodeCursor } from './cursor';

const forge = (text: string) => Buffer.from(text).toString('base64url');

describe('cursor', () => {
  it('round-trips the position of the last item, to the microsecond', () => {
    const position = { createdMicros: '1796110500123456', id: '7b0c5d1e-4a5f-4c1e-9f2a-1d2e3f4a5b6c' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('refuses anything that was not made by encodeCursor', () => {
    expect(decodeCursor('bm9wZQ')).toBeUndefined();
    expect(decodeCursor('')).toBeUndefined();
  });

  it('refuses a forged cursor whose id has the right length and characters but is no UUID', () => {
    expect(decodeCursor(forge(`1796110500123456|${'-'.repeat(36)}`))).toBeUndefined();
    expect(decodeCursor(forge('1796110500123456|7b0c5d1e4a5f4c1e9f2a1d2e3f4a5b6c----'))).toBeUndefined();
    expect(decodeCursor(forge('1796110500123456|7b0c5d1e-4a5f-4c1e-9f2a-1d2e3f4a5b6c|extra'))).toBeUndefined();
    expect(decodeCursor(forge('1796110500123456|7B0C5D1E-4A5F-4C1E-9F2A-1D2E3F4A5B6C'))).toBeUndefined();
    expect(decodeCursor(forge(`${'9'.repeat(19)}|7b0c5d1e-4a5f-4c1e-9f2a-1d2e3f4a5b6c`))).toBeUndefined();
  });
});
