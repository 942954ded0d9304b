import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { ChannelRegistry } from '../src/channels/channel-registry.service';
import { run } from '../src/cli/main';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { REPLAY_LOCK_STATEMENT } from '../src/ops/replay/replay.repository';
import { holdReplaysAfterFirstItem } from './support/replay-gate';
import { ScriptedAdapter } from './support/scripted-adapter';
import { count, OPERATOR_TOKEN, VIEWER_TOKEN, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

const ROOT = join(__dirname, '..');

/** A stream that says it is a terminal, so the progress bar draws into it. */
class FakeTerminal extends Writable {
  readonly isTTY = true;
  readonly columns = 120;
  text = '';
  _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

interface CliResult {
  code: number;
  out: string;
  err: string;
  progress: string;
}

describe('notifier CLI against the running service', () => {
  let whatsapp: ScriptedAdapter;
  let url: string;

  /** Runs the CLI in this process, its output captured. */
  const cli = async (args: string[], token: string | null = OPERATOR_TOKEN): Promise<CliResult> => {
    const out: string[] = [];
    const err: string[] = [];
    const progress = new FakeTerminal();
    const auth = token ? ['--token', token] : [];
    const code = await run([...args, '--url', url, ...auth], { out: (t) => out.push(t), err: (t) => err.push(t), progress });
    return { code, out: out.join(''), err: err.join(''), progress: progress.text };
  };

  const failedOf = async (ref: string): Promise<string[]> =>
    (await service.db.query(`SELECT id FROM notifications WHERE booking_reference = $1 AND status = 'failed' ORDER BY id`, [ref])).map(
      (r: { id: string }) => r.id,
    );

  /** A booking whose WhatsApp messages all fail for good, one per passenger. */
  const failedBooking = async (ref: string, passengers: number, flightNumber: string) => {
    for (let i = 0; i < passengers; i++) whatsapp.answer({ outcome: 'permanent', code: '131026', message: 'Message undeliverable' });
    const pax = Array.from({ length: passengers }, (_, i) => passenger({ passengerId: `P${i}`, contacts: { whatsapp: `+3165${String(i).padStart(7, '0')}` } }));
    const booking = bookingSnapshot('booking.confirmed', { bookingReference: ref, passengers: pax, segments: [segment({ flightNumber })] });
    await service.publisher.publish(booking.type, booking);
    await waitFor(async () => (await failedOf(ref)).length === passengers, 20_000, `${passengers} failed notifications of ${ref}`);
    return failedOf(ref);
  };

  const service = useTestService();

  beforeAll(async () => {
    whatsapp = new ScriptedAdapter('local-whatsapp');
    service.app.get(ChannelRegistry).use('whatsapp', whatsapp);
    url = `http://127.0.0.1:${(service.app.getHttpServer().address() as AddressInfo).port}`;
  });

  it('has --help on every command, exiting 0', async () => {
    const top = await cli(['--help'], null);
    expect(top.code).toBe(0);
    expect(top.out).toContain('Usage: notifier');
    for (const command of ['notifications', 'replay', 'dead-letters', 'audit']) expect(top.out).toContain(command);
    expect(top.out).toMatch(/NOTIFIER_URL/);
    expect(top.out).toMatch(/NOTIFIER_TOKEN/);
    const commands = [
      ['notifications', 'list'],
      ['notifications', 'show'],
      ['replay'],
      ['dead-letters', 'list'],
      ['dead-letters', 'redrive'],
      ['audit'],
    ];
    for (const command of commands) {
      const help = await cli([...command, '--help'], null);
      expect(help.code).toBe(0);
      expect(help.out).toContain(`Usage: notifier ${command.join(' ')}`);
    }
    const replayHelp = await cli(['replay', '--help'], null);
    for (const option of ['--status', '--type', '--channel', '--flight', '--booking', '--error-code', '--since', '--until', '--dry-run', '--force', '--confirm', '--cancel']) {
      expect(replayHelp.out).toContain(option);
    }
  });

  it('refuses wrong usage before calling the service (exit 2)', async () => {
    const none = await cli(['replay']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('give a notification id, or at least one filter');
    const both = await cli(['replay', '6f1c1d2e-1111-4222-8333-944455556666', '--status', 'failed']);
    expect(both.code).toBe(2);
    const badSince = await cli(['replay', '--status', 'failed', '--since', 'yesterday']);
    expect(badSince.code).toBe(2);
    expect(badSince.err).toContain('--since must be a duration back from now');
    const badStatus = await cli(['notifications', 'list', '--status', 'lost']);
    expect(badStatus.code).toBe(2);
    expect(badStatus.err).toContain('Allowed choices are');
  });

  it('lists failed notifications and shows one with its timeline', async () => {
    const [id] = await failedBooking('CLI001', 1, '7001');
    const list = await cli(['notifications', 'list', '--status', 'failed', '--booking', 'cli001']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/CREATED\s+ID\s+TYPE\s+CHANNEL\s+STATUS/);
    expect(list.out).toContain(id);
    expect(list.out).toContain('1 shown');

    const show = await cli(['notifications', 'show', id], VIEWER_TOKEN);
    expect(show.code).toBe(0);
    expect(show.out).toMatch(/status:\s+failed/);
    expect(show.out).toMatch(/last error:\s+131026: Message undeliverable/);
    expect(show.out).toMatch(/timeline:\n\s*AT\s+WHAT\s+DETAIL/);
    for (const kind of ['created', 'attempt', 'failed']) expect(show.out).toMatch(new RegExp(`Z  ${kind}\\b`));

    const json = await cli(['--json', 'notifications', 'show', id]);
    expect(JSON.parse(json.out)).toMatchObject({ id, status: 'failed', lastError: { code: '131026' } });

    const missing = await cli(['notifications', 'show', '6f1c1d2e-1111-4222-8333-944455556666']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('not found (404)');
  });

  it('counts on a dry run, reports a viewer clearly (403), and replays by filter with progress and a summary', async () => {
    const ids = await failedBooking('CLI002', 4, '7002');
    const filters = ['--booking', 'CLI002', '--status', 'failed', '--error-code', '131026', '--since', '1h'];

    const dry = await cli(['replay', ...filters, '--dry-run'], VIEWER_TOKEN);
    // Even counting is an operator action (it is POST /api/replays).
    expect(dry.code).toBe(1);
    const dryOk = await cli(['replay', ...filters, '--dry-run']);
    expect(dryOk.code).toBe(0);
    expect(dryOk.out).toBe('dry run: 4 notifications match; nothing was replayed\n');
    expect(await count(service.db, `SELECT 1 FROM replays`)).toBe(0);

    const viewer = await cli(['replay', ...filters], VIEWER_TOKEN);
    expect(viewer.code).toBe(1);
    expect(viewer.out).toBe('');
    expect(viewer.err).toContain('forbidden (403): this action needs the operator role');
    expect(viewer.err).toContain('needs an operator token');
    const anonymous = await cli(['notifications', 'list'], null);
    expect(anonymous.code).toBe(1);
    expect(anonymous.err).toContain('401 Unauthorized');

    const replay = await cli(['replay', ...filters, '--interval', '50']);
    expect(replay.err).toBe('');
    expect(replay.code).toBe(0);
    expect(replay.out).toMatch(/^replay [0-9a-f-]{36}: 4 notifications match\n/);
    expect(replay.out).toMatch(/replay [0-9a-f-]{36} done in /);
    expect(replay.out).toMatch(/matched:\s+4\n/);
    expect(replay.out).toMatch(/replayed:\s+4 {2}\(queued to be sent again\)/);
    expect(replay.out).toMatch(/skipped:\s+0 /);
    expect(replay.progress).toContain('4/4');
    expect(replay.progress).toContain('100%');
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'CLI002' AND status = 'sent'`)) === 4);
    const replayedIds: string[] = (
      await service.db.query(
        `SELECT DISTINCT n.id FROM notification_events e JOIN notifications n ON n.id = e.notification_id
          WHERE n.booking_reference = 'CLI002' AND e.kind = 'replayed' ORDER BY n.id`,
      )
    ).map((r: { id: string }) => r.id);
    expect(replayedIds).toEqual(ids);

    // Watching the finished job again prints the same summary.
    const jobId = /replay ([0-9a-f-]{36}) done/.exec(replay.out)![1];
    const watched = await cli(['replay', '--job', jobId]);
    expect(watched.code).toBe(0);
    expect(watched.out).toMatch(/replayed:\s+4/);

    const audit = await cli(['audit', '--action', 'replay.bulk'], VIEWER_TOKEN);
    expect(audit.code).toBe(0);
    expect(audit.out).toContain(jobId);
    expect(audit.out).toMatch(/operator:[0-9a-f]{8}\s+replay\.bulk/);
  });

  it('replays one notification, and skips it once it was sent unless forced', async () => {
    const [id] = await failedBooking('CLI003', 1, '7003');
    const first = await cli(['replay', id]);
    expect(first.code).toBe(0);
    expect(first.out).toBe(`replayed ${id} (it was failed); it is queued to be sent again\n`);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE id = $1 AND status = 'sent'`, [id])) === 1);
    const again = await cli(['replay', id]);
    expect(again.out).toBe(`skipped ${id}: status is sent (use force to send it again)\n`);
    const forced = await cli(['replay', id, '--force']);
    expect(forced.out).toContain(`replayed ${id} (it was sent)`);
  });

  it('lists dead letters and re-drives one', async () => {
    const bad = bookingSnapshot('booking.confirmed', { bookingReference: 'bad!', passengers: [passenger({ passengerId: 'P1' })], segments: [segment({ flightNumber: '7004' })] });
    await service.publisher.publish(bad.type, bad);
    const parked = await waitFor(async () => {
      const rows: { id: string }[] = await service.db.query(`SELECT id FROM parked_events WHERE event_id = $1`, [bad.id]);
      return rows[0];
    });
    const list = await cli(['dead-letters', 'list', '--open'], VIEWER_TOKEN);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/PARKED\s+ID\s+REASON CODE\s+TYPE/);
    expect(list.out).toMatch(new RegExp(`${parked.id}\\s+bad-data\\s+booking\\.confirmed\\s+no`));

    const viewer = await cli(['dead-letters', 'redrive', parked.id], VIEWER_TOKEN);
    expect(viewer.code).toBe(1);
    expect(viewer.err).toContain('forbidden (403)');
    const redrive = await cli(['dead-letters', 'redrive', parked.id]);
    expect(redrive.code).toBe(0);
    expect(redrive.out).toMatch(new RegExp(`^${parked.id}: still broken, parked again: bad-data: `));
    const twice = await cli(['dead-letters', 'redrive', parked.id]);
    expect(twice.code).toBe(1);
    expect(twice.err).toContain('conflict (409)');
    const noFilter = await cli(['dead-letters', 'redrive']);
    expect(noFilter.code).toBe(2);

    // Re-driven ones are listed on request; a bulk re-drive of everything says --all, and can count first.
    const redriven = await cli(['dead-letters', 'list', '--redriven'], VIEWER_TOKEN);
    expect(redriven.out).toMatch(new RegExp(`${parked.id}\\s+bad-data\\s+booking\\.confirmed\\s+\\d{4}-`));
    const open = await count(service.db, `SELECT 1 FROM parked_events WHERE redriven_at IS NULL`);
    const dry = await cli(['dead-letters', 'redrive', '--all', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toBe(`dry run: ${open} open dead letter${open === 1 ? '' : 's'} match; nothing was re-driven\n`);
    expect(await count(service.db, `SELECT 1 FROM parked_events WHERE redriven_at IS NULL`)).toBe(open);
    const all = await cli(['dead-letters', 'redrive', '--all']);
    expect(all.code).toBe(0);
    expect(all.out).toMatch(new RegExp(`^re-drove ${open} dead letter`));
  });

  it('asks for the exact count with --confirm, and cancels a running replay', async () => {
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE status IN ('pending', 'sending')`)) === 0, 20_000, 'an idle dispatcher');
    const ids = await failedBooking('CLI005', 3, '7005');
    const wrong = await cli(['replay', '--booking', 'CLI005', '--confirm', '2']);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('the service asks for confirmation (400): confirm is 2, but this would touch 3 notifications now');
    expect(wrong.err).toContain('repeat with --confirm 3');
    expect(await count(service.db, `SELECT 1 FROM replays WHERE filter ->> 'bookingReference' = 'CLI005'`)).toBe(0);

    // The replay's first notification (it goes through them in id order) is held by a slow transaction while
    // the operator cancels it, and its second waits until the cancellation has answered: the cancellation lands after
    // the first, and once the answer comes nothing more is queued.
    const first = [...ids].sort()[0];
    const gate = holdReplaysAfterFirstItem(service.app);
    const runner = service.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    let cancelled: CliResult;
    let jobId: string;
    try {
      await runner.query(`SELECT 1 FROM notifications WHERE id = $1 FOR UPDATE`, [first]);
      const started = await cli(['replay', '--booking', 'CLI005', '--confirm', '3', '--no-wait']);
      expect(started.code).toBe(0);
      jobId = /^replay ([0-9a-f-]{36}) started: 3 notifications match/.exec(started.out)![1];
      const waiting = (sql: string) =>
        waitFor(async () => (await count(service.db, `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`, [`${sql}%`])) > 0, 15_000, sql);
      await waiting(REPLAY_LOCK_STATEMENT);
      const cancelling = cli(['replay', '--cancel', jobId]);
      await waiting('WITH ended AS');
      await runner.rollbackTransaction();
      cancelled = await cancelling;
    } finally {
      gate.release();
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    expect(cancelled.err).toBe('');
    expect(cancelled.code).toBe(0);
    expect(cancelled.out).toBe(`replay ${jobId} cancelled: 1 replayed and 0 skipped of 3; nothing more of it is queued\n`);
    const job: { replayed: number; status: string }[] = await service.db.query(`SELECT replayed, status FROM replays WHERE id = $1`, [jobId]);
    expect(job[0]).toEqual({ replayed: 1, status: 'cancelled' });
    const watched = await cli(['replay', '--job', jobId]);
    expect(watched.out).toMatch(new RegExp(`replay ${jobId} cancelled by operator:[0-9a-f]{8} after `));
    const again = await cli(['replay', '--cancel', jobId]);
    expect(again.code).toBe(0);
    const done = (await service.db.query(`SELECT id FROM replays WHERE status = 'done' LIMIT 1`))[0].id;
    const finished = await cli(['replay', '--cancel', done]);
    expect(finished.code).toBe(1);
    expect(finished.err).toContain(`conflict (409): replay ${done} is done already`);
    const both = await cli(['replay', '--cancel', jobId, '--booking', 'CLI005']);
    expect(both.code).toBe(2);
  });

  it('runs as a program with ts-node, reading NOTIFIER_URL and NOTIFIER_TOKEN', async () => {
    const exec = promisify(execFile);
    const env = { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), NOTIFIER_URL: url, NOTIFIER_TOKEN: VIEWER_TOKEN };
    const args = ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src/cli/main.ts')];
    const help = await exec(process.execPath, [...args, 'notifications', 'show', '--help'], { cwd: ROOT, env });
    expect(help.stdout).toContain('Usage: notifier notifications show [options] <id>');
    const list = await exec(process.execPath, [...args, 'notifications', 'list', '--booking', 'CLI001'], { cwd: ROOT, env });
    expect(list.stdout).toContain('1 shown');
    const refused = await exec(process.execPath, [...args, 'replay', '--booking', 'CLI001', '--dry-run'], { cwd: ROOT, env }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('forbidden (403)') });
  });
});
