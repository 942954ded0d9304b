import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { findProjectRoot } from '../../src/events/event-schemas';

/**
 * Meta's OpenAPI document of the WhatsApp Cloud API (vendored in test/fixtures/whatsapp, with its licence):
 * finds operations by path template, compiles their request schemas with Ajv 2020, and extracts the
 * webhook payload schema the service validates against.
 *
 * The document has defects that make parts of it reject every valid message; each is repaired by a
 * small, named patch below rather than by loosening validation as a whole:
 *  1. `allOf: [{$ref: BaseMessageProperties}, {additionalProperties: false, …}]` (TextMessage,
 *     DocumentMessage …): in JSON Schema an `additionalProperties` only sees its own subschema's
 *     `properties`, so messaging_product/to/recipient_type are always "additional" and no text message
 *     validates. Patched to `unevaluatedProperties: false` on the composed schema — the evident intent,
 *     still rejecting unknown fields.
 *  2. `discriminator.mapping` without `oneOf` (TemplateComponent, ParameterObject): Ajv ignores it, so
 *     header/body parameters would go unchecked. Patched into `if type = X then <X's own constraints>`,
 *     which adds checks and removes none.
 *  3. Webhooks only: incoming messages reuse the outgoing message schemas, whose BaseMessageProperties
 *     requires messaging_product/recipient_type/to — fields an incoming message never has, so every
 *     example message in the document fails; the per-type schemas are wrong besides (location latitude
 *     as a string, contact phone types without MOBILE, `referral` and `url` refused as additional). The
 *     webhook schema therefore takes BaseMessageProperties as the inbound base (from, id, timestamp,
 *     type) and replaces IncomingMessage by that base plus close checks of what the service reads (text
 *     and button replies). A passenger's location message must not be refused: Meta would retry it for
 *     days, and the 24-hour window it opens would be lost.
 *  4. Webhooks only: Meta's webhook reference documents `value.errors` (errors not tied to one message,
 *     e.g. 130429); the document's `Change.value` has no branch for it, so one is added.
 *  5. Outgoing only: `biz_opaque_callback_data` — an arbitrary string of at most 512 characters that Meta's
 *     messages reference documents on every message and echoes in that message's status webhooks — is
 *     missing from BaseMessageProperties (the document has it only for calls), so with patch 1 every message
 *     carrying it would be refused as unevaluated. Added as that optional string.
 */

export type JsonSchema = Record<string, unknown>;
export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema> };
}
export interface Operation {
  pathTemplate: string;
  method: string;
  operationId?: string;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export const WHATSAPP_SPEC_FILE = 'business-messaging-api_v23.0.yaml';
const DOCUMENT_ID = 'https://flight-notifier.invalid/whatsapp-cloud-api.yaml';
const SCHEMA_PREFIX = '#/components/schemas/';

/** `<repo>/test/fixtures/whatsapp/…` (inside the repository, so a fresh clone tests alone), or WHATSAPP_OPENAPI_SPEC. */
export function whatsappSpecPath(): string {
  return process.env.WHATSAPP_OPENAPI_SPEC ?? join(findProjectRoot(), 'test', 'fixtures', 'whatsapp', WHATSAPP_SPEC_FILE);
}

let cached: OpenApiDocument | undefined;

export function loadWhatsAppSpec(file = whatsappSpecPath()): OpenApiDocument {
  if (cached && file === whatsappSpecPath()) return cached;
  const doc = parse(readFileSync(file, 'utf8')) as OpenApiDocument;
  if (!doc?.paths || !doc.components?.schemas) throw new Error(`${file} is not an OpenAPI document with paths and components.schemas`);
  if (file === whatsappSpecPath()) cached = doc;
  return doc;
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const clone = <T>(value: T): T => structuredClone(value);

/** Walks every schema object under `node`, parents before children. */
function walk(node: unknown, visit: (schema: JsonSchema) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
  } else if (isObject(node)) {
    visit(node);
    for (const value of Object.values(node)) walk(value, visit);
  }
}

/** Patch 1 (outgoing): a closed allOf branch becomes `unevaluatedProperties: false` on the composition. */
function closeCompositions(schemas: Record<string, JsonSchema>): void {
  walk(schemas, (schema) => {
    if (!Array.isArray(schema.allOf)) return;
    let closed = false;
    for (const branch of schema.allOf) {
      if (isObject(branch) && branch.additionalProperties === false) {
        delete branch.additionalProperties;
        closed = true;
      }
    }
    if (closed) schema.unevaluatedProperties = false;
  });
}

/** Patch 2: `discriminator.mapping` without oneOf/anyOf becomes if/then per mapped value. */
function applyDiscriminators(schemas: Record<string, JsonSchema>): void {
  for (const [name, schema] of Object.entries(schemas)) {
    const discriminator = schema.discriminator;
    if (!isObject(discriminator) || schema.oneOf || schema.anyOf) continue;
    const property = discriminator.propertyName;
    const mapping = discriminator.mapping;
    if (typeof property !== 'string' || !isObject(mapping)) continue;
    const conditionals = Object.entries(mapping).map(([value, ref]) => {
      const target = schemas[String(ref).slice(SCHEMA_PREFIX.length)];
      if (!target) throw new Error(`${name}: discriminator maps ${value} to missing ${String(ref)}`);
      // The mapped schema is `allOf: [{$ref: <this schema>}, {own constraints}]`: keep only its own part.
      const own = Array.isArray(target.allOf)
        ? target.allOf.filter((b) => !(isObject(b) && b.$ref === `${SCHEMA_PREFIX}${name}`))
        : [target];
      return { if: { properties: { [property]: { const: value } }, required: [property] }, then: { allOf: clone(own) } };
    });
    schema.allOf = [...(Array.isArray(schema.allOf) ? schema.allOf : []), ...conditionals];
  }
}

/** Patch 5 (outgoing): the documented optional `biz_opaque_callback_data` on every message. */
function addCallbackData(schemas: Record<string, JsonSchema>): void {
  const base = schemas.BaseMessageProperties;
  if (!isObject(base) || !isObject(base.properties)) throw new Error('the spec changed: BaseMessageProperties has no properties');
  base.properties.biz_opaque_callback_data ??= {
    type: 'string',
    maxLength: 512,
    description: 'Added: echoed in the status webhooks of this message (Meta messages reference).',
  };
}

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  return ajv;
}

