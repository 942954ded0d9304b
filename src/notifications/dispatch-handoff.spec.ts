import { DispatchHandoff, HandoffLane } from './dispatch-handoff';
import type { DispatchRepository } from './notification-dispatch.repository';
import type { NotificationRecord } from './notification-records';

function record(id: string, channel: NotificationRecord['channel'] = 'sms'): NotificationRecord {
  return { id, channel, attempts: 1, status: 'sending' } as NotificationRecord;
}

function setUp(lane: Partial<HandoffLane> = {}) {
  const putBack: string[][] = [];
  const repository = { putBack: async (records: NotificationRecord[]) => putBack.push(records.map((r) => r.id)) } as unknown as DispatchRepository;
  const handoff = new DispatchHandoff(repository);
  let woken = 0;
  handoff.open('sms', { capacity: 3, claimSeconds: 60, ready: () => woken++, ...lane });
  handoff.claimed('sms', false);
  return { handoff, putBack, woken: () => woken };
}

describe('DispatchHandoff', () => {
  it('gives places up to the room, hands the stored records over on commit and wakes the lane', async () => {
    const { handoff, woken } = setUp();
    const reservation = handoff.reserve();
    expect([1, 2, 3, 4].map(() => reservation.place('sms'))).toEqual([60, 60, 60, undefined]);
    expect(reservation.place('email')).toBeUndefined(); // not open
    reservation.stored(record('a'));
    reservation.stored(record('b')); // the third place's plan was a duplicate key
    expect(await handoff.take('sms', 10)).toEqual([]); // nothing before the commit
    await reservation.commit();
    expect(woken()).toBe(1);
    expect((await handoff.take('sms', 1)).map((r) => r.id)).toEqual(['a']);
    expect((await handoff.take('sms', 5)).map((r) => r.id)).toEqual(['b']);
  });

  it('gives no place before a claim has found the channel caught up', () => {
    const handoff = new DispatchHandoff({} as DispatchRepository);
    handoff.open('sms', { capacity: 3, claimSeconds: 60, ready: () => undefined });
    expect(handoff.reserve().place('sms')).toBeUndefined();
    handoff.claimed('sms', true);
    expect(handoff.reserve().place('sms')).toBeUndefined();
    handoff.claimed('sms', false);
    expect(handoff.reserve().place('sms')).toBe(60);
  });

  it('gives no place once the room ran out, until a claim comes back with less than a full batch', async () => {
    const { handoff } = setUp({ capacity: 1 });
    const first = handoff.reserve();
    expect(first.place('sms')).toBe(60);
    expect(first.place('sms')).toBeUndefined(); // stored pending, in PostgreSQL
    first.stored(record('a'));
    await first.commit();
    await handoff.take('sms', 1); // room again, but notifications went to PostgreSQL meanwhile: stay behind them
    expect(handoff.reserve().place('sms')).toBeUndefined();
    handoff.claimed('sms', true);
    expect(handoff.reserve().place('sms')).toBeUndefined();
    handoff.claimed('sms', false);
    expect(handoff.reserve().place('sms')).toBe(60);
  });

  it('frees the places of a transaction that rolled back', () => {
    const { handoff } = setUp({ capacity: 2 });
    const failed = handoff.reserve();
    failed.place('sms');
    failed.place('sms');
    failed.cancel();
    const next = handoff.reserve();
    expect([next.place('sms'), next.place('sms')]).toEqual([60, 60]);
  });

  it('puts back in line what waited when the channel closes, and what a transaction stores after that', async () => {
    const { handoff, putBack } = setUp();
    const early = handoff.reserve();
    early.place('sms');
    early.stored(record('a'));
    await early.commit();
    const late = handoff.reserve();
    late.place('sms');
    late.stored(record('b'));
    await handoff.close('sms');
    await late.commit();
    expect(putBack).toEqual([['a'], ['b']]);
    expect(await handoff.take('sms', 5)).toEqual([]);
    expect(handoff.reserve().place('sms')).toBeUndefined();
  });

  it('puts back in line, instead of handing out, what waited more than half its lease', async () => {
    const { handoff, putBack } = setUp({ claimSeconds: 10 });
    const reservation = handoff.reserve();
    reservation.place('sms');
    reservation.place('sms');
    reservation.stored(record('old'));
    reservation.stored(record('older'));
    await reservation.commit();
    expect(await handoff.take('sms', 5, Date.now() + 5_001)).toEqual([]);
    expect(putBack).toEqual([['old', 'older']]);
  });

  it('waits at shutdown for transactions holding places, so they can put theirs back', async () => {
    const { handoff, putBack } = setUp();
    const reservation = handoff.reserve();
    reservation.place('sms');
    reservation.stored(record('a'));
    const closing = handoff.closeAll(5_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await reservation.commit();
    await closing;
    expect(putBack).toEqual([['a']]);
  });
});
