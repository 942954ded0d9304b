import { decodeCursor, encodeCursor } from './cursor';

describe('cursor', () => {
  it('round-trips the position of the last item, to the microsecond', () => {
    const position = { createdMicros: '1796110500123456', id: '7b0c5d1e-4a5f-4c1e-9f2a-1d2e3f4a5b6c' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('refuses anything that was not made by encodeCursor', () => {
    expect(decodeCursor('bm9wZQ')).toBeUndefined();
    expect(decodeCursor('')).toBeUndefined();
  });
});
