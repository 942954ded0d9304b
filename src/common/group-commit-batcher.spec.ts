import { GroupCommitBatcher } from './group-commit-batcher';

/** A flush whose batches the test finishes by hand. */
function recorder() {
  const batches: number[][] = [];
  const finish: (() => void)[] = [];
  const flush = (batch: number[]) => {
    batches.push(batch);
    return new Promise<void>((resolve) => finish.push(resolve));
  };
  return { batches, finish, flush };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommitBatcher', () => {
  it('sends a lone item on at once, in a batch of its own', async () => {
    const r = recorder();
    const batcher = new GroupCommitBatcher(4, 50, r.flush);
    batcher.add(1);
    await turn();
    expect(r.batches).toEqual([[1]]);
  });

  it('keeps items arriving together in one batch, in order, and opens another lane only past the batch size', async () => {
    const r = recorder();
    const batcher = new GroupCommitBatcher(2, 4, r.flush);
    for (let i = 0; i < 6; i++) batcher.add(i);
    await turn();
    expect(r.batches).toEqual([
      [0, 1, 2, 3],
      [4, 5],
    ]);
  });

  it('holds arrivals while every lane is busy and sends them together, in order, never above the batch size', async () => {
    const r = recorder();
    const batcher = new GroupCommitBatcher(1, 3, r.flush);
    batcher.add(0);
    await turn();
    for (let i = 1; i <= 5; i++) batcher.add(i);
    await turn();
    expect(r.batches).toEqual([[0]]);
    r.finish[0]();
    await turn();
    expect(r.batches).toEqual([[0], [1, 2, 3]]);
    r.finish[1]();
    await turn();
    expect(r.batches).toEqual([[0], [1, 2, 3], [4, 5]]);
  });

  it('keeps going after a batch fails, and says when it is idle', async () => {
    let calls = 0;
    const batcher = new GroupCommitBatcher<number>(1, 10, async () => {
      calls++;
      if (calls === 1) throw new Error('the database went away');
    });
    batcher.add(1);
    await batcher.idle();
    batcher.add(2);
    await batcher.idle();
    expect(calls).toBe(2);
  });

  it('bounds a batch by the weight of its items, taking an item heavier than the bound alone', async () => {
    const r = recorder();
    // Tens weigh 4 (heavier events), the rest 1.
    const batcher = new GroupCommitBatcher(3, 6, r.flush, (item: number) => (item >= 10 ? 4 : 1));
    for (const item of [1, 2, 10, 11, 3]) batcher.add(item);
    await turn();
    expect(r.batches).toEqual([
      [1, 2, 10],
      [11, 3],
    ]);
    const heavy = recorder();
    const alone = new GroupCommitBatcher(2, 3, heavy.flush, (item: number) => (item >= 10 ? 4 : 1));
    for (const item of [10, 1, 2]) alone.add(item);
    await turn();
    expect(heavy.batches).toEqual([[10], [1, 2]]);
  });
});
