import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, DynamicModule, Get, INestApplication, Module, Post, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { createApp } from '../src/app.factory';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/app-config';
import { declaredAccess, RouteAccess } from '../src/ops/auth/ops-role';
import { OPENAPI_PUBLIC_ROUTES, OPENAPI_STATIC_MOUNTS } from '../src/openapi/openapi';
import { APP_TOKEN, createTestEnvironment, OPERATOR_TOKEN, PRODUCER_TOKEN, TestEnvironment, VIEWER_TOKEN } from './support/test-app';
import { useTestService } from './support/use-test-service';

/**
 * The HTTP edge, proven from what the router actually holds rather than from a list written by hand: every
 * route Express would dispatch to is either a Nest route whose access is declared in code, or one of the
 * OpenAPI page's routes (registered outside Nest, public by design). Each protected route refuses no token
 * (401), a viewer where it writes (403), and answers no other spelling of its path (404 or 401, never data).
 */

type Level = RouteAccess['level'] | 'undeclared';

interface EdgeRoute {
  method: string;
  /** As registered with Express (path-to-regexp syntax). */
  path: string;
  level: Level;
  why?: string;
}

interface RouterLayer {
  name: string;
  route?: { path: string; methods: Record<string, boolean> };
  matchers: ((path: string) => unknown)[];
}

const ID = '6f1c1d2e-1111-4222-8333-944455556666';
const READ_METHODS = ['GET', 'HEAD'];

/** The routes Express dispatches to, classified from Nest's metadata; anything else is reported as foreign. */
function edgeRoutes(app: INestApplication): { routes: EdgeRoute[]; foreign: string[]; unmatchedNest: string[]; staticMounts: RouterLayer[] } {
  const nest = new Map<string, EdgeRoute>();
  const reflector = app.get(Reflector);
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
      for (const key of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[key];
        if (typeof handler !== 'function' || key === 'constructor') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (sub === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const path = nestPath(base ?? '', sub);
        const access = declaredAccess(reflector, handler, controller);
        nest.set(`${method} ${path}`, {
          method,
          path,
          level: access?.level ?? 'undeclared',
          why: access?.level === 'public' ? access.reason : undefined,
        });
      }
    }
  }
  const stack = (app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } }).router.stack;
  const routes: EdgeRoute[] = [];
  const foreign: string[] = [];
  const seen = new Set<string>();
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const method of Object.keys(layer.route.methods).map((m) => m.toUpperCase())) {
      const key = `${method} ${layer.route.path}`;
      const known = nest.get(key);
      if (known) {
        routes.push(known);
        seen.add(key);
      } else if (method === 'GET' && (OPENAPI_PUBLIC_ROUTES as readonly string[]).includes(layer.route.path)) {
        routes.push({ method, path: layer.route.path, level: 'public', why: 'OpenAPI page, registered by SwaggerModule outside Nest' });
      } else {
        foreign.push(key);
      }
    }
  }
  const unmatchedNest = [...nest.keys()].filter((key) => !seen.has(key));
  const staticMounts = stack.filter((layer) => !layer.route && layer.name === 'serveStatic');
  return { routes, foreign, unmatchedNest, staticMounts };
}

