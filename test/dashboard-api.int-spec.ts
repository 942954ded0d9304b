import { ChannelRegistry } from '../src/channels/channel-registry';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { ScriptedAdapter } from './support/scripted-adapter';
import { count, waitFor } from './support/test-app';
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

describe('dashboard endpoints: the page, /api/stats, /api/session, and the OpenAPI document', () => {
  let whatsapp: ScriptedAdapter;

  const service = useTestService();

  beforeAll(async () => {
    whatsapp = new ScriptedAdapter('local-whatsapp');
    service.app.get(ChannelRegistry).use('whatsapp', whatsapp);
  });

  it('serves the page as public static files with a strict content security policy, and nothing else', async () => {
    const anonymous = service.http('anonymous');
    const redirect = await anonymous.get('/dashboard').expect(301);
    expect(redirect.headers.location).toBe('/dashboard/');
    const page = await anonymous.get('/dashboard/').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('<script src="app.js" defer></script>');
    const script = await anonymous.get('/dashboard/app.js').expect(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.text).not.toMatch(/innerHTML/);
    await anonymous.get('/dashboard/app.css').expect(200).expect('Content-Type', 'text/css; charset=utf-8');
    await anonymous.get('/dashboard/package.json').expect(404);
    await anonymous.get('/dashboard/..%2Fpackage.json').expect(404);
    await anonymous.get('/dashboard/constructor').expect(404);
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

    // Older than the window: not counted.
    await service.db.query(`UPDATE notifications SET created_at = now() - interval '3 hours' WHERE status = 'failed'`);
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
    expect(filter.properties.channel.enum).toEqual(['whatsapp', 'sms', 'email', 'webhook']);
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
