import type { EntityManager } from 'typeorm';
import { HeldWrites } from './held-writes';

describe('HeldWrites', () => {
  const m = {} as EntityManager;
  const other = {} as EntityManager;

  it('keeps nothing for a transaction that does not hold back', () => {
    const held = new HeldWrites<string>();
    expect(held.hold(m, 'a', 'A')).toBe(false);
    expect(held.take(m)).toEqual([]);
  });

  it('hands over what one transaction holds, in order, a key held again in its later place', () => {
    const held = new HeldWrites<string>();
    held.holdWithin(m);
    expect([held.hold(m, 'a', 'A1'), held.hold(m, 'b', 'B'), held.hold(m, 'a', 'A2')]).toEqual([true, true, true]);
    expect(held.has(m, 'a')).toBe(true);
    expect(held.has(other, 'a')).toBe(false);
    expect(held.take(m)).toEqual(['B', 'A2']);
    expect(held.take(m)).toEqual([]);
  });

  it('hands over only what the filter picks and keeps the rest', () => {
    const held = new HeldWrites<string>();
    held.holdWithin(m);
    for (const v of ['x1', 'y1', 'x2']) held.hold(m, v, v);
    expect(held.take(m, (v) => v.startsWith('x'))).toEqual(['x1', 'x2']);
    expect(held.take(m)).toEqual(['y1']);
  });
});
