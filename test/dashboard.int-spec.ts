import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { ChannelRegistry } from '../src/channels/channel-registry.service';
import { bookingSnapshot, checkinCompleted, flightStatus, passenger, segment } from '../src/demo/sample-events';
import { REPLAY_LOCK_STATEMENT } from '../src/ops/replay/replay.repository';
import { holdReplaysAfterFirstItem } from './support/replay-gate';
import { ScriptedAdapter } from './support/scripted-adapter';
import { count, createTestEnvironment, OPERATOR_TOKEN, startService, TestEnvironment, TestService, VIEWER_TOKEN, waitFor } from './support/test-app';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, 'artifacts');
/** Screenshots to look at: the overview and one flight on a phone and on a laptop screen. */
const SCREENSHOTS = join(__dirname, '..', 'var', 'screenshots');
const SIZES = [
  { name: '390', width: 390, height: 844 },
  { name: '1280', width: 1280, height: 800 },
];

/** The operations console in a real headless browser (Debian's chromium driven by playwright-core). */
describe('dashboard in a headless browser', () => {
  let environment: TestEnvironment;
  let service: TestService;
  let whatsapp: ScriptedAdapter;
  let context: BrowserContext;
  let profile: string;
  let url: string;
  let failedId: string;
  let emailPassId: string;
  const pageErrors: string[] = [];

  const notification = async (type: string, channel: string) => {
    const rows: { id: string; status: string }[] = await service.db.query(
      `SELECT id, status FROM notifications WHERE booking_reference = 'DSH001' AND type = $1 AND channel = $2`,
      [type, channel],
    );
    return rows[0];
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (see .ci/run)`);
    environment = await createTestEnvironment();
    service = await startService(environment.env);
    whatsapp = new ScriptedAdapter('local-whatsapp');
    service.app.get(ChannelRegistry).use('whatsapp', whatsapp);
    url = `http://127.0.0.1:${(service.app.getHttpServer().address() as AddressInfo).port}`;

    // A passenger on WhatsApp and e-mail: the booking confirmation goes out, then the boarding pass fails
    // for good on WhatsApp (and is delivered by e-mail, with its QR code and PDF).
    const pax = passenger({
      passengerId: 'P1',
      consents: [
        { channel: 'whatsapp', granted: true, at: '2026-11-20T10:00:00Z' },
        { channel: 'email', granted: true, at: '2026-11-20T10:00:00Z' },
      ],
    });
    const booking = bookingSnapshot('booking.confirmed', { bookingReference: 'DSH001', passengers: [pax], segments: [segment({ flightNumber: '1801' })] });
    await service.publisher.publish(booking.type, booking);
    await waitFor(async () => (await notification('booking-confirmation', 'whatsapp'))?.status === 'sent');
    whatsapp.answer({ outcome: 'permanent', code: '131026', message: 'Message undeliverable' });
    const checkin = checkinCompleted({
      bookingReference: 'DSH001', passengerId: 'P1', segmentId: 'SEG-1', seat: '12A', sequenceNumber: 42, compartment: 'Y',
      boardingGroup: '3', gate: 'D7', checkedInAt: '2026-11-30T09:12:00Z',
    });
    await service.publisher.publish(checkin.type, checkin);
    failedId = (await waitFor(async () => {
      const n = await notification('boarding-pass', 'whatsapp');
      return n?.status === 'failed' ? n : undefined;
    }, 20_000, 'the failed boarding pass')).id;
    emailPassId = (await waitFor(async () => {
      const n = await notification('boarding-pass', 'email');
      return n && ['sent', 'delivered'].includes(n.status) ? n : undefined;
    }, 20_000, 'the e-mailed boarding pass')).id;

    profile = mkdtempSync(join(tmpdir(), 'notifier-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1440, height: 1100 },
      // The operator's own zone, for the "local" choice; UTC is the default.
      timezoneId: 'Europe/Amsterdam',
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await service?.close();
    await environment?.dispose();
  });

  const open = async (token: string, size?: { width: number; height: number }, hash = ''): Promise<Page> => {
    const page = await context.newPage();
    if (size) await page.setViewportSize(size);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(`${url}/dashboard/${hash}`);
    await page.locator('#token').fill(token);
    await page.locator('#login-form button[type=submit]').click();
    await page.locator('#app').waitFor({ state: 'visible' });
    return page;
  };

  it('lets an operator find the failed boarding pass, read its timeline, replay it and see it sent', async () => {
    const page = await open(OPERATOR_TOKEN);
    await page.locator('#role').filter({ hasText: 'operator' }).waitFor();
    // The overview counts what was created in the last hours.
    await page.locator('#totals-table').waitFor();
    expect(await page.locator('#totals-table tr[data-channel="whatsapp"]').textContent()).toMatch(/whatsapp.*1.*1.*2/);

    // Filter the failed list down to the booking.
    await page.locator('#f-status').selectOption('failed');
    await page.locator('#f-booking').fill('dsh001');
    await page.locator('#filters button[type=submit]').click();
    const rows = page.locator('#list tbody tr');
    await waitFor(async () => (await rows.count()) === 1 && (await rows.first().getAttribute('data-id')) === failedId, 10_000, 'the filtered list');
    expect(await rows.first().textContent()).toContain('boarding-pass');

    // Its timeline, message and boarding-pass PDF (fetched with the token, shown from a blob: URL).
    await rows.first().click();
    await page.locator('#detail-status').filter({ hasText: 'failed' }).waitFor();
    const kinds = await page.locator('#timeline tbody tr td:nth-child(2)').allTextContents();
    expect(kinds).toEqual(['created', 'attempt', 'failed']);
    expect(await page.locator('#detail-body dl').textContent()).toContain('131026: Message undeliverable');
    expect(await page.locator('#message-text').textContent()).toContain('12A');
    expect(await page.locator('#boarding-pass').textContent()).toMatch(/KL1801.*AMS→CDG.*DESMARAIS\/LUCMR.*Seat12A.*Seq\.42/);
    const pdf = page.locator('.attachments a[download="boarding-pass.pdf"]');
    await pdf.waitFor();
    const href = (await pdf.getAttribute('href')) ?? '';
    expect(href).toMatch(/^blob:/);
    // Saving it gives the PDF itself.
    const [download] = await Promise.all([page.waitForEvent('download'), pdf.click()]);
    expect(download.suggestedFilename()).toBe('boarding-pass.pdf');
    expect(readFileSync((await download.path()) as string).subarray(0, 5).toString()).toBe('%PDF-');

    await page.locator('#detail-replay').click();
    await page.locator('#detail-status').filter({ hasText: 'sent' }).waitFor({ timeout: 15_000 });
    await page.locator('#timeline tbody tr[data-kind="replayed"]').waitFor();
    expect(await page.locator('#timeline tbody tr td:nth-child(2)').allTextContents()).toEqual([
      'created', 'attempt', 'failed', 'replayed', 'attempt',
    ]);
    expect((await notification('boarding-pass', 'whatsapp')).status).toBe('sent');
    // The failed list (still filtered) is empty now.
    await waitFor(async () => (await rows.count()) === 0, 10_000, 'the list to refresh');

    await pdf.waitFor({ state: 'attached' });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.waitForTimeout(3000);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    await page.close();
  });

  it('shows an e-mail in a sandboxed frame and the boarding-pass QR code from a blob: URL', async () => {
    const page = await open(OPERATOR_TOKEN);
    await page.locator('#f-status').selectOption('');
    await page.locator('#f-channel').selectOption('email');
    await page.locator('#f-type').selectOption('boarding-pass');
    await page.locator('#filters button[type=submit]').click();
    await page.locator(`#list tbody tr[data-id="${emailPassId}"]`).click();
    const frame = page.locator('iframe.email');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await page.frameLocator('iframe.email').locator('body').textContent()).toContain('12A');
    const qr = page.locator('.attachments img[alt="boarding-pass-qr.png"]');
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^blob:/);
    await waitFor(async () => (await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)) > 100, 5_000, 'the QR code to load');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-email.png'), fullPage: true });
    await page.close();
  });

  it('replays everything matching the filters after showing the count, with progress', async () => {
    whatsapp.answer({ outcome: 'permanent', code: '368', message: 'Temporarily blocked' }, { outcome: 'permanent', code: '368', message: 'Temporarily blocked' });
    const pax = [passenger({ passengerId: 'P1' }), passenger({ passengerId: 'P2', contacts: { whatsapp: '+31612345679' } })];
    const booking = bookingSnapshot('booking.confirmed', { bookingReference: 'DSH002', passengers: pax, segments: [segment({ flightNumber: '1803' })] });
    await service.publisher.publish(booking.type, booking);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'DSH002' AND status = 'failed'`)) === 2);
    const page = await open(OPERATOR_TOKEN);
    await page.locator('#f-booking').fill('DSH002');
    await page.locator('#filters button[type=submit]').click();
    await waitFor(async () => (await page.locator('#list tbody tr').count()) === 2, 10_000, 'two failed rows');
    await page.locator('#bulk-replay').click();
    await page.locator('#bulk').filter({ hasText: '2 notifications match (status=failed, bookingReference=DSH002).' }).waitFor();
    await page.locator('#bulk-confirm').click();
    await page.locator('#bulk').filter({ hasText: 'Done: 2 matched, 2 replayed, 0 skipped.' }).waitFor();
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'DSH002' AND status = 'sent'`)) === 2);
    await page.close();
  });

  it('cancels a running replay with its button', async () => {
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE status IN ('pending', 'sending')`)) === 0, 20_000, 'an idle dispatcher');
    whatsapp.answer({ outcome: 'permanent', code: '368', message: 'Temporarily blocked' }, { outcome: 'permanent', code: '368', message: 'Temporarily blocked' });
    const pax = [passenger({ passengerId: 'P1', contacts: { whatsapp: '+31612340001' } }), passenger({ passengerId: 'P2', contacts: { whatsapp: '+31612340002' } })];
    const booking = bookingSnapshot('booking.confirmed', { bookingReference: 'DSH003', passengers: pax, segments: [segment({ flightNumber: '1804' })] });
    await service.publisher.publish(booking.type, booking);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'DSH003' AND status = 'failed'`)) === 2);
    const [first] = (await service.db.query(`SELECT min(id::text) AS id FROM notifications WHERE booking_reference = 'DSH003'`)).map((r: { id: string }) => r.id);
    const waitingOnLock = (sql: string) =>
      waitFor(async () => (await count(service.db, `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`, [`${sql}%`])) > 0, 15_000, sql);

    // A slow transaction holds the replay's first notification, so the replay is still running when the operator cancels;
    // the job's second item waits until the cancellation has answered, so it lands after the first.
    const gate = holdReplaysAfterFirstItem(service.app);
    const runner = service.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    const page = await open(OPERATOR_TOKEN);
    try {
      await runner.query(`SELECT 1 FROM notifications WHERE id = $1 FOR UPDATE`, [first]);
      await page.locator('#f-booking').fill('DSH003');
      await page.locator('#filters button[type=submit]').click();
      await waitFor(async () => (await page.locator('#list tbody tr').count()) === 2, 10_000, 'two failed rows');
      await page.locator('#bulk-replay').click();
      await page.locator('#bulk-confirm').filter({ hasText: 'Replay these 2' }).click();
      await page.locator('#bulk-cancel').waitFor();
      await waitingOnLock(REPLAY_LOCK_STATEMENT);
      await page.locator('#bulk-cancel').click();
      await waitingOnLock('WITH ended AS');
      await runner.rollbackTransaction();
      await page.locator('#bulk').filter({ hasText: 'Cancelled: 1 replayed, 0 skipped of 2; nothing more is queued.' }).waitFor();
      expect(await page.locator('#bulk-cancel').count()).toBe(0);
    } finally {
      gate.release();
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
      await page.close();
    }
    expect(await count(service.db, `SELECT 1 FROM replays WHERE filter ->> 'bookingReference' = 'DSH003' AND status = 'cancelled'`)).toBe(1);
  });

  it('lets an operator re-drive a dead letter', async () => {
    const bad = bookingSnapshot('booking.confirmed', { bookingReference: 'bad!', passengers: [passenger({ passengerId: 'P1' })], segments: [segment({ flightNumber: '1802' })] });
    await service.publisher.publish(bad.type, bad);
    const parked = await waitFor(async () => {
      const rows: { id: string }[] = await service.db.query(`SELECT id FROM parked_events WHERE event_id = $1`, [bad.id]);
      return rows[0];
    });
    const page = await open(OPERATOR_TOKEN);
    const row = page.locator(`#dl-list tbody tr[data-id="${parked.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('bad-data');
    await row.locator('button', { hasText: 'Re-drive' }).click();
    await page.locator('#toast').filter({ hasText: 'still broken, parked again: bad-data' }).waitFor();
    // Re-driven rows leave the "open only" list; the copy parked again takes its place.
    await row.waitFor({ state: 'detached' });
    await page.locator('#dl-list tbody tr').first().waitFor();
    expect(await count(service.db, `SELECT 1 FROM parked_events WHERE event_id = $1 AND redriven_at IS NULL`, [bad.id])).toBe(1);
    await page.close();
  });

  it('offers a viewer no replay or re-drive buttons', async () => {
    const page = await open(VIEWER_TOKEN);
    await page.locator('#role').filter({ hasText: 'viewer' }).waitFor();
    await page.locator('#f-status').selectOption('');
    await page.locator('#f-booking').fill('DSH001');
    await page.locator('#filters button[type=submit]').click();
    await page.locator(`#list tbody tr[data-id="${failedId}"]`).click();
    await page.locator('#viewer-note').waitFor();
    expect(await page.locator('#detail-replay').count()).toBe(0);
    expect(await page.locator('#detail-force').count()).toBe(0);
    expect(await page.locator('.row-replay').count()).toBe(0);
    expect(await page.locator('#bulk-replay').isVisible()).toBe(false);
    expect(await page.locator('#dl-redrive-all').isVisible()).toBe(false);
    await page.locator('#dl-list tbody tr').first().waitFor();
    expect(await page.locator('#dl-list tbody button').count()).toBe(0);

    // Signing out forgets the token.
    await page.locator('#logout').click();
    await page.locator('#login').waitFor({ state: 'visible' });
    expect(await page.evaluate("sessionStorage.getItem('notifier.token')")).toBeNull();
    await page.close();
  });

  /** Nothing wider than the screen: the page never scrolls sideways. */
  const noSidewaysScroll = (page: Page) =>
    page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })') as Promise<{
      scrollWidth: number;
      clientWidth: number;
    }>;

  /** One failed notification of this test's own, so the failed list is never empty whatever ran before. */
  let failedSeeded = false;
  const seedFailure = async () => {
    if (failedSeeded) return;
    failedSeeded = true;
    whatsapp.answer({ outcome: 'permanent', code: '131047', message: 'Re-engagement message' });
    const pax = passenger({ passengerId: 'P1', contacts: { whatsapp: '+31612340005' } });
    const booking = bookingSnapshot('booking.confirmed', { bookingReference: 'DSH005', passengers: [pax], segments: [segment({ flightNumber: '1806' })] });
    await service.publisher.publish(booking.type, booking);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'DSH005' AND status = 'failed'`)) === 1);
  };

  for (const size of SIZES) {
    it(`fits a ${size.width} px screen without sideways scrolling, the failed count in view, every time with its zone`, async () => {
      await seedFailure();
      const page = await open(VIEWER_TOKEN, size);
      const failedKpi = page.locator('#kpi-failed');
      await failedKpi.waitFor();
      expect(await failedKpi.locator('.kpi-value').textContent()).toMatch(/^[1-9]\d*$/);
      const box = await failedKpi.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(size.width);
      expect(box!.y + box!.height).toBeLessThanOrEqual(size.height);
      expect(await page.locator('#kpi-lag').textContent()).toMatch(/Dispatch lag/);
      await page.locator('#list tbody tr').first().waitFor();
      // The failed list carries the error code and the recipient, masked.
      const first = page.locator('#list tbody tr[data-status="failed"]').first();
      expect(await first.locator('td[data-label="Error"]').textContent()).toMatch(/^\d+$/);
      expect(await first.locator('td[data-label="Recipient"]').textContent()).toMatch(/^\+\d{2}\*+\d{3}$/);
      expect(await first.locator('td[data-label="Created"]').textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
      await page.locator('#dl-list tbody tr').first().waitFor();
      const { scrollWidth, clientWidth } = await noSidewaysScroll(page);
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
      expect(clientWidth).toBe(size.width);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `dashboard-${size.name}.png`), fullPage: true });

      // The operator's own zone instead, named the same way (Amsterdam in winter: CET).
      await page.locator('#zone').selectOption('local');
      await waitFor(async () => /CET$/.test((await first.locator('td[data-label="Created"]').textContent()) ?? ''), 10_000, 'times in CET');
      await page.locator('#zone').selectOption('utc');
      await page.close();
    });
  }

  it('shows one flight at its own address: its status, who was told on which channel, and the failures with their reasons', async () => {
    const seg = segment({ flightNumber: '1801' });
    const delay = flightStatus(seg, 2, { status: 'DELAYED', estimatedDeparture: '2026-12-01T08:20:00Z', reason: 'late inbound aircraft' });
    // The delay reaches the passenger by e-mail; WhatsApp refuses it.
    whatsapp.answer({ outcome: 'permanent', code: '131026', message: 'Message undeliverable' });
    await service.publisher.publish(delay.type, delay);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM flight_status WHERE flight_number = '1801' AND version = 2`)) === 1);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE flight_key = 'KL1801-2026-12-01' AND type = 'flight-delay' AND status = 'failed'`)) === 1, 20_000, 'the failed delay notice');
    for (const size of SIZES) {
      const page = await open(VIEWER_TOKEN, size, '#/flight/KL1801-2026-12-01');
      await page.locator('#flight-view').waitFor();
      expect(await page.locator('#flight-title').textContent()).toBe('Flight KL1801-2026-12-01');
      const leg = page.locator('#flight-legs .leg[data-origin="AMS"]');
      await leg.waitFor();
      expect(await leg.textContent()).toMatch(/AMS → CDG.*DELAYED.*Scheduled2026-12-01 07:35:00 UTC.*Estimated2026-12-01 08:20:00 UTC.*late inbound aircraft/);
      expect(await page.locator('#flight-told').textContent()).toMatch(/^\d+ of \d+ passengers told/);
      expect(await page.locator('#flight-counts tbody tr[data-type="boarding-pass"][data-channel="email"]').count()).toBe(1);
      const failure = page.locator('#flight-failed tbody tr').first();
      await failure.waitFor();
      expect(await failure.locator('td[data-label="Type"]').textContent()).toBe('flight-delay');
      expect(await failure.locator('td[data-label="Error"]').textContent()).toBe('131026');
      expect(await failure.locator('td[data-label="Reason"]').textContent()).toBe('Message undeliverable');
      expect(await failure.locator('td[data-label="Recipient"]').textContent()).toMatch(/^\+\d{2}\*+\d{3}$/);
      expect(await page.locator('#overview-view').isVisible()).toBe(false);
      const { scrollWidth, clientWidth } = await noSidewaysScroll(page);
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
      await page.screenshot({ path: join(SCREENSHOTS, `dashboard-flight-${size.name}.png`), fullPage: true });

      // The header's flight field leads there too, and back to the overview.
      await page.locator('#flight-close').click();
      await page.locator('#overview-view').waitFor();
      await page.locator('#flight-key').fill('kl1801-2026-12-01');
      await page.locator('#flight-form button[type=submit]').click();
      await page.locator('#flight-legs').waitFor();
      expect(page.url()).toMatch(/\/dashboard\/#\/flight\/KL1801-2026-12-01$/);
      await page.close();
    }
  });

  it('refreshes itself at the interval chosen, and stops while paused', async () => {
    const page = await open(VIEWER_TOKEN);
    await page.locator('#refresh-every').selectOption('5');
    await page.locator('#kpi-failed').waitFor();
    const failedCount = async () => Number(await page.locator('#kpi-failed .kpi-value').textContent());
    const before = await failedCount();
    // A new failure arrives; nobody touches the page.
    whatsapp.answer({ outcome: 'permanent', code: '470', message: 'Re-engagement message' });
    const booking = bookingSnapshot('booking.confirmed', { bookingReference: 'DSH004', passengers: [passenger({ passengerId: 'P1', contacts: { whatsapp: '+31612340004' } })], segments: [segment({ flightNumber: '1805' })] });
    await service.publisher.publish(booking.type, booking);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'DSH004' AND status = 'failed'`)) === 1);
    await waitFor(async () => (await failedCount()) === before + 1, 30_000, 'the failed count to refresh by itself');
    await page.locator('#list tbody tr td[data-label="Error"]', { hasText: '470' }).waitFor({ timeout: 30_000 });

    // Paused: the clock of the last refresh stands still, and says so.
    await page.locator('#refresh-pause').click();
    expect(await page.locator('#refresh-pause').textContent()).toBe('Resume');
    expect(await page.locator('#refresh-state').textContent()).toBe('paused');
    const stamp = await page.locator('#refresh-at').textContent();
    await page.waitForTimeout(11_000);
    expect(await page.locator('#refresh-at').textContent()).toBe(stamp);
    await page.locator('#refresh-pause').click();
    expect(await page.locator('#refresh-state').textContent()).toBe('every 5 s');
    await page.locator('#refresh-every').selectOption('15');
    await page.close();
  });

  it('refuses a wrong token on the sign-in form', async () => {
    const page = await context.newPage();
    await page.goto(`${url}/dashboard/`);
    await page.locator('#token').fill('not-a-real-token-000');
    await page.locator('#login-form button[type=submit]').click();
    await page.locator('#login-error').filter({ hasText: '401' }).waitFor();
    expect(await page.locator('#app').isVisible()).toBe(false);
    await page.close();
  });

  it('ran without script errors', () => {
    // 401 on the wrong-token sign-in is logged by the browser as a failed resource, nothing else.
    expect(pageErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
