import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ChannelRegistry } from '../src/channels/channel-registry.service';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { ScriptedAdapter } from './support/scripted-adapter';
import { count, createTestEnvironment, startService, TestEnvironment, TestService, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

interface OpenApiOperation {
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: { enum?: string[]; pattern?: string; type?: string } }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    securitySchemes: Record<string, { type: string; scheme: string }>;
    schemas: Record<string, { properties: Record<string, { enum?: string[]; pattern?: string; type?: string; format?: string }>; required?: string[] }>;
  };
}

const DASHBOARD_DIR = join(__dirname, '..', 'public', 'dashboard');
const run = (command: string, args: string[], cwd: string) =>
  promisify(execFile)(command, args, { cwd, timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });

describe('dashboard endpoints: the page, /api/stats, /api/session, and the OpenAPI document', () => {
  let whatsapp: ScriptedAdapter;

  const service = useTestService();

  beforeAll(async () => {
    whatsapp = new ScriptedAdapter('local-whatsapp');
    service.app.get(ChannelRegistry).use('whatsapp', whatsapp);
  });

  it('serves the page as public static ES modules with a strict content security policy, and nothing else', async () => {
    const anonymous = service.http('anonymous');
    const redirect = await anonymous.get('/dashboard').expect(301);
    expect(redirect.headers.location).toBe('/dashboard/');
    const page = await anonymous.get('/dashboard/').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(page.headers['content-security-policy']);
    // Scripts (ES modules) only from the service itself: no inline script, no eval, no other origin.
    expect(csp.split('; ').find((d) => d.startsWith('script-src'))).toBe("script-src 'self'");
    expect(page.text).toContain('<script type="module" src="main.js"></script>');
    // No inline script and no inline style in the page itself.
    expect(page.text.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="main.js">']);
    expect(page.text).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);

    const modules = readdirSync(DASHBOARD_DIR).filter((f) => f.endsWith('.js'));
    expect(modules.length).toBeGreaterThanOrEqual(8);
    for (const file of modules) {
      const script = await anonymous.get(`/dashboard/${file}`).expect(200);
      expect([file, script.headers['content-type']]).toEqual([file, 'text/javascript; charset=utf-8']);
      expect([file, script.text.startsWith('// @ts-check\n')]).toEqual([file, true]);
      // Text from the API goes into the page as text; colours through the CSSOM, never a style attribute.
      expect([file, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|setAttribute\(['"]style|\beval\(|new Function/.test(script.text)]).toEqual([file, false]);
      // Modules import only their siblings.
      for (const [, target] of script.text.matchAll(/from '([^']+)'/g)) expect([file, target]).toEqual([file, expect.stringMatching(/^\.\/[a-z-]+\.js$/)]);
    }
    await anonymous.get('/dashboard/app.css').expect(200).expect('Content-Type', 'text/css; charset=utf-8');
    await anonymous.get('/dashboard/tsconfig.json').expect(404);
    await anonymous.get('/dashboard/types').expect(404);
    await anonymous.get('/dashboard/types%2Fapi.d.ts').expect(404);
    await anonymous.get('/dashboard/package.json').expect(404);
    await anonymous.get('/dashboard/..%2Fpackage.json').expect(404);
    await anonymous.get('/dashboard/constructor').expect(404);
  });

  it("keeps the page's generated API types current with the OpenAPI document, and its modules type-check against them", async () => {
    const doc = (await service.http('anonymous').get('/api/docs-json').expect(200)).body as unknown;
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-types-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
      // The package's own command, as `npm run types:dashboard` runs it (its exports hide bin/ from require.resolve).
      const cli = join(dirname(require.resolve('openapi-typescript')), '..', 'bin', 'cli.js');
      await run(process.execPath, [cli, join(dir, 'openapi.json'), '--output', join(dir, 'api.d.ts')], dir);
      const committed = readFileSync(join(DASHBOARD_DIR, 'types', 'api.d.ts'), 'utf8');
      const fresh = readFileSync(join(dir, 'api.d.ts'), 'utf8');
      // On failure: start the service and run `npm run types:dashboard` (README, "Operations console").
      expect(committed === fresh ? 'current' : 'public/dashboard/types/api.d.ts is stale: npm run types:dashboard').toBe('current');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const tsc = require.resolve('typescript/bin/tsc');
    const { stdout } = await run(process.execPath, [tsc, '--noEmit', '-p', join(DASHBOARD_DIR, 'tsconfig.json')], DASHBOARD_DIR).catch(
      (error: { stdout?: string; message: string }) => ({ stdout: error.stdout ?? error.message }),
    );
    expect(stdout.trim()).toBe('');
  });

  it('counts notifications per hour × channel × status, behind the token', async () => {
    await service.http('anonymous').get('/api/stats').expect(401);
    whatsapp.answer({ outcome: 'permanent', code: '131026', message: 'Message undeliverable' });
    const pax = [passenger({ passengerId: 'P1' }), passenger({ passengerId: 'P2', contacts: { whatsapp: '+31612345679' } })];
    const booking = bookingSnapshot('booking.confirmed', { bookingReference: 'STA001', passengers: pax, segments: [segment({ flightNumber: '9001' })] });
    await service.publisher.publish(booking.type, booking);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE status IN ('sent', 'failed')`)) === 2);

    const stats = (await service.http('viewer').get('/api/stats').expect(200)).body;
    expect(stats.hours).toHaveLength(6);
    const thisHour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
    expect(stats.hours[5]).toBe(thisHour);
    expect(stats.rows).toEqual(
      expect.arrayContaining([
        { hour: thisHour, channel: 'whatsapp', status: 'failed', count: 1 },
        { hour: thisHour, channel: 'whatsapp', status: 'sent', count: 1 },
      ]),
    );
    expect(stats.totals).toEqual({ all: 2, byStatus: { failed: 1, sent: 1 }, byChannel: { whatsapp: { failed: 1, sent: 1 } } });

    // The last hour minute by minute: the two created, one sent, one failed; nothing waiting.
    expect(stats.minutes).toHaveLength(60);
    const starts = stats.minutes.map((m: { minute: string }) => Date.parse(m.minute));
    expect(starts.every((t: number, i: number) => i === 0 || t - starts[i - 1] === 60_000)).toBe(true);
    expect(Date.now() - starts[59]).toBeLessThan(120_000);
    const sum = (k: string) => stats.minutes.reduce((n: number, m: Record<string, number>) => n + m[k], 0);
    expect([sum('created'), sum('sent'), sum('failed'), sum('retried')]).toEqual([2, 1, 1, 0]);
    expect(stats.backlog).toEqual({ pending: 0, due: 0, scheduled: 0, sending: 0, oldestDueAt: null, lagSeconds: 0 });

    // The failed list shows the error code and the recipient masked.
    const failed = (await service.http('viewer').get('/api/notifications').query({ status: 'failed', bookingReference: 'STA001' }).expect(200)).body;
    expect(failed.items).toHaveLength(1);
    expect(failed.items[0]).toMatchObject({ lastErrorCode: '131026', maskedRecipient: expect.stringMatching(/^\+31\*{6}67[89]$/) });

    // Older than the window: not counted.
    // (A notification's creation time never changes; the fixture ages both copies of it, decision 0049.)
    await service.db.query(
      `WITH aged AS (UPDATE notifications SET created_at = now() - interval '3 hours' WHERE status = 'failed' RETURNING id, created_at)
       UPDATE notification_keys k SET created_at = aged.created_at FROM aged WHERE k.id = aged.id`,
    );
    const short = (await service.http('viewer').get('/api/stats').query({ hours: 2 }).expect(200)).body;
    expect(short.hours).toHaveLength(2);
    expect(short.totals.byStatus).toEqual({ sent: 1 });
    await service.http('viewer').get('/api/stats').query({ hours: 0 }).expect(400);
    await service.http('viewer').get('/api/stats').query({ hours: 'many' }).expect(400);
    await service.http('viewer').get('/api/stats').query({ hours: 6, extra: 1 }).expect(400);
  });

  it('tells the page which role its token has', async () => {
    expect((await service.http('viewer').get('/api/session').expect(200)).body).toEqual({ role: 'viewer', actor: expect.stringMatching(/^viewer:[0-9a-f]{8}$/) });
    expect((await service.http('operator').get('/api/session').expect(200)).body.role).toBe('operator');
    await service.http('anonymous').get('/api/session').expect(401);
  });

  it('publishes the OpenAPI document of the ops API without a token, with bearer auth on every /api operation', async () => {
    const doc = (await service.http('anonymous').get('/api/docs-json').expect(200)).body as OpenApiDocument;
    expect(doc.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/notifications',
        '/api/notifications/{id}',
        '/api/notifications/{id}/replay',
        '/api/replays',
        '/api/replays/{id}',
        '/api/replays/{id}/cancel',
        '/api/dead-letters/redrive',
        '/api/dead-letters',
        '/api/dead-letters/{id}/redrive',
        '/api/audit',
        '/api/stats',
        '/health/live',
        '/health/ready',
      ]),
    );
    // Provider webhooks, the page and /metrics are not part of the ops API.
    expect(paths.filter((p) => !/^\/(api|health)\b/.test(p))).toEqual([]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const path of paths.filter((p) => p.startsWith('/api/'))) {
      for (const operation of Object.values(doc.paths[path])) {
        expect(operation.security).toEqual([{ bearer: [] }]);
        expect(operation.tags?.length).toBeGreaterThan(0);
      }
    }
    // Schemas come from the validation rules.
    const list = doc.paths['/api/notifications'].get.parameters ?? [];
    expect(list.find((p) => p.name === 'status')).toMatchObject({ in: 'query', required: false, schema: { enum: expect.arrayContaining(['failed', 'sent']) } });
    const replayBody = doc.paths['/api/replays'].post.requestBody?.content['application/json'].schema.$ref;
    expect(replayBody).toBe('#/components/schemas/ReplayFilterBody');
    const filter = doc.components.schemas.ReplayFilterBody;
    expect(filter.properties.channel.enum).toEqual(['whatsapp', 'sms', 'email', 'messenger', 'wechat', 'push', 'webhook']);
    expect(filter.properties.since).toMatchObject({ type: 'string', format: 'date-time' });
    expect(filter.properties.dryRun.type).toBe('boolean');
    expect(filter.properties.bookingReference.pattern).toBe('^[A-Z0-9]{6}$');
    expect(filter.required ?? []).toEqual([]);
    expect(filter.properties.confirm).toMatchObject({ type: 'integer', minimum: 0 });
    expect(filter.properties.status).toMatchObject({ default: 'failed' });
    const deadLetters = doc.paths['/api/dead-letters'].get.parameters ?? [];
    expect(deadLetters.find((p) => p.name === 'open')).toMatchObject({ in: 'query', required: false, schema: { type: 'boolean' } });

    const ui = await service.http('anonymous').get('/api/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger-ui');
  });
});

/** Backlog, lag, per-minute traffic and one flight, on rows written directly into a service without a dispatcher. */
describe('dashboard endpoints on a quiet service: backlog, dispatch lag, sends per minute, one flight', () => {
  let environment: TestEnvironment;
  let service: TestService;
  const FLIGHT = 'KL4321-2026-12-01';

  /** A notification row as the planner writes it, with the given fields. */
  const insert = (fields: { status: string; channel?: string; dueAt?: string; createdAt?: string; flight?: string | null; passengerId?: string; recipient?: string; type?: string; errorCode?: string; error?: string }) =>
    service.db.query(
      `INSERT INTO notifications (dedupe_key, type, channel, status, booking_reference, passenger_id, flight_key, locale, recipient,
                                  event_source, event_id, due_at, created_at, updated_at, last_error_code, last_error, claimed_until)
       VALUES (gen_random_uuid()::text, $1, $2, $3, 'QUI001', $4, $5, 'en', $6, '/test', gen_random_uuid()::text,
               now() + $7::interval, now() + $8::interval, now(), $9, $10, CASE WHEN $3 = 'sending' THEN now() + interval '2 minutes' END)
       RETURNING id`,
      [
        fields.type ?? 'flight-delay', fields.channel ?? 'whatsapp', fields.status, fields.passengerId ?? 'P1', fields.flight === undefined ? FLIGHT : fields.flight,
        fields.recipient ?? '+31612345678', fields.dueAt ?? '0 s', fields.createdAt ?? '0 s', fields.errorCode ?? null, fields.error ?? null,
      ],
    ) as Promise<{ id: string }[]>;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    service = await startService({ ...environment.env, DISPATCHER_ENABLED: 'false', CONSUMER_ENABLED: 'false' });
  });

  afterAll(async () => {
    await service?.close();
    await environment?.dispose();
  });

  it('reports the backlog by status, the age of the oldest due notification, and sends per minute', async () => {
    for (let i = 0; i < 3; i++) await insert({ status: 'pending', dueAt: `-${5 + i} minutes`, createdAt: '-10 minutes' });
    await insert({ status: 'pending', channel: 'sms', dueAt: '1 hour', flight: null });
    await insert({ status: 'sending', channel: 'email', recipient: 'pax@example.com' });
    const [sent] = await insert({ status: 'sent', createdAt: '-3 minutes' });
    // The timeline's ids grow with its time (every row is written with the default clock_timestamp()), so the
    // rows go in oldest first: an attempt two hours ago, outside the window; then two minutes ago three sent,
    // one retried and one failure.
    await service.db.query(
      `INSERT INTO notification_events (notification_id, at, kind, detail) VALUES ($1, now() - interval '2 hours', 'attempt', '{"outcome":"accepted"}')`,
      [sent.id],
    );
    await service.db.query(
      `INSERT INTO notification_events (notification_id, at, kind, detail)
       SELECT $1, now() - interval '2 minutes', k, d::jsonb FROM (VALUES
         ('attempt', '{"outcome":"accepted"}'), ('attempt', '{"outcome":"delivered"}'), ('attempt', '{"outcome":"accepted"}'),
         ('attempt', '{"outcome":"retryable"}'), ('retry-scheduled', '{"inMs":1000}'),
         ('attempt', '{"outcome":"permanent"}'), ('failed', '{"code":"131026"}')) AS e(k, d)`,
      [sent.id],
    );

    const stats = (await service.http('viewer').get('/api/stats').expect(200)).body;
    expect(stats.backlog).toMatchObject({ pending: 4, due: 3, scheduled: 1, sending: 1 });
    // The oldest due one was due 7 minutes ago (the request takes well under a minute).
    expect(stats.backlog.lagSeconds).toBeGreaterThanOrEqual(7 * 60);
    expect(stats.backlog.lagSeconds).toBeLessThan(8 * 60);
    expect(Date.parse(stats.backlog.oldestDueAt)).toBeCloseTo(Date.now() - stats.backlog.lagSeconds * 1000, -4);
    const busy = stats.minutes.filter((m: { sent: number; failed: number; retried: number }) => m.sent + m.failed + m.retried > 0);
    expect(busy).toHaveLength(1);
    expect(busy[0]).toMatchObject({ sent: 3, failed: 1, retried: 1 });
    const created = stats.minutes.reduce((n: number, m: { created: number }) => n + m.created, 0);
    expect(created).toBe(6);
  });

  it('shows one flight: its latest status, its passengers told by channel and status, and the failures with their reasons', async () => {
    await insert({ status: 'delivered', passengerId: 'P2', type: 'gate-change' });
    await insert({ status: 'failed', passengerId: 'P3', type: 'gate-change', recipient: '+31687654321', errorCode: '131026', error: 'Message undeliverable to +31687654321' });
    await service.db.query(
      `INSERT INTO flight_status (carrier, flight_number, departure_date, origin, version, status, snapshot, updated_at)
       VALUES ('KL', '4321', '2026-12-01', 'AMS', 3, 'DELAYED', $1, now())`,
      [JSON.stringify({
        carrier: 'KL', flightNumber: '4321', departureDate: '2026-12-01', origin: 'AMS', destination: 'CDG', status: 'DELAYED',
        scheduledDeparture: '2026-12-01T07:35:00Z', estimatedDeparture: '2026-12-01T08:20:00Z', departureGate: 'D7', departureTerminal: '2', version: 3,
      })],
    );

    const view = (await service.http('viewer').get(`/api/flights/${FLIGHT}`).expect(200)).body;
    expect(view.flight).toBe(FLIGHT);
    expect(view.legs).toEqual([
      expect.objectContaining({
        origin: 'AMS', destination: 'CDG', status: 'DELAYED', scheduledDeparture: '2026-12-01T07:35:00Z', estimatedDeparture: '2026-12-01T08:20:00Z',
        departureGate: 'D7', departureTerminal: '2', baggageBelt: null, version: 3,
      }),
    ]);
    // P1: three pending, one sent (earlier test) — told; P2 delivered — told; P3 failed.
    expect(view.passengers).toEqual({ planned: 3, told: 2, withFailures: 1 });
    expect(view.counts).toEqual(expect.arrayContaining([
      { type: 'flight-delay', channel: 'whatsapp', status: 'pending', count: 3 },
      { type: 'flight-delay', channel: 'whatsapp', status: 'sent', count: 1 },
      { type: 'gate-change', channel: 'whatsapp', status: 'delivered', count: 1 },
      { type: 'gate-change', channel: 'whatsapp', status: 'failed', count: 1 },
    ]));
    expect(view.failedTotal).toBe(1);
    expect(view.failed).toEqual([
      expect.objectContaining({
        type: 'gate-change', channel: 'whatsapp', bookingReference: 'QUI001', passengerId: 'P3',
        maskedRecipient: '+31******321', errorCode: '131026', error: 'Message undeliverable to +31******321',
      }),
    ]);
    expect(JSON.stringify(view)).not.toContain('687654');

    await service.http('anonymous').get(`/api/flights/${FLIGHT}`).expect(401);
    const bad = await service.http('viewer').get('/api/flights/KL4321').expect(400);
    expect(bad.body.message).toMatch(/^flight must be a flight key/);
    await service.http('viewer').get('/api/flights/kl4321-2026-12-01').expect(400);
    const unknown = await service.http('viewer').get('/api/flights/KL9999-2026-12-01').expect(404);
    expect(unknown.body.message).toContain('KL9999-2026-12-01');
  });
});
