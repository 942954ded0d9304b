import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { RouteFacts } from './openapi-routes';

export const ERROR_BODY = 'ErrorBody';
const ERROR_REF = { $ref: `#/components/schemas/${ERROR_BODY}` };
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** Nest's error body (HttpException.getResponse()): what every 4xx of the API carries. */
const ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  description: "Nest's error body.",
  required: ['statusCode', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    message: {
      description: 'What is wrong; one line per refused field for validation errors.',
      oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      example: ['limit must not be greater than 500'],
    },
    error: { type: 'string', description: 'The HTTP reason phrase.', example: 'Bad Request' },
  },
};

/**
 * The statuses every operation can answer for reasons outside its own code: the guard (401, 403, 429),
 * the global pipes (400), the body parser (413; Express's default JSON limit is 100 kB) and a missing
 * resource named in the path (404). Descriptions say why, so a client knows what to fix.
 */
const STANDARD: Record<number, string> = {
  400: 'A path parameter, query parameter or body field is invalid or unknown; the message names it.',
  401: 'No valid bearer token.',
  403: 'The token has not the role this needs: operator for actions, producer (and only producer) for POST /api/events, app (and only app) for /api/app-devices; a producer or app token may do nothing else.',
  404: 'Nothing with that identifier.',
  413: 'The body is larger than 100 kB.',
  429: 'Too many failed sign-ins from this client; wait before trying again.',
};

/**
 * Makes the generated document say what the server does (docs/decisions/0008): security and the standard
 * error answers from each handler's metadata, path parameter formats from their pipes, the error body on
 * every error answer, and closed request bodies (the ValidationPipe refuses unknown fields). It works on
 * whatever routes exist, so a route added later is described the same way without extra decorators.
 */
export function applyContract(document: OpenAPIObject, facts: Map<string, RouteFacts>): OpenAPIObject {
  const schemas = (document.components ??= {}).schemas ?? (document.components.schemas = {});
  schemas[ERROR_BODY] = ERROR_SCHEMA;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const fact = facts.get(operation.operationId ?? '');
      if (!fact) throw new Error(`OpenAPI: no route metadata for ${method.toUpperCase()} ${path} (${operation.operationId})`);
      describeOperation(path, operation, fact, schemas);
    }
  }
  return document;
}

function describeOperation(path: string, operation: OperationObject, fact: RouteFacts, schemas: Record<string, SchemaObject | ReferenceObject>): void {
  const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  describePathParameters(operation, inPath, fact);

  const statuses: number[] = [];
  const open = fact.open || !path.startsWith('/api/');
  if (open) operation.security = [];
  else {
    operation.security = [{ bearer: [] }];
    statuses.push(401, 429);
    if (fact.operatorOnly) statuses.push(403);
  }
  if (fact.validatedInputs) statuses.push(400);
  if (inPath.length > 0) statuses.push(404);
  if (fact.body) statuses.push(413);

  const responses = operation.responses;
  for (const status of statuses) responses[status] ??= { description: STANDARD[status] };
  for (const [status, response] of Object.entries(responses)) {
    if (response && Number(status) >= 400 && !('$ref' in response)) (response as ResponseObject).content ??= { 'application/json': { schema: ERROR_REF } };
  }

  const body = operation.requestBody;
  if (body && !('$ref' in body)) {
    for (const media of Object.values(body.content)) closeSchema(media.schema, schemas);
  }
}

/** Every {name} of the path gets a parameter, with the schema its pipe enforces. */
function describePathParameters(operation: OperationObject, inPath: string[], fact: RouteFacts): void {
  const parameters = (operation.parameters ??= []) as ParameterObject[];
  for (const name of inPath) {
    let parameter = parameters.find((p) => p.in === 'path' && p.name === name);
    if (!parameter) parameters.push((parameter = { name, in: 'path', required: true }));
    const derived = fact.pathParams[name];
    if (derived && (!parameter.schema || isPlainString(parameter.schema))) parameter.schema = derived;
    parameter.schema ??= { type: 'string' };
  }
}

function isPlainString(schema: SchemaObject | ReferenceObject): boolean {
  return !('$ref' in schema) && schema.type === 'string' && !schema.format && !schema.enum && !schema.pattern;
}

/** forbidNonWhitelisted: a body with a field its DTO does not declare is refused, so the schema is closed. */
function closeSchema(schema: SchemaObject | ReferenceObject | undefined, schemas: Record<string, SchemaObject | ReferenceObject>): void {
  if (!schema) return;
  const target = '$ref' in schema ? schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;
  if (target && !('$ref' in target) && target.type === 'object') target.additionalProperties ??= false;
}
