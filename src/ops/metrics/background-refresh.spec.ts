import { BackgroundRefresh } from './background-refresh';

/** A run the test finishes by hand. */
function controllableWork() {
  const runs: (() => void)[] = [];
  const work = jest.fn(() => new Promise<void>((resolve) => runs.push(resolve)));
  return { work, finish: (i: number) => runs[i]() };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('BackgroundRefresh: one run in flight, at most once per interval, served from the last result', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 0));

  it('makes the first callers wait for the one run in flight, however many they are', async () => {
    const { work, finish } = controllableWork();
    const refresh = new BackgroundRefresh(work, 15_000, now);
    let answered = 0;
    const callers = Array.from({ length: 20 }, () => refresh.current().then(() => answered++));
    await tick();
    expect(work).toHaveBeenCalledTimes(1);
    expect(answered).toBe(0);
    finish(0);
    await Promise.all(callers);
    expect(answered).toBe(20);
  });

  it('serves the last result at once, starting one background run when the interval has passed', async () => {
    const { work, finish } = controllableWork();
    const refresh = new BackgroundRefresh(work, 15_000, now);
    const first = refresh.current();
    finish(0);
    await first;

    clock = 14_999;
    await refresh.current();
    expect(work).toHaveBeenCalledTimes(1);

    clock = 15_000;
    await Promise.all(Array.from({ length: 20 }, () => refresh.current())); // answered while run 2 is still in flight
    expect(work).toHaveBeenCalledTimes(2);

    clock = 60_000; // long past due, but run 2 is still in flight: no second one beside it
    await refresh.current();
    expect(work).toHaveBeenCalledTimes(2);

    finish(1);
    await refresh.settled();
    clock = 70_000; // the interval counts from the end of the last run (60,000)
    await refresh.current();
    expect(work).toHaveBeenCalledTimes(2);
  });

  it('keeps serving after a failed run and tries again when due', async () => {
    const work = jest.fn().mockRejectedValueOnce(new Error('database away')).mockResolvedValue(undefined);
    const refresh = new BackgroundRefresh(work, 1_000, now);
    await expect(refresh.current()).resolves.toBeUndefined();
    clock = 1_000;
    await refresh.current();
    await refresh.settled();
    expect(work).toHaveBeenCalledTimes(2);
  });

  it('refreshNow waits for a run that started after it was asked', async () => {
    const { work, finish } = controllableWork();
    const refresh = new BackgroundRefresh(work, 15_000, now);
    void refresh.current();
    let done = false;
    const fresh = refresh.refreshNow().then(() => (done = true));
    finish(0);
    await tick();
    expect(work).toHaveBeenCalledTimes(2);
    expect(done).toBe(false);
    finish(1);
    await fresh;
    expect(done).toBe(true);
  });
});
