import { GroupCommitBatcher } from '../common/group-commit-batcher';
import { ingestWeight } from './ingest-weight';

describe('ingestWeight', () => {
  it("weighs a flight's news a whole batch and any other event one", () => {
    expect(ingestWeight('flight.status.changed', 256)).toBe(256);
    expect(ingestWeight('flight.schedule.changed', 16)).toBe(16);
    expect(ingestWeight('booking.confirmed', 256)).toBe(1);
    expect(ingestWeight('checkin.completed', 256)).toBe(1);
  });

  it("puts each flight's news in a batch of its own, between batches of the other events", async () => {
    const batches: string[][] = [];
    const batcher = new GroupCommitBatcher<string>(8, 4, async (batch) => void batches.push(batch), (key) => ingestWeight(key, 4));
    for (const key of ['booking.confirmed', 'checkin.completed', 'flight.status.changed', 'flight.status.changed', 'booking.changed', 'booking.cancelled'])
      batcher.add(key);
    await batcher.idle();
    expect(batches).toEqual([['booking.confirmed', 'checkin.completed'], ['flight.status.changed'], ['flight.status.changed'], ['booking.changed', 'booking.cancelled']]);
  });
});
