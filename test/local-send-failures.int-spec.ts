import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { LOCAL_FAILURES_BEFORE_UNREADY } from '../src/delivery/local-send-failures.service';
import { count, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

/**
 * A send that fails on our side — here the sandbox's outbox cannot be made, because a regular file sits where
 * its parent folder should be (ENOTDIR: tests run as root, so permissions would not stop them) — is logged as a
 * warning with its cause, and readiness names the channel until a send succeeds again.
 */
describe('local send failures: logged with their cause, shown in readiness, recovered from', () => {
  let root: string;
  let blocker: string;
  const lines: string[] = [];
  const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'notifier-unwritable-'));
    blocker = join(root, 'not-a-folder');
    writeFileSync(blocker, 'a file where the outbox parent folder should be');
    const capture = (chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
  });
  const service = useTestService(() => ({ OUTBOX_DIR: join(blocker, 'outbox'), LOG_FORMAT: 'json', LOG_LEVEL: 'log' }));
  afterAll(() => {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    rmSync(root, { recursive: true, force: true });
  });

  const logged = () =>
    lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as { level: string; context: string; message: string }];
      } catch {
        return [];
      }
    });

  it('warns with the cause, answers 503 naming the sandbox channel, and is ready again once a send succeeds', async () => {
    expect((await service.http('anonymous').get('/health/ready')).status).toBe(200);
    const passengers = Array.from({ length: LOCAL_FAILURES_BEFORE_UNREADY }, (_, i) =>
      passenger({ passengerId: `P${i}`, contacts: { whatsapp: `+3161000000${i}` }, consents: [{ channel: 'whatsapp', granted: true }] }),
    );
    const booking = bookingSnapshot('booking.confirmed', { bookingReference: 'DISK01', passengers, segments: [segment({ flightNumber: '7001' })] });
    await service.publisher.publish(booking.type, booking);

    const unready = await waitFor(async () => {
      const res = await service.http('anonymous').get('/health/ready');
      return res.status === 503 ? res : undefined;
    }, 30_000, 'readiness to report the failing channel');
    expect(unready.body).toMatchObject({
      status: 'unavailable',
      database: 'up',
      broker: 'up',
      failingChannels: [{ channel: 'whatsapp', adapter: 'sandbox', lastError: expect.stringContaining('ENOTDIR') }],
    });
    expect(unready.body.failingChannels[0].failures).toBeGreaterThanOrEqual(LOCAL_FAILURES_BEFORE_UNREADY);
    expect(unready.body.failingChannels[0].lastError).toContain(blocker);

    const warning = logged().find((l) => l.level === 'warn' && l.message.includes('failed on our side'));
    expect(warning?.message).toMatch(/^whatsapp send failed on our side \(sandbox\), will retry: outbox-write-failed: ENOTDIR: not a directory/);
    expect(warning?.message).not.toContain('+3161000000');
    // Nothing was lost: the messages wait for their retry (their attempts are written back in a batch, so
    // readiness may turn before the rows do).
    await waitFor(
      async () =>
        (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'DISK01' AND status = 'pending' AND attempts >= 1`)) ===
          LOCAL_FAILURES_BEFORE_UNREADY || undefined,
      30_000,
      'the failed attempts to be written back as pending',
    );

    // The operator fixes the disk: the file goes, the sandbox makes its folder on the next try.
    rmSync(blocker);
    await waitFor(async () => (await service.http('anonymous').get('/health/ready')).status === 200, 60_000, 'readiness to recover');
    await waitFor(
      async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'DISK01' AND status = 'delivered'`)) === LOCAL_FAILURES_BEFORE_UNREADY,
      60_000,
      'the retried messages to be delivered',
    );
    expect(logged().some((l) => l.level === 'log' && l.message.startsWith('whatsapp sends work again (sandbox)'))).toBe(true);
  });
});
