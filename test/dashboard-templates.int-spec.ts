import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { useTestService } from './support/use-test-service';
import { VIEWER_TOKEN, waitFor } from './support/test-app';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', 'var', 'screenshots');

/** The Templates view and a notification's "preview in another language", in headless Chromium (as test/dashboard.int-spec.ts). */
describe('dashboard: templates and previews in a headless browser', () => {
  let context: BrowserContext;
  let profile: string;
  let url: string;
  let emailId: string;
  const pageErrors: string[] = [];

  const service = useTestService();

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (see .ci/run)`);
    url = `http://127.0.0.1:${(service.app.getHttpServer().address() as AddressInfo).port}`;
    const booking = bookingSnapshot('booking.confirmed', {
      bookingReference: 'DTP001',
      passengers: [
        passenger({ passengerId: 'P1', locale: 'de-DE', contacts: { email: 'dtp@example.com' }, consents: [{ channel: 'email', granted: true }] }),
      ],
      segments: [segment({ flightNumber: '1901' })],
    });
    await service.publisher.publish(booking.type, booking);
    emailId = await waitFor(async () => {
      const rows: { id: string }[] = await service.db.query(
        `SELECT id FROM notifications WHERE booking_reference = 'DTP001' AND channel = 'email' AND status IN ('sent', 'delivered')`,
      );
      return rows[0]?.id;
    }, 20_000, 'the e-mailed booking confirmation');

    profile = mkdtempSync(join(tmpdir(), 'notifier-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1440, height: 1100 },
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const open = async (hash: string, size?: { width: number; height: number }): Promise<Page> => {
    const page = await context.newPage();
    if (size) await page.setViewportSize(size);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(`${url}/dashboard/${hash}`);
    await page.locator('#token').fill(VIEWER_TOKEN);
    await page.locator('#login-form button[type=submit]').click();
    await page.locator('#app').waitFor({ state: 'visible' });
    return page;
  };

  it('lists type × channel × language and previews an Arabic e-mail right to left in a sandboxed frame', async () => {
    const page = await open('');
    await page.locator('#templates-link').click();
    await page.locator('#tpl-grid').waitFor();
    expect(await page.locator('#overview-view').isVisible()).toBe(false);
    // Every type a row, every channel a column, every catalog a link in each cell.
    expect(await page.locator('#tpl-grid tbody tr').count()).toBe(11);
    expect(await page.locator('#tpl-grid tbody tr[data-type="flight-delay"] td[data-channel="email"] a.chip').allTextContents()).toEqual([
      'ar', 'de', 'en', 'es', 'fr', 'it', 'ja', 'ko', 'nl', 'pt', 'pt-PT', 'zh-Hans',
    ]);

    await page.locator('#tpl-grid tbody tr[data-type="flight-delay"] td[data-channel="email"] a.chip[data-locale="ar"]').click();
    const preview = page.locator('#template-preview[data-locale="ar"]');
    await preview.waitFor();
    expect(page.url()).toMatch(/#\/templates\/flight-delay\/email\/ar$/);
    expect(await page.locator('#tpl-type').inputValue()).toBe('flight-delay');
    expect(await page.locator('#tpl-locale').inputValue()).toBe('ar');
    expect(await preview.locator('.preview-subject span').getAttribute('dir')).toBe('rtl');
    const frame = preview.locator('iframe.preview-html');
    // Sandboxed without allow-scripts (nor anything else): the e-mail can run no code.
    expect(await frame.getAttribute('sandbox')).toBe('');
    const body = page.frameLocator('#template-preview iframe.preview-html').locator('body');
    expect(await body.getAttribute('dir')).toBe('rtl');
    expect(await body.textContent()).toMatch(/[\u0600-\u06ff]/);
    expect(await page.frameLocator('#template-preview iframe.preview-html').locator('bdi', { hasText: 'KL1234' }).count()).toBeGreaterThan(0);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-templates-1440.png'), fullPage: true });
    await page.close();
  });

  it('shows the WhatsApp template of the combination picked: name, language, body and parameters', async () => {
    const page = await open('#/templates/flight-delay/whatsapp/ja');
    await page.locator('#template-preview[data-locale="ja"]').waitFor();
    await page.locator('#tpl-facts').selectOption('delayed,gate');
    // Not followed by a comma: the previous preview's head (every fact) starts with the same words.
    await page.locator('#template-preview .preview-head', { hasText: /facts: delayed, gate(?!,)/ }).waitFor();
    expect(await page.locator('#template-preview .template-name').textContent()).toMatch(/^flight_delay__delayed_gate__[0-9a-f]{6}$/);
    expect(await page.locator('#template-preview .template-language').textContent()).toBe('ja');
    expect(await page.locator('#template-preview .template-body').textContent()).toContain('{{1}}');
    expect(await page.locator('#template-preview .template-parameters li').allTextContents()).toEqual(expect.arrayContaining(['F9', 'E4']));
    expect(await page.locator('#template-preview .preview-text').textContent()).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    // Another language of the same type keeps the combination picked.
    await page.locator('#tpl-locale').selectOption('ko');
    await page.locator('#template-preview[data-locale="ko"] .preview-head', { hasText: /facts: delayed, gate(?!,)/ }).waitFor();
    expect(await page.locator('#tpl-grid a.chip.current').getAttribute('href')).toBe('#/templates/flight-delay/whatsapp/ko');
    // An address naming no catalog says which ones exist.
    await page.goto(`${url}/dashboard/#/templates/flight-delay/sms/sv`);
    await page.locator('#template-error', { hasText: 'locale must be one of the catalogs' }).waitFor();
    await page.close();
  });

  it('fits a phone without sideways scrolling', async () => {
    const page = await open('#/templates/boarding-pass/sms/pt-PT', { width: 390, height: 844 });
    await page.locator('#template-preview .preview-sms').waitFor();
    const { scrollWidth, clientWidth } = (await page.evaluate(
      '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
    )) as { scrollWidth: number; clientWidth: number };
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-templates-390.png'), fullPage: true });
    await page.close();
  });

  it("previews a notification in another language from its page, without sending it", async () => {
    const before: { n: number }[] = await service.db.query(`SELECT count(*)::int AS n FROM notifications`);
    const page = await open('');
    await page.locator('#f-status').selectOption('');
    await page.locator('#f-booking').fill('DTP001');
    await page.locator('#filters button[type=submit]').click();
    await page.locator(`#list tbody tr[data-id="${emailId}"]`).click();
    await page.locator('#detail-preview').waitFor();
    await waitFor(async () => (await page.locator('#preview-locale option').count()) === 12, 10_000, 'the language choices');
    // It starts from how it was sent: German (de-DE reads the de catalog), by e-mail.
    expect(await page.locator('#preview-locale').inputValue()).toBe('de');
    expect(await page.locator('#preview-channel').inputValue()).toBe('email');
    await page.locator('#preview-locale').selectOption('ja');
    const preview = page.locator('#notification-preview[data-locale="ja"]');
    await preview.waitFor();
    expect(await preview.locator('.preview-subject').textContent()).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(await page.frameLocator('#notification-preview iframe.preview-html').locator('body').textContent()).toContain('KL1901');
    expect(await preview.locator('iframe.preview-html').getAttribute('sandbox')).toBe('');

    await page.locator('#preview-channel').selectOption('whatsapp');
    await page.locator('#notification-preview[data-channel="whatsapp"] .template-name').waitFor();
    expect(await page.locator('#notification-preview .template-name').textContent()).toMatch(/^booking_confirmation__[0-9a-f]{6}$/);
    const after: { n: number }[] = await service.db.query(`SELECT count(*)::int AS n FROM notifications`);
    expect(after[0].n).toBe(before[0].n);
    await page.close();
  });

  it('ran without script errors', () => {
    // The unknown catalog above answers 400, which the browser logs as a failed resource.
    expect(pageErrors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });
});
