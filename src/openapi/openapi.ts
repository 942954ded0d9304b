import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ApiProperty, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { ApiPropertyOptions } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { REDRIVE_MANY_CHOOSERS } from '../ops/dead-letters.dto';
import { applyContract } from './openapi-contract';
import { collectRouteFacts, operationIdOf } from './openapi-routes';

export const OPENAPI_UI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/docs-json';

/**
 * What SwaggerModule.setup registers on Express itself, outside Nest's controllers and so outside
 * OpsAuthGuard and its metadata: the UI page (with and without the slash, and as index.html), its init
 * script (which embeds the document), a LICENSE route that answers 404, the JSON document, and swagger-ui-dist's
 * files served under both UI paths. All public: they describe the API's shape, never its data.
 * test/http-edge.int-spec.ts fails if the router holds any route that is neither a Nest route nor listed here.
 */
export const OPENAPI_PUBLIC_ROUTES = [
  '/api/docs',
  '/api/docs/',
  '/api/docs/index.html',
  '/api/docs/LICENSE',
  '/api/docs/swagger-ui-init.js',
  '/api/docs/docs/swagger-ui-init.js',
  '/api/docs-json',
] as const;
export const OPENAPI_STATIC_MOUNTS = ['/api/docs', '/api/docs/docs'] as const;

/** Paths the document describes: the ops API and the health probes (not provider webhooks, the page, /metrics). */
const DOCUMENTED = /^\/(api|health)(\/|$)/;

/**
 * Serves the OpenAPI document of the ops API at /api/docs (Swagger UI) and /api/docs-json, both open
 * without a token: they are registered on the HTTP adapter directly, not as Nest routes, so OpsAuthGuard
 * never sees them (OPENAPI_PUBLIC_ROUTES lists them), and they describe the shape of the API, never its data.
 * applyContract then states the security, error answers, path parameter formats and closed bodies from each
 * handler's own metadata.
 */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  describeValidatedDtos(app);
  const config = new DocumentBuilder()
    .setTitle('flight-notifier operations API')
    .setDescription(
      'Search notifications and their timelines, replay them one by one or by filter, re-drive parked events, ' +
        'change consents, read the audit trail. Every /api call needs `Authorization: Bearer <token>` ' +
        '(OPS_API_TOKENS); actions need the operator role (403 for viewers); POST /api/events needs the producer role and /api/app-devices the app role, each of which can do nothing else.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    // Relative: the API is wherever the service that serves this document runs.
    .addServer('/', 'This service')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A token from OPS_API_TOKENS (viewer, operator, producer or app).' }, 'bearer')
    .build();
  const generated = SwaggerModule.createDocument(app, config, { operationIdFactory: operationIdOf });
  const document = applyContract(opsOnly(generated), collectRouteFacts(app));
  requireOneOf(document, 'RedriveManyBody', REDRIVE_MANY_CHOOSERS);
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH, raw: ['json'] });
  return document;
}

function opsOnly(document: OpenAPIObject): OpenAPIObject {
  const paths: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(document.paths)) {
    if (!DOCUMENTED.test(path)) continue;
    paths[path] = item;
    if (!path.startsWith('/api/')) continue;
    const tag = path.split('/')[2];
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      if (!operation.tags?.length) operation.tags = [tag];
    }
  }
  return { ...document, paths };
}

/**
 * The DTOs are validated with class-validator and the @nestjs/swagger CLI plugin needs the Nest compiler,
 * so their schemas are derived here from the validation rules themselves (enum, pattern, lengths, bounds,
 * optional or not) — they cannot drift apart. Classes that carry @ApiProperty already are left alone.
 */
function describeValidatedDtos(app: INestApplication): void {
  const seen = new Set<Type>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const prototype = (wrapper.metatype as Type | null)?.prototype as object | undefined;
      if (!prototype) continue;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        const params = Reflect.getMetadata('design:paramtypes', prototype, key) as Type[] | undefined;
        for (const param of params ?? []) {
          if (typeof param !== 'function' || seen.has(param)) continue;
          seen.add(param);
          describe(param);
        }
      }
    }
  }
}

function describe(dto: Type): void {
  if (Reflect.getMetadata('swagger/apiModelPropertiesArray', dto.prototype)) return;
  const rules = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const rule of rules) byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
  for (const [property, list] of byProperty) ApiProperty(propertySchema(list))(dto.prototype, property);
}

function propertySchema(rules: ValidationMetadata[]): ApiPropertyOptions {
  const schema: Record<string, unknown> = { required: true };
  for (const rule of rules) {
    const [first] = (rule.constraints ?? []) as unknown[];
    switch (rule.name) {
      case 'isOptional':
        schema.required = false;
        break;
      case 'isIn':
        schema.enum = first;
        schema.type = Array.isArray(first) && typeof first[0] === 'number' ? 'number' : 'string';
        break;
      case 'matches':
        schema.type = 'string';
        if (first instanceof RegExp) schema.pattern = first.source;
        break;
      case 'maxLength':
        schema.type = 'string';
        schema.maxLength = first;
        break;
      case 'minLength':
        schema.type = 'string';
        schema.minLength = first;
        break;
      case 'isInt':
        schema.type = 'integer';
        break;
      case 'min':
        schema.minimum = first;
        break;
      case 'max':
        schema.maximum = first;
        break;
      case 'isBoolean':
        schema.type = 'boolean';
        break;
      case 'isDate':
        schema.type = 'string';
        schema.format = 'date-time';
        break;
      case 'isUUID':
        schema.type = 'string';
        schema.format = 'uuid';
        break;
      case 'isObject':
        schema.type = 'object';
        schema.additionalProperties = true;
        break;
    }
  }
  schema.type ??= 'string';
  return schema as ApiPropertyOptions;
}

/** States a rule class-validator checks in code: the body needs at least one of these fields (anyOf). */
function requireOneOf(document: OpenAPIObject, schemaName: string, fields: readonly string[]): void {
  const schema = document.components?.schemas?.[schemaName];
  if (schema && !('$ref' in schema)) schema.anyOf = fields.map((field) => ({ required: [field] }));
}
