import type { INestApplication } from '@nestjs/common';
import { ReplayJobRepository } from '../../src/ops/replay/replay-job.repository';

/**
 * Holds each replay job before every item after its first, until released. A test that cancels a job while its
 * first item waits on a lock needs this to know where the cancellation lands: once that item commits, PostgreSQL
 * wakes the waiting cancellation, but the job's next item may lock the replay's row before it does (a new locker of
 * a row no longer locked does not queue behind a woken waiter), and on busy cores it may win every such race until
 * the job is done and the cancellation is refused.
 */
export function holdReplaysAfterFirstItem(app: INestApplication): { release: () => void } {
  const jobs = app.get(ReplayJobRepository, { strict: false });
  const lockItem = jobs.lockItem.bind(jobs);
  const started = new Set<string>();
  let open!: () => void;
  const released = new Promise<void>((resolve) => (open = resolve));
  const spy = jest.spyOn(jobs, 'lockItem').mockImplementation(async (...args: Parameters<ReplayJobRepository['lockItem']>) => {
    const [, replayId] = args;
    if (started.has(replayId)) await released;
    started.add(replayId);
    return lockItem(...args);
  });
  return {
    release: () => {
      open();
      spy.mockRestore();
    },
  };
}
