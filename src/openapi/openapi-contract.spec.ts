import type { OpenAPIObject } from '@nestjs/swagger';
import { applyContract, ERROR_BODY } from './openapi-contract';
import type { RouteFacts } from './openapi-routes';

const facts = (over: Partial<RouteFacts>): RouteFacts => ({ open: false, operatorOnly: false, body: false, validatedInputs: false, pathParams: {}, ...over });

function documentOf(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/health/live': { get: { operationId: 'Health_live', responses: { 200: { description: '' } } } },
      '/api/things/{id}/{kind}/act': {
        post: {
          operationId: 'Things_act',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ActBody' } } } },
          responses: { 200: { description: '' }, 409: { description: 'Done already.' } },
        },
      },
      '/api/session': { get: { operationId: 'Things_session', responses: { 200: { description: '' } } } },
    },
    components: { schemas: { ActBody: { type: 'object', properties: { force: { type: 'boolean' } } } } },
  };
}

describe('applyContract', () => {
  const routes = new Map<string, RouteFacts>([
    ['Health_live', facts({})],
    ['Things_act', facts({ operatorOnly: true, body: true, validatedInputs: true, pathParams: { id: { type: 'string', format: 'uuid' }, kind: { type: 'string', enum: ['a', 'b'] } } })],
    ['Things_session', facts({})],
  ]);

  it('marks operations outside /api as public and the rest as needing the bearer token, with 401 and 429', () => {
    const doc = applyContract(documentOf(), routes);
    expect(doc.paths['/health/live'].get?.security).toEqual([]);
    expect(Object.keys(doc.paths['/health/live'].get?.responses ?? {})).toEqual(['200']);
    const session = doc.paths['/api/session'].get;
    expect(session?.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(session?.responses ?? {}).sort()).toEqual(['200', '401', '429']);
  });

  it('adds 400, 403, 404 and 413 from what the handler reads and who may call it, each with the error body', () => {
    const doc = applyContract(documentOf(), routes);
    const act = doc.paths['/api/things/{id}/{kind}/act'].post;
    expect(Object.keys(act?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413', '429']);
    expect(act?.responses[409]).toEqual({
      description: 'Done already.',
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_BODY}` } } },
    });
    expect(doc.components?.schemas?.[ERROR_BODY]).toMatchObject({ required: ['statusCode', 'message'] });
  });

  it('gives every path parameter the schema its pipe enforces, adding the ones the generator left out', () => {
    const act = applyContract(documentOf(), routes).paths['/api/things/{id}/{kind}/act'].post;
    expect(act?.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      { name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: ['a', 'b'] } },
    ]);
  });

  it('closes request body schemas (unknown fields are refused) and refuses a route without metadata', () => {
    const doc = applyContract(documentOf(), routes);
    expect(doc.components?.schemas?.ActBody).toMatchObject({ additionalProperties: false });
    expect(() => applyContract(documentOf(), new Map())).toThrow('no route metadata for GET /health/live');
  });
});
