import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import request from 'supertest';
import type { App } from 'supertest/types';
import { bookingSnapshot, checkinCompleted, passenger, segment } from '../src/demo/sample-events';
import { APP_TOKEN, count, OPERATOR_TOKEN, PRODUCER_TOKEN, VIEWER_TOKEN, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

/**
 * The OpenAPI document against the running server: linted by @redocly/cli (recommended rules), then every
 * operation it lists — read from the live document, not from a list here — is called with a valid request
 * and with invalid ones; every answer's status must be documented for that operation and its body must
 * validate against the documented schema (objects closed, so an undocumented field fails too).
 */

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
interface Response {
  description: string;
  content?: Record<string, { schema?: Schema }>;
}
interface Operation {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, Response>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}
interface Call {
  method: string;
  path: string;
  operation: Operation;
}
interface Lint {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
/** Values a pattern-constrained parameter can take (the first one the pattern accepts is used). */
const PATTERN_SAMPLES = ['OAPI01', 'KL1234-2026-12-01', 'P1', 'en'];
const BAD_FORMAT = 'NOT_VALID';

describe('OpenAPI contract: the document is valid and every operation answers only what it documents', () => {
  let document: Document;
  let calls: Call[];
  let validatorFor: (schema: Schema) => ValidateFunction;
  /** Path parameters of seeded data, by path template; other paths get values made from their schemas. */
  const seeded: Record<string, Record<string, string>> = {};

  const service = useTestService();

  beforeAll(async () => {
    // Seed through the event contract: a booking with a boarding pass (attachments), a second booking to
    // erase, and one malformed event (a dead letter).
    const pax = passenger({
      passengerId: 'P1',
      contacts: { whatsapp: '+31612345678', sms: '+31612345678', email: 'oapi@example.com' },
      consents: [{ channel: 'email', granted: true }, { channel: 'whatsapp', granted: true }],
    });
    const seg = segment({ flightNumber: '7301' });
    for (const reference of ['OAPI01', 'OAPI02']) {
      const booking = bookingSnapshot('booking.confirmed', { bookingReference: reference, passengers: [pax], segments: [seg] });
      await service.publisher.publish(booking.type, booking);
    }
    const checkin = checkinCompleted({
      bookingReference: 'OAPI01', passengerId: 'P1', segmentId: seg.segmentId, seat: '8A', sequenceNumber: 1,
      compartment: 'Y', boardingGroup: '2', boardingTime: '2026-12-01T06:55:00Z', gate: 'D7', checkedInAt: '2026-11-30T09:12:00Z',
    });
    await service.publisher.publish(checkin.type, checkin);
    await service.publisher.publish('booking.confirmed', Buffer.from('{"not": "an event"'));

    const pass = await waitFor(async () => {
      const rows: { id: string }[] = await service.db.query(
        `SELECT id FROM notifications WHERE booking_reference = 'OAPI01' AND type = 'boarding-pass' AND channel = 'email' AND status = 'delivered'`,
      );
      return rows[0];
    });
    const deadLetter = await waitFor(async () => {
      const rows: { id: string }[] = await service.db.query(`SELECT id FROM parked_events WHERE reason_code = 'bad-json'`);
      return rows[0];
    });
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM bookings WHERE booking_reference = 'OAPI02'`)) === 1);
    // A replay job exists only through the API itself.
    const job = await http('operator', 'post', '/api/replays').send({ bookingReference: 'OAPI01' }).expect(202);

    Object.assign(seeded, {
      '/api/notifications/{id}': { id: pass.id },
      '/api/notifications/{id}/attachments/{name}': { id: pass.id, name: 'boarding-pass.pdf' },
      '/api/notifications/{id}/preview': { id: pass.id },
      '/api/notifications/{id}/replay': { id: pass.id },
      '/api/replays/{id}': { id: job.body.id },
      '/api/dead-letters/{id}/redrive': { id: deadLetter.id },
      '/api/bookings/{reference}/erase': { reference: 'OAPI02' },
      '/api/bookings/{reference}/passengers/{passengerId}/consents/{channel}': { reference: 'OAPI01', passengerId: 'P1', channel: 'sms' },
      '/api/flights/{flight}': { flight: `${seg.carrier}${seg.flightNumber}-${seg.departureDate}` },
    });

    document = (await http('anonymous', 'get', '/api/docs-json').expect(200)).body as Document;
    calls = Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({ method, path, operation: item[method] })),
    );
    validatorFor = compilerFor(document);
  });

  function http(as: 'operator' | 'viewer' | 'producer' | 'app' | 'anonymous', method: string, url: string): request.Test {
    const agent = request(service.app.getHttpServer() as App);
    const test = (agent as unknown as Record<string, (u: string) => request.Test>)[method](url);
    if (as === 'anonymous') return test;
    return test.set('Authorization', `Bearer ${{ operator: OPERATOR_TOKEN, viewer: VIEWER_TOKEN, producer: PRODUCER_TOKEN, app: APP_TOKEN }[as]}`);
  }

  /**
   * POST /api/events takes CloudEvents (its own content types, attributes in headers), not a DTO body, and
   * only a producer's token: the operator-driven calls below leave it to its own test.
   */
  const isIntake = (call: Call) => call.method === 'post' && call.path === '/api/events';
  /** The app backend's device routes take only an app token: they have their own test too. */
  const isAppDevices = (call: Call) => call.path === '/api/app-devices/{installationId}';
  const operatorCalls = () => calls.filter((call) => !isIntake(call) && !isAppDevices(call));

  /** What is wrong with an answer, measured against the operation's documented responses; [] if nothing. */
  function mismatches(call: Call, label: string, res: request.Response): string[] {
    const where = `${call.method.toUpperCase()} ${call.path} (${label}) answered ${res.status}`;
    const documented = call.operation.responses[String(res.status)];
    if (!documented) return [`${where}, which is not documented (${Object.keys(call.operation.responses).join(', ')})`];
    const type = String(res.headers['content-type'] ?? '').split(';')[0];
    if (!documented.content) return res.text ? [`${where} with a body, but none is documented`] : [];
    const media = documented.content[type];
    if (!media) return [`${where} as ${type}, documented: ${Object.keys(documented.content).join(', ')}`];
    if (type !== 'application/json') return [];
    const validate = validatorFor(media.schema ?? {});
    if (validate(res.body)) return [];
    return [`${where} with a body the schema refuses: ${JSON.stringify(validate.errors?.slice(0, 3))} body=${JSON.stringify(res.body).slice(0, 300)}`];
  }

  function url(call: Call, override: Record<string, string> = {}): string {
    const values: Record<string, string> = { ...(seeded[call.path] ?? {}), ...override };
    return call.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = values[name] ?? String(sample(pathParameter(call, name).schema ?? {}, document));
      return encodeURIComponent(value);
    });
  }

  function validBody(call: Call): Schema | undefined {
    const schema = call.operation.requestBody?.content['application/json']?.schema;
    return schema ? (sample(schema, document) as Schema) : undefined;
  }

  function send(test: request.Test, call: Call, body = validBody(call)): request.Test {
    const query = Object.fromEntries(
      (call.operation.parameters ?? []).filter((p) => p.in === 'query' && p.required).map((p) => [p.name, sample(p.schema ?? {}, document)]),
    );
    test.query(query);
    if (body !== undefined) test.send(body);
    return test.buffer(true);
  }

  it('is a valid OpenAPI document by @redocly/cli with its recommended rules, run offline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      // No telemetry and no update check: the lint needs no network (docs/decisions/0008).
      const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
      const cli = require.resolve('@redocly/cli/bin/cli.js');
      const args = [cli, 'lint', '--extends', 'recommended', '--format', 'json', file];
      const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: dir, env, timeout: 60_000 }).catch(
        (error: { stdout?: string; message: string }) => {
          if (error.stdout) return { stdout: error.stdout }; // exit status 1 when there are errors: read them
          throw error;
        },
      );
      const lint = JSON.parse(stdout) as Lint;
      const problems = lint.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
      expect(problems.filter((p) => p.startsWith('error'))).toEqual([]);
      // The only warning allowed: the health probes have no 4xx answer (they take no input and no token).
      expect(problems.filter((p) => !/^warn operation-4xx-response #\/paths\/~1health(~1[a-z]+)?\/get\/responses:/.test(p))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('states security, error answers and closed request bodies on every operation', () => {
    expect(calls.length).toBeGreaterThanOrEqual(17);
    for (const { path, operation } of calls) {
      const where = `${path} ${operation.operationId}`;
      const statuses = Object.keys(operation.responses);
      const success = statuses.filter((s) => /^2\d\d$/.test(s) && s !== '204');
      expect([where, success.length > 0]).toEqual([where, true]);
      // A response schema for every success (a route without @ApiOkResponse & co. would have none).
      for (const status of success) expect([where, status, Object.keys(operation.responses[status].content ?? {}).length > 0]).toEqual([where, status, true]);
      if (path.startsWith('/api/')) {
        expect([where, operation.security]).toEqual([where, [{ bearer: [] }]]);
        expect([where, statuses]).toEqual([where, expect.arrayContaining(['401', '429'])]);
      } else expect([where, operation.security]).toEqual([where, []]);
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        expect([where, status, Object.keys(operation.responses[status].content ?? {})]).toEqual([where, status, ['application/json']]);
      }
      const body = operation.requestBody?.content['application/json']?.schema;
      if (body) {
        expect([where, resolve(body, document).additionalProperties]).toEqual([where, false]);
        expect([where, statuses]).toEqual([where, expect.arrayContaining(['400', '413'])]);
      }
      for (const parameter of (operation.parameters ?? []).filter((p) => p.in === 'path')) {
        expect([where, statuses]).toEqual([where, expect.arrayContaining(['400', '404'])]);
        expect(parameter.required).toBe(true);
      }
    }
    // Path parameter formats come from the pipes that check them.
    const param = (path: string, method: string, name: string) => document.paths[path][method].parameters?.find((p) => p.name === name)?.schema;
    expect(param('/api/notifications/{id}', 'get', 'id')).toEqual({ type: 'string', format: 'uuid' });
    expect(param('/api/bookings/{reference}/erase', 'post', 'reference')).toEqual({ type: 'string', pattern: '^[A-Z0-9]{6}$' });
    expect(param('/api/bookings/{reference}/passengers/{passengerId}/consents/{channel}', 'put', 'channel')).toEqual({
      type: 'string',
      enum: ['whatsapp', 'sms', 'email', 'messenger', 'wechat', 'push'],
    });
    // Optional query parameters are optional.
    const audit = document.paths['/api/audit'].get.parameters ?? [];
    expect(audit.map((p) => [p.name, p.required])).toEqual([
      ['limit', false],
      ['action', false],
      ['outcome', false],
    ]);
  });

  it('answers a valid request to every operation with a documented status and body', async () => {
    const problems: string[] = [];
    for (const call of operatorCalls()) {
      const res = await send(http('operator', call.method, url(call)), call);
      problems.push(...mismatches(call, 'valid request', res));
      // Where the data is seeded (or none is needed) a valid request succeeds.
      const needsData = /\{/.test(call.path) && !seeded[call.path];
      if (!needsData && res.status >= 300) problems.push(`${call.method.toUpperCase()} ${call.path}: valid request answered ${res.status} ${res.text.slice(0, 200)}`);
    }
    expect(problems).toEqual([]);
  });

  it('answers a path parameter in the wrong format with 400, and an unknown id with 404', async () => {
    const problems: string[] = [];
    let tried = 0;
    for (const call of operatorCalls()) {
      for (const parameter of (call.operation.parameters ?? []).filter((p) => p.in === 'path')) {
        const schema = parameter.schema ?? {};
        if (!schema.format && !schema.enum && !schema.pattern) continue;
        tried++;
        const bad = await send(http('operator', call.method, url(call, { [parameter.name]: BAD_FORMAT })), call);
        problems.push(...mismatches(call, `${parameter.name}=${BAD_FORMAT}`, bad));
        if (bad.status !== 400) problems.push(`${call.path}: ${parameter.name}=${BAD_FORMAT} answered ${bad.status}, not 400`);
        if (schema.format !== 'uuid') continue;
        const unknown = await send(http('operator', call.method, url(call, { [parameter.name]: randomUUID() })), call);
        problems.push(...mismatches(call, `${parameter.name}=<random uuid>`, unknown));
        if (unknown.status !== 404) problems.push(`${call.path}: a random ${parameter.name} answered ${unknown.status}, not 404`);
      }
    }
    expect(tried).toBeGreaterThanOrEqual(8);
    expect(problems).toEqual([]);
  });

  it('refuses an unknown body field or query parameter with 400 naming it, and a body over the limit with 413', async () => {
    const problems: string[] = [];
    let bodies = 0;
    for (const call of operatorCalls()) {
      const body = validBody(call);
      if (body !== undefined) {
        bodies++;
        const extra = await send(http('operator', call.method, url(call)), call, { ...body, unexpectedField: 1 });
        problems.push(...mismatches(call, 'unknown body field', extra));
        if (extra.status !== 400 || !JSON.stringify(extra.body.message).includes('unexpectedField')) {
          problems.push(`${call.path}: unknown body field answered ${extra.status} ${extra.text.slice(0, 200)}`);
        }
        const huge = await send(http('operator', call.method, url(call)), call, { ...body, padding: 'x'.repeat(150_000) });
        problems.push(...mismatches(call, 'oversize body', huge));
        if (huge.status !== 413) problems.push(`${call.path}: a 150 kB body answered ${huge.status}`);
      }
      if ((call.operation.parameters ?? []).some((p) => p.in === 'query')) {
        const extra = await send(http('operator', call.method, url(call)).query({ unexpectedParam: '1' }), call);
        problems.push(...mismatches(call, 'unknown query parameter', extra));
        if (extra.status !== 400 || !JSON.stringify(extra.body.message).includes('unexpectedParam')) {
          problems.push(`${call.path}: unknown query parameter answered ${extra.status}`);
        }
      }
    }
    expect(bodies).toBeGreaterThanOrEqual(5);
    expect(problems).toEqual([]);
  });
  it('answers POST /api/events (producer only) with documented statuses and bodies: 202 per event, 400 unreadable, 403 for others', async () => {
    const call = calls.find(isIntake);
    expect(call).toBeDefined();
    const intake = call as Call;
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: 'OAPI03',
      passengers: [passenger({ passengerId: 'P1' })],
      segments: [segment({ flightNumber: '4403' })],
    });
    const post = (as: 'producer' | 'operator', body: string) =>
      http(as, 'post', '/api/events').set('content-type', 'application/cloudevents+json').send(body).buffer(true);
    const accepted = await post('producer', JSON.stringify(event));
    expect(accepted.status).toBe(202);
    const unreadable = await post('producer', '{"id":');
    expect(unreadable.status).toBe(400);
    const operator = await post('operator', JSON.stringify(event));
    expect(operator.status).toBe(403);
    const huge = await post('producer', JSON.stringify({ ...event, padding: 'x'.repeat(1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect([accepted, unreadable, operator, huge].flatMap((res) => mismatches(intake, 'producer intake', res))).toEqual([]);
  });

  it('answers the app-devices routes (app role only) with documented statuses and bodies: 200, 400 naming the field, 403 for others', async () => {
    const put = calls.find((c) => isAppDevices(c) && c.method === 'put');
    const remove = calls.find((c) => isAppDevices(c) && c.method === 'delete');
    if (!put || !remove) throw new Error('the app-devices operations are not documented');
    const path = `/api/app-devices/${randomUUID()}`;
    const body = { account: 'acct-openapi-1', platform: 'android', pushToken: `fcm-${'t'.repeat(40)}:APA91b${'x'.repeat(40)}`, locale: 'nl-NL' };
    const answers: [Call, string, request.Response, number][] = [
      [put, 'app, valid', await http('app', 'put', path).send(body), 200],
      [put, 'app, unknown field', await http('app', 'put', path).send({ ...body, unexpectedField: 1 }), 400],
      [put, 'app, bad installation id', await http('app', 'put', '/api/app-devices/x').send(body), 400],
      [put, 'operator', await http('operator', 'put', path).send(body), 403],
      [remove, 'operator', await http('operator', 'delete', path), 403],
      [remove, 'app', await http('app', 'delete', path), 200],
    ];
    const problems = answers.flatMap(([call, label, res, status]) => [
      ...mismatches(call, label, res),
      ...(res.status === status ? [] : [`${call.method} ${label}: ${res.status}, not ${status}`]),
    ]);
    expect(problems).toEqual([]);
    expect(JSON.stringify(answers[1][2].body.message)).toContain('unexpectedField');
  });

  // Last: failed sign-ins may be rate-limited per client (429), which must not disturb the tests above.
  it('answers 401 without a token (429 once failed sign-ins are limited), and 403 to a viewer where the operator role is documented', async () => {
    const problems: string[] = [];
    const protectedCalls = calls.filter((c) => (c.operation.security ?? []).length > 0);
    const wrong = await http('anonymous', 'get', '/api/notifications').set('Authorization', 'Bearer not-a-token-0123456789');
    expect(wrong.status).toBe(401);
    for (const call of protectedCalls) {
      const viewer = await send(http('viewer', call.method, url(call)), call);
      const operatorOnly = '403' in call.operation.responses;
      if (operatorOnly || call.method === 'get') {
        problems.push(...mismatches(call, 'viewer', viewer));
        if (operatorOnly && viewer.status !== 403) problems.push(`${call.path}: a viewer got ${viewer.status} on an operator-only operation`);
        if (!operatorOnly && viewer.status === 403) problems.push(`${call.path}: a viewer got 403 where none is documented`);
      }
    }
    for (const [index, call] of protectedCalls.entries()) {
      const anonymous = await send(http('anonymous', call.method, url(call)), call);
      problems.push(...mismatches(call, 'no token', anonymous));
      const allowed = index === 0 ? [401] : [401, 429];
      if (!allowed.includes(anonymous.status)) problems.push(`${call.path}: no token answered ${anonymous.status}`);
    }
    expect(problems).toEqual([]);
  });
});

function pathParameter(call: Call, name: string): Parameter {
  const found = (call.operation.parameters ?? []).find((p) => p.in === 'path' && p.name === name);
  if (!found) throw new Error(`${call.path}: path parameter ${name} is not documented`);
  return found;
}

function resolve(schema: Schema, document: Document): Schema {
  const ref = schema.$ref as string | undefined;
  return ref ? document.components.schemas[ref.replace('#/components/schemas/', '')] : schema;
}

/** The smallest value a schema accepts: required properties only, first enum value, minimum. */
function sample(schema: Schema, document: Document): unknown {
  const s = resolve(schema, document);
  if (Array.isArray(s.enum)) return s.enum[0];
  if (Array.isArray(s.allOf)) return sample(s.allOf[0] as Schema, document);
  if (s.format === 'uuid') return randomUUID();
  if (s.format === 'date-time') return '2026-12-01T06:00:00Z';
  switch (s.type) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, Schema>;
      // A body that needs one of several fields (anyOf of `required`) gets the first of them.
      const chooser = Array.isArray(s.anyOf) ? (((s.anyOf[0] as Schema).required ?? []) as string[]) : [];
      const required = [...((s.required ?? []) as string[]), ...chooser];
      return Object.fromEntries(required.map((name) => [name, sample(properties[name], document)]));
    }
    case 'array':
      return [];
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    default: {
      if (typeof s.pattern !== 'string') return 'x';
      const pattern = new RegExp(s.pattern);
      const found = PATTERN_SAMPLES.find((value) => pattern.test(value));
      if (!found) throw new Error(`no sample value for pattern ${s.pattern}: add one to PATTERN_SAMPLES`);
      return found;
    }
  }
}

/**
 * Ajv over the document's schemas. OpenAPI 3.0's `nullable` becomes JSON Schema's null type, and every
 * object with declared properties is closed, so a response field the document does not declare fails.
 */
function compilerFor(document: Document): (schema: Schema) => ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('binary', true);
  ajv.addSchema({ $id: 'openapi.json', components: { schemas: toJsonSchema(document.components.schemas) } });
  const cache = new Map<string, ValidateFunction>();
  return (schema) => {
    const key = JSON.stringify(schema);
    const compiled = cache.get(key) ?? ajv.compile(toJsonSchema(schema) as Schema);
    cache.set(key, compiled);
    return compiled;
  };
}

function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') out.$ref = value.replace(/^#\//, 'openapi.json#/');
    else if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, toJsonSchema(v)]));
    else if (key !== 'nullable' && key !== 'example') out[key] = toJsonSchema(value);
  }
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return (node as Schema).nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}
