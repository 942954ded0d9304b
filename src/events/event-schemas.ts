import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { findProjectRoot } from '../config/project-root';
import { EVENT_TYPES, type AirlineEvent, type EventType } from './event-types';

export { findProjectRoot };

/**
 * Compiles the JSON Schemas of docs/asyncapi.yaml into validators. The YAML is the single source of
 * truth: nothing here restates a schema, it only finds them.
 */

/** Base URI under which the whole AsyncAPI document is registered, so `#/components/schemas/X` resolves. */
const DOCUMENT_ID = 'https://flight-notifier.invalid/docs/asyncapi.yaml';
export const ENVELOPE_SCHEMA_NAME = 'CloudEventEnvelope';
const EVENT_TYPE_SCHEMA_NAME = 'EventType';
const SCHEMA_REF_PREFIX = '#/components/schemas/';

export interface EventSchemas {
  /** Generic CloudEvents envelope; accepts any `type` so unknown types can be told apart. */
  readonly envelope: ValidateFunction;
  /** The message payload schema of each event type (envelope + type + data). */
  readonly byType: Readonly<Record<EventType, ValidateFunction<AirlineEvent>>>;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(parent: unknown, key: string): JsonObject {
  const value = isObject(parent) ? parent[key] : undefined;
  return isObject(value) ? value : {};
}

export function asyncApiPath(): string {
  return join(findProjectRoot(), 'docs', 'asyncapi.yaml');
}

export function readAsyncApiDocument(file: string = asyncApiPath()): JsonObject {
  const doc: unknown = parse(readFileSync(file, 'utf8'));
  if (!isObject(doc)) throw new Error(`${file} is not a YAML mapping`);
  return doc;
}

/**
 * Event type → name of its payload schema, read from components.messages (`name` is the event type,
 * `payload.$ref` points into components.schemas).
 */
export function payloadSchemaNames(doc: JsonObject): Map<string, string> {
  const result = new Map<string, string>();
  for (const message of Object.values(child(child(doc, 'components'), 'messages'))) {
    const name = isObject(message) ? message.name : undefined;
    const ref = child(message, 'payload').$ref;
    if (typeof name === 'string' && typeof ref === 'string' && ref.startsWith(SCHEMA_REF_PREFIX)) {
      result.set(name, ref.slice(SCHEMA_REF_PREFIX.length));
    }
  }
  return result;
}

/** Fails at start-up, not at the first event, when the document and the TypeScript names disagree. */
function assertInStep(doc: JsonObject, payloads: Map<string, string>): void {
  const schemas = child(child(doc, 'components'), 'schemas');
  const enumValues = child(schemas, EVENT_TYPE_SCHEMA_NAME).enum;
  const expected = [...EVENT_TYPES].sort().join(',');
  if (!Array.isArray(enumValues) || [...enumValues].sort().join(',') !== expected) {
    throw new Error(`asyncapi.yaml ${EVENT_TYPE_SCHEMA_NAME} enum differs from EVENT_TYPES (${expected})`);
  }
  for (const type of EVENT_TYPES) {
    const schemaName = payloads.get(type);
    if (!schemaName || !isObject(schemas[schemaName])) {
      throw new Error(`asyncapi.yaml has no message with a payload schema for ${type}`);
    }
  }
}

export function loadEventSchemas(file: string = asyncApiPath()): EventSchemas {
  const doc = readAsyncApiDocument(file);
  const payloads = payloadSchemaNames(doc);
  assertInStep(doc, payloads);

  // strict mode turns schema typos into start-up errors; union types are how the YAML says "nullable".
  const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  // The root is registered as a document holding components.schemas, so its own refs resolve unchanged.
  ajv.addKeyword('components');
  ajv.addSchema({ $id: DOCUMENT_ID, components: { schemas: child(child(doc, 'components'), 'schemas') } });

  const compile = (schemaName: string): ValidateFunction => {
    const validate = ajv.getSchema(`${DOCUMENT_ID}${SCHEMA_REF_PREFIX}${schemaName}`);
    if (!validate) throw new Error(`asyncapi.yaml has no schema ${schemaName}`);
    return validate;
  };

  const byType = {} as Record<EventType, ValidateFunction<AirlineEvent>>;
  for (const type of EVENT_TYPES) {
    byType[type] = compile(payloads.get(type) as string) as ValidateFunction<AirlineEvent>;
  }
  return { envelope: compile(ENVELOPE_SCHEMA_NAME), byType };
}

let shared: EventSchemas | undefined;

/** Compiling takes tens of milliseconds; every validator in the process can share one set. */
export function getEventSchemas(): EventSchemas {
  shared ??= loadEventSchemas();
  return shared;
}