/** Nest's own joining: leading slash, one slash between, none at the end. */
function nestPath(base: string, sub: string): string {
  const joined = `/${base}/${sub}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** A request path for a route: every parameter filled with a UUID, optional groups left out. */
function concrete(path: string): string {
  return path.replace(/\{[^}]*\}/g, '').replace(/:[A-Za-z0-9_]+/g, ID);
}

/** Other spellings of /api/...: each must be 404 (another path) or 401, never the route's answer. */
function variants(path: string): string[] {
  const rest = path.slice('/api'.length); // "/notifications/…"
  const [, second, ...more] = rest.split('/');
  return [
    `/API${rest}`,
    `/Api${rest}`,
    `/api/.${rest}`,
    `/%61pi${rest}`,
    `/${path}`,
    `${path}/`,
    `/api/${second.charAt(0).toUpperCase()}${second.slice(1)}${more.length ? `/${more.join('/')}` : ''}`,
  ];
}

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request sent byte for byte as written (supertest and fetch would normalise "/./" and "//"). */
function send(app: INestApplication, method: string, path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const { port } = app.getHttpServer().address() as AddressInfo;
  const body = READ_METHODS.includes(method) ? undefined : '{}';
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      // Content-Length: Node's client sends a DELETE body without framing (no chunked encoding for DELETE), which the server could not parse.
      { host: '127.0.0.1', port, method, path, headers: { ...headers, ...(body ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } : {}) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

function counterValue(metrics: string, reason: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`notifier_ops_auth_failures_total{reason="${reason}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('the HTTP edge: every route declared, denied by default, one spelling per path', () => {
  let routes: EdgeRoute[];
  let protectedRoutes: EdgeRoute[];

  // This file sends hundreds of token-less requests from one address; the limit is tested on its own app below.
  const service = useTestService({ OPS_AUTH_MAX_FAILURES: '1000000' });

  beforeAll(async () => {
    routes = edgeRoutes(service.app).routes;
    protectedRoutes = routes.filter((r) => r.level !== 'public');
  });

  it('knows every route the router dispatches to, and each declares who may call it', () => {
    const { foreign, unmatchedNest, staticMounts } = edgeRoutes(service.app);
    expect(foreign).toEqual([]);
    expect(unmatchedNest).toEqual([]);
    expect(routes.filter((r) => r.level === 'undeclared')).toEqual([]);
    // Besides routes, only Swagger UI's static files answer requests, and only under its own paths.
    expect(staticMounts).toHaveLength(OPENAPI_STATIC_MOUNTS.length);
    for (const [i, mount] of OPENAPI_STATIC_MOUNTS.entries()) {
      expect(staticMounts[i].matchers.some((match) => match(`${mount}/swagger-ui.css`))).toBeTruthy();
      expect(staticMounts[i].matchers.some((match) => match('/api/notifications'))).toBeFalsy();
    }
    // Sanity: the enumeration found the API, the public doors, and both kinds of protection.
    expect(routes.length).toBeGreaterThanOrEqual(30);
    expect(routes).toContainEqual(expect.objectContaining({ method: 'GET', path: '/api/notifications', level: 'viewer' }));
    expect(routes).toContainEqual(expect.objectContaining({ method: 'POST', path: '/api/replays', level: 'operator' }));
    expect(routes).toContainEqual(expect.objectContaining({ method: 'GET', path: '/health', level: 'public' }));
    expect(routes).toContainEqual(expect.objectContaining({ method: 'PUT', path: '/api/app-devices/:installationId', level: 'app' }));
    expect(routes).toContainEqual(expect.objectContaining({ method: 'DELETE', path: '/api/app-devices/:installationId', level: 'app' }));
    // Every public door outside the OpenAPI page is a probe, the scrape, a signed provider webhook or the page.
    const publicNest = routes.filter((r) => r.level === 'public' && !(OPENAPI_PUBLIC_ROUTES as readonly string[]).includes(r.path));
    expect(publicNest.map((r) => r.path.split(/[/{]/)[1]).sort()).toEqual(
      ['dashboard', 'dashboard', 'health', 'health', 'health', 'metrics', ...Array<string>(8).fill('webhooks'), ...Array<string>(6).fill('wallet')].sort(),
    );
    // Apple Wallet's pass web service: each route naming a pass checks that pass's ApplePass token (docs/decisions/0031);
    // the e-mail's download link checks the pass's download token in its path (0034).
    expect(publicNest.filter((r) => r.path.startsWith('/wallet/')).map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        'POST /wallet/apple/v1/devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier/:serialNumber',
        'DELETE /wallet/apple/v1/devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier/:serialNumber',
        'GET /wallet/apple/v1/devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier',
        'GET /wallet/apple/v1/passes/:passTypeIdentifier/:serialNumber',
        'POST /wallet/apple/v1/log',
        'GET /wallet/apple/passes/:serialNumber/:token/boarding-pass.pkpass',
      ].sort(),
    );
    // The webhooks are the providers' own: WhatsApp and Messenger (verify + events), Twilio, WeChat (verify + pushes).
    expect(publicNest.filter((r) => r.path.startsWith('/webhooks/')).map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        'GET /webhooks/whatsapp',
        'POST /webhooks/whatsapp',
        'GET /webhooks/messenger',
        'POST /webhooks/messenger',
        'POST /webhooks/twilio/status',
        'POST /webhooks/twilio/inbound',
        'GET /webhooks/wechat',
        'POST /webhooks/wechat',
      ].sort(),
    );
    process.stdout.write(`\nHTTP edge routes:\n${routes.map((r) => `  ${r.method.padEnd(4)} ${r.path.padEnd(70)} ${r.level}${r.why ? ` — ${r.why}` : ''}`).join('\n')}\n`);
  });

  it('refuses every protected route without a token and with an unknown one (401)', async () => {
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(12);
    for (const route of protectedRoutes) {
      const path = concrete(route.path);
      expect([route.path, (await send(service.app, route.method, path)).status]).toEqual([route.path, 401]);
      const unknown = await send(service.app, route.method, path, bearer('not-a-configured-token-0123456789'));
      expect([route.path, unknown.status]).toEqual([route.path, 401]);
    }
  });

  it('lets a viewer read, and refuses a viewer everywhere it would write (403): every write is operator-only but publishing', async () => {
    for (const route of protectedRoutes) {
      const answer = await send(service.app, route.method, concrete(route.path), bearer(VIEWER_TOKEN));
      if (route.method === 'POST' && route.path === '/api/events') {
        // Publishing events is the producer's alone (docs/decisions/0013): a viewer and an operator get 403.
        expect(route.level).toBe('producer');
        expect(answer.status).toBe(403);
        expect((await send(service.app, route.method, route.path, bearer(OPERATOR_TOKEN))).status).toBe(403);
      } else if (route.path.startsWith('/api/app-devices/')) {
        // Registering the app's devices is the app backend's alone (docs/decisions/0028): a viewer and an operator get 403.
        expect([route.method, route.level]).toEqual([route.method, 'app']);
        expect(answer.status).toBe(403);
        expect((await send(service.app, route.method, concrete(route.path), bearer(OPERATOR_TOKEN))).status).toBe(403);
      } else if (READ_METHODS.includes(route.method)) {
        expect([route.path, route.level]).toEqual([route.path, 'viewer']);
        expect([route.path, [401, 403].includes(answer.status)]).toEqual([route.path, false]);
      } else {
        expect([route.method, route.path, route.level]).toEqual([route.method, route.path, 'operator']);
        expect([route.path, answer.status]).toEqual([route.path, 403]);
      }
    }
  });

  it('refuses an app token everywhere but PUT and DELETE /api/app-devices/:installationId (403), where it gets in', async () => {
    for (const route of protectedRoutes.filter((r) => r.level !== 'app')) {
      const answer = await send(service.app, route.method, concrete(route.path), bearer(APP_TOKEN));
      expect([route.method, route.path, answer.status]).toEqual([route.method, route.path, 403]);
    }
    const own = [...new Set(protectedRoutes.filter((r) => r.level === 'app').map((r) => `${r.method} ${r.path}`))].sort();
    expect(own).toEqual(['DELETE /api/app-devices/:installationId', 'PUT /api/app-devices/:installationId']);
    // Past the guard: an empty body is refused by validation (400), a removal of an unknown installation is 200.
    expect((await send(service.app, 'PUT', concrete('/api/app-devices/:installationId'), bearer(APP_TOKEN))).status).toBe(400);
    expect((await send(service.app, 'DELETE', concrete('/api/app-devices/:installationId'), bearer(APP_TOKEN))).status).toBe(200);
  });

  it('refuses a producer token everywhere but POST /api/events (403)', async () => {
    for (const route of protectedRoutes.filter((r) => r.level !== 'producer')) {
      const answer = await send(service.app, route.method, concrete(route.path), bearer(PRODUCER_TOKEN));
      expect([route.method, route.path, answer.status]).toEqual([route.method, route.path, 403]);
    }
    // (listed once per router layer: the route's own body parser is one)
    expect([...new Set(protectedRoutes.filter((r) => r.level === 'producer').map((r) => `${r.method} ${r.path}`))]).toEqual(['POST /api/events']);
  });

  it('answers no other spelling of a protected path: case, dot segments, percent-encoding, doubled or trailing slashes', async () => {
    let tried = 0;
    for (const route of protectedRoutes) {
      expect(route.path.startsWith('/api/')).toBe(true);
      for (const variant of variants(concrete(route.path))) {
        const anonymous = await send(service.app, route.method, variant);
        expect([variant, [401, 404].includes(anonymous.status)]).toEqual([variant, true]);
        // Even with a valid token these are other paths: routing, not only the guard, refuses them.
        const operator = await send(service.app, route.method, variant, bearer(OPERATOR_TOKEN));
        expect([route.method, variant, operator.status]).toEqual([route.method, variant, 404]);
        tried++;
      }
    }
    expect(tried).toBe(protectedRoutes.length * 7);
  });

  it('sends no-store and nosniff under /api, no X-Powered-By, and frames nothing', async () => {
    for (const [path, headers, status] of [
      ['/api/notifications', bearer(VIEWER_TOKEN), 200],
      ['/api/notifications', {}, 401],
      ['/API/notifications', {}, 404],
      ['/api/docs-json', {}, 200],
    ] as const) {
      const answer = await send(service.app, 'GET', path, headers);
      expect(answer.status).toBe(status);
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-powered-by']).toBeUndefined();
      expect(answer.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('serves the OpenAPI page with a Content-Security-Policy, scripts from itself only, and no framing', async () => {
    const page = await send(service.app, 'GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(page.body).toContain('swagger-ui-init.js');
    expect(page.headers['x-frame-options']).toBe('DENY');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).not.toContain('upgrade-insecure-requests'); // the page is served over plain HTTP locally
    // Every script the page loads is a file from the same origin (so 'self' allows it) and is served.
    const scripts = [...page.body.matchAll(/<script src=["']([^"']+)["']/g)].map((m) => new URL(m[1], 'http://x/api/docs').pathname);
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const script of scripts) expect([script, (await send(service.app, 'GET', script)).status]).toEqual([script, 200]);
    expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline script
  });

  it("keeps the dashboard's own stricter policy", async () => {
    const page = await send(service.app, 'GET', '/dashboard/');
    expect(page.status).toBe(200);
    const csp = page.headers['content-security-policy'];
    expect(typeof csp).toBe('string'); // one header, not helmet's and the page's
    expect(csp).toContain("img-src 'self' blob: data:");
    expect(csp).toContain("form-action 'none'");
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await send(service.app, 'GET', '/dashboard')).status).toBe(301);
  });
});