/** Outgoing-request validation: the document's components (patched), and each operation's request schema. */
export class WhatsAppRequestValidator {
  private readonly ajv = newAjv();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly operations: Operation[] = [];

  constructor(private readonly doc: OpenApiDocument = loadWhatsAppSpec()) {
    const schemas = clone(doc.components.schemas);
    closeCompositions(schemas);
    applyDiscriminators(schemas);
    addCallbackData(schemas);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: { schemas } });
    for (const [pathTemplate, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (isObject(op) && ['get', 'post', 'put', 'delete', 'patch'].includes(method)) {
          this.operations.push({ pathTemplate, method, ...(op as Omit<Operation, 'pathTemplate' | 'method'>) });
        }
      }
    }
  }

  /**
   * The operation a request path belongs to: the template whose segments match, preferring literal
   * segments over {parameters} (so /v23.0/123/messages is sendMessage, not /{Version}/{Phone-Number-ID}).
   */
  findOperation(method: string, path: string): Operation | undefined {
    const segments = path.split('?')[0].split('/').filter(Boolean);
    let best: { op: Operation; literals: number } | undefined;
    for (const op of this.operations) {
      if (op.method !== method.toLowerCase()) continue;
      const parts = op.pathTemplate.split('/').filter(Boolean);
      if (parts.length !== segments.length) continue;
      let literals = 0;
      const matches = parts.every((part, i) => {
        if (/^\{[^}]+\}$/.test(part)) return segments[i].length > 0;
        literals++;
        return part === segments[i];
      });
      if (matches && (!best || literals > best.literals)) best = { op, literals };
    }
    return best?.op;
  }

  /** Validates a request body against the operation's schema for that media type; [] when it conforms. */
  validate(op: Operation, mediaType: string, body: unknown): string[] {
    const key = `${op.method} ${op.pathTemplate} ${mediaType}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const schema = op.requestBody?.content?.[mediaType]?.schema;
      if (!schema) {
        const offered = Object.keys(op.requestBody?.content ?? {}).join(', ') || 'none';
        return [`${op.operationId ?? key}: the spec defines no ${mediaType} request body (it has: ${offered})`];
      }
      validate = this.ajv.compile(rebase(schema));
      this.compiled.set(key, validate);
    }
    return validate(body) ? [] : formatErrors(validate.errors);
  }
}

/** Points `#/components/schemas/X` at the registered document. */
function rebase(schema: JsonSchema): JsonSchema {
  const copy = clone(schema);
  walk(copy, (node) => {
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#/')) node.$ref = `${DOCUMENT_ID}${node.$ref}`;
  });
  return copy;
}

export function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

const INBOUND_MESSAGE_BASE: JsonSchema = {
  type: 'object',
  required: ['from', 'id', 'timestamp', 'type'],
  properties: {
    from: { type: 'string' },
    id: { type: 'string' },
    timestamp: { type: 'string' },
    type: { type: 'string' },
    context: { type: 'object' },
  },
};

/** Patch 3: any incoming message has the inbound base; text and button replies (what the service reads) are checked closely. */
const INBOUND_MESSAGE: JsonSchema = {
  allOf: [
    { $ref: `${SCHEMA_PREFIX}BaseMessageProperties` },
    {
      type: 'object',
      properties: {
        text: { type: 'object', required: ['body'], properties: { body: { type: 'string' } } },
        button: { type: 'object', properties: { payload: { type: 'string' }, text: { type: 'string' } } },
        errors: { type: 'array', items: { $ref: `${SCHEMA_PREFIX}StatusError` } },
      },
    },
    { if: { properties: { type: { const: 'text' } } }, then: { required: ['text'] } },
    { if: { properties: { type: { const: 'button' } } }, then: { required: ['button'] } },
  ],
};

const ERRORS_VALUE: JsonSchema = {
  type: 'object',
  description: 'Added: value.errors, errors not tied to one message (Meta webhook reference, messages/errors).',
  required: ['messaging_product', 'metadata', 'errors'],
  properties: {
    messaging_product: { type: 'string' },
    metadata: { $ref: `${SCHEMA_PREFIX}Metadata` },
    errors: { type: 'array', items: { $ref: `${SCHEMA_PREFIX}StatusError` } },
  },
  not: { anyOf: [{ required: ['statuses'] }, { required: ['messages'] }, { required: ['groups'] }] },
};

/**
 * The document's WebhookPayload with every schema it reaches, self-contained under $defs, without
 * descriptions and examples, with patches 3 and 4. The service ships the result as
 * src/channels/whatsapp/whatsapp-webhook.schema.json (a unit spec keeps the two equal).
 */
export function extractWebhookPayloadSchema(doc: OpenApiDocument = loadWhatsAppSpec()): JsonSchema {
  const schemas = clone(doc.components.schemas);
  for (const name of ['WebhookPayload', 'Change', 'IncomingMessage', 'BaseMessageProperties', 'StatusError']) {
    if (!schemas[name]) throw new Error(`the spec changed: it has no schema ${name}`);
  }
  // Patch 3.
  schemas.BaseMessageProperties = clone(INBOUND_MESSAGE_BASE);
  schemas.IncomingMessage = clone(INBOUND_MESSAGE);
  walk(schemas, (node) => {
    if (!Array.isArray(node.allOf)) return;
    for (const branch of node.allOf) if (isObject(branch) && branch.additionalProperties === false) delete branch.additionalProperties;
  });
  // Patch 4.
  const value = isObject(schemas.Change.properties) ? schemas.Change.properties.value : undefined;
  if (!isObject(value) || !Array.isArray(value.oneOf)) throw new Error('the spec changed: Change.value is no longer a oneOf');
  schemas.ErrorsValue = clone(ERRORS_VALUE);
  value.oneOf.push({ $ref: `${SCHEMA_PREFIX}ErrorsValue` });

  // Everything WebhookPayload reaches, self-contained under $defs.
  const defs: Record<string, JsonSchema> = {};
  const visit = (name: string) => {
    if (defs[name]) return;
    const schema = schemas[name];
    if (!schema) throw new Error(`the spec has no schema ${name}`);
    defs[name] = strip(clone(schema)) as JsonSchema;
    walk(defs[name], (node) => {
      if (typeof node.$ref === 'string' && node.$ref.startsWith(SCHEMA_PREFIX)) {
        const target = node.$ref.slice(SCHEMA_PREFIX.length);
        node.$ref = `#/$defs/${target}`;
        visit(target);
      }
    });
  };
  visit('WebhookPayload');
  const { WebhookPayload, ...rest } = defs;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $comment: `Generated from ${WHATSAPP_SPEC_FILE} (components.schemas.WebhookPayload) by test/support/whatsapp-openapi.ts with its patches 3 and 4; do not edit.`,
    ...WebhookPayload,
    $defs: Object.fromEntries(Object.entries(rest).sort(([x], [y]) => x.localeCompare(y))),
  };
}

/** Documentation is not validation: drop it so the shipped schema stays small. */
function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (!isObject(node)) return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || key === 'example' || key === 'examples') continue;
    out[key] = key === 'properties' && isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strip(v)])) : strip(value);
  }
  return out;
}

/** The document's own example webhook payloads (paths./whatsapp/webhooks.post), by name. */
export function webhookExamples(doc: OpenApiDocument = loadWhatsAppSpec()): Record<string, unknown> {
  const post = doc.paths['/whatsapp/webhooks']?.post as { requestBody?: { content?: Record<string, { examples?: Record<string, { value: unknown }> }> } };
  const examples = post?.requestBody?.content?.['application/json']?.examples ?? {};
  return Object.fromEntries(Object.entries(examples).map(([name, e]) => [name, e.value]));
}