@Controller('api/late-addition')
class UndecoratedApiController {
  @Get()
  list() {
    return { passengers: ['someone@example.com'] };
  }

  @Post()
  add() {
    return { added: true };
  }
}

@Controller('internal/passengers')
class UndecoratedElsewhereController {
  @Get()
  list() {
    return { passengers: ['someone@example.com'] };
  }
}

@Module({})
class LateAdditionModule {}

describe('a route added later without a decorator, and the failed-login limit', () => {
  let environment: TestEnvironment;
  let app: INestApplication;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    const config = loadConfig({
      ...environment.env,
      PORT: '0',
      CONSUMER_ENABLED: 'false',
      DISPATCHER_ENABLED: 'false',
      OPS_AUTH_MAX_FAILURES: '3',
      OPS_AUTH_FAILURE_WINDOW_SECONDS: '600',
      // As behind one load balancer: the client is the address it appends to X-Forwarded-For.
      TRUST_PROXY_HOPS: '1',
    });
    const root: DynamicModule = {
      module: LateAdditionModule,
      imports: [AppModule.forRoot(config)],
      controllers: [UndecoratedApiController, UndecoratedElsewhereController],
    };
    app = await createApp(config, root);
    await app.listen(0);
  });

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  const from = (address: string, headers: Record<string, string> = {}) => ({ 'X-Forwarded-For': address, ...headers });

  it('refuses an undecorated route, wherever it is mounted, to all but operators — and the enumeration flags it', async () => {
    const { routes } = edgeRoutes(app);
    const undeclared = routes.filter((r) => r.level === 'undeclared').map((r) => `${r.method} ${r.path}`);
    expect(undeclared.sort()).toEqual(['GET /api/late-addition', 'GET /internal/passengers', 'POST /api/late-addition']);

    for (const path of ['/api/late-addition', '/internal/passengers']) {
      const anonymous = await send(app, 'GET', path, from('192.0.2.10'));
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).not.toContain('someone@example.com');
      expect((await send(app, 'GET', path, from('192.0.2.10', bearer(VIEWER_TOKEN)))).status).toBe(403);
      expect((await send(app, 'GET', path, from('192.0.2.10', bearer(OPERATOR_TOKEN)))).status).toBe(200);
    }
    expect((await send(app, 'POST', '/api/late-addition', from('192.0.2.10', bearer(VIEWER_TOKEN)))).status).toBe(403);
  });

  it('answers 429 with Retry-After after too many failed logins from one address, even to a valid token, and counts them', async () => {
    const before = (await send(app, 'GET', '/metrics')).body;
    for (let i = 0; i < 2; i++) expect((await send(app, 'GET', '/api/notifications', from('192.0.2.20'))).status).toBe(401);
    expect((await send(app, 'GET', '/api/audit', from('192.0.2.20', bearer('guessed-token-0123456789abcdef')))).status).toBe(401);

    const limited = await send(app, 'GET', '/api/notifications', from('192.0.2.20'));
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(limited.headers['cache-control']).toBe('no-store');
    // A right guess from a blocked address is refused too, or the answer would tell which guess was right.
    expect((await send(app, 'GET', '/api/notifications', from('192.0.2.20', bearer(OPERATOR_TOKEN)))).status).toBe(429);
    // Per client address: another one is not affected; public routes are not limited.
    expect((await send(app, 'GET', '/api/notifications', from('192.0.2.21', bearer(VIEWER_TOKEN)))).status).toBe(200);
    expect((await send(app, 'GET', '/api/notifications', from('192.0.2.21'))).status).toBe(401);
    expect((await send(app, 'GET', '/health/live', from('192.0.2.20'))).status).toBe(200);
    // A viewer refused an action authenticated fine: 403, not a failed login.
    for (let i = 0; i < 4; i++) expect((await send(app, 'POST', '/api/replays', from('192.0.2.22', bearer(VIEWER_TOKEN)))).status).toBe(403);

    const after = (await send(app, 'GET', '/metrics')).body;
    expect(after).toContain('# TYPE notifier_ops_auth_failures_total counter');
    expect(counterValue(after, 'missing') - counterValue(before, 'missing')).toBe(3);
    expect(counterValue(after, 'invalid') - counterValue(before, 'invalid')).toBe(1);
    expect(counterValue(after, 'rate_limited') - counterValue(before, 'rate_limited')).toBe(2);
  });
});
