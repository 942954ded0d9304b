import type { FactoryProvider } from '@nestjs/common';
import type { ErrorObject } from 'ajv';
import { binaryAttributes, contentModeOf, mediaType, type ContentMode, type EventProperties } from './event-message';
import { getEventSchemas, type EventSchemas } from './event-schemas';
import { EVENT_TYPES, isEventType, type AirlineEvent, type BookingSnapshotData } from './event-types';
import { MAX_JSON_DEPTH, nestingExceeds } from '../vocabulary/json-nesting';

export { MAX_JSON_DEPTH, nestingExceeds };

export type ValidationFailureCode =
  | 'oversize'
  | 'bad-json'
  | 'bad-envelope'
  | 'unknown-type'
  | 'bad-data'
  | 'routing-mismatch';

type Judgement =
  | { ok: true; event: AirlineEvent }
  | { ok: false; reason: string; code: ValidationFailureCode; type?: string; source?: string; id?: string };

/** The judgement, and which CloudEvents content mode the message was read in. */
export type ValidationOutcome = Judgement & { mode: ContentMode };

export interface EventValidatorOptions {
  maxBytes: number;
  /** Defaults to the process-wide schemas compiled from docs/asyncapi.yaml. */
  schemas?: EventSchemas;
}

/** type/source/id copied into a parked record are capped: they came from an unvalidated body. */
const MAX_ECHO = 200;

/**
 * Decides whether one raw broker message is an event of contract v1. Never throws: whatever arrives is
 * either an event or a reason to park it (promise 3: nothing is dropped silently).
 */
export class EventValidator {
  private readonly maxBytes: number;
  private readonly schemas: EventSchemas;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(options: EventValidatorOptions) {
    this.maxBytes = options.maxBytes;
    this.schemas = options.schemas ?? getEventSchemas();
  }

  /**
   * `properties` are the AMQP message's (or their HTTP equivalent): they say whether the body is the
   * whole event (structured mode) or its data with the attributes in headers (binary mode).
   */
  validate(body: Buffer, routingKey: string, properties?: EventProperties): ValidationOutcome {
    const mode = contentModeOf(properties);
    const attributes = mode === 'binary' ? binaryAttributes(properties?.headers) : undefined;
    let judgement: Judgement;
    try {
      judgement = this.check(body, routingKey, attributes && { attributes, contentType: properties?.contentType });
    } catch (error) {
      // Defensive only: no known input reaches here, but a parked event beats a crashed consumer.
      const detail = error instanceof Error ? error.message : String(error);
      judgement = { ok: false, code: 'bad-json', reason: `body could not be validated: ${detail.slice(0, MAX_ECHO)}` };
    }
    // A binary-mode event is known by its headers even when its body cannot be read at all.
    if (!judgement.ok && attributes) judgement = { ...identify(attributes), ...judgement };
    return { ...judgement, mode };
  }

  private check(body: Buffer, routingKey: string, binary?: { attributes: Record<string, unknown>; contentType?: string }): Judgement {
    if (binary && mediaType(binary.contentType) !== 'application/json') {
      const given = JSON.stringify(mediaType(binary.contentType).slice(0, 100));
      return fail('bad-envelope', `datacontenttype (the content-type property) must be application/json, not ${given}`);
    }
    if (body.length > this.maxBytes) {
      return fail('oversize', `body is ${body.length} bytes, more than the limit of ${this.maxBytes} bytes`);
    }
    let text: string;
    try {
      text = this.utf8.decode(body);
    } catch {
      return fail('bad-json', 'body is not valid UTF-8');
    }
    if (nestingExceeds(text, MAX_JSON_DEPTH)) {
      return fail('bad-json', `body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return fail('bad-json', `body is not valid JSON${jsonErrorPosition(error)}`);
    }
    if (binary) {
      // The body is the data; the envelope is rebuilt from the headers (datacontenttype checked above).
      parsed = { ...binary.attributes, datacontenttype: 'application/json', data: parsed };
    } else if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return fail('bad-envelope', 'event must be a JSON object');
    }
    const ids = identify(parsed as Record<string, unknown>);

    if (!this.schemas.envelope(parsed)) {
      return fail('bad-envelope', firstError(this.schemas.envelope.errors), ids);
    }
    const type = (parsed as { type: string }).type;
    if (!isEventType(type)) {
      return fail('unknown-type', `type ${JSON.stringify(type)} is not one of ${EVENT_TYPES.join(', ')}`, ids);
    }
    const validateType = this.schemas.byType[type];
    if (!validateType(parsed)) {
      return fail('bad-data', firstError(validateType.errors), ids);
    }
    const event = parsed;
    const semantic = event.type === 'booking.confirmed' || event.type === 'booking.changed'
      ? checkBookingSnapshot(event.data)
      : undefined;
    if (semantic) return fail('bad-data', semantic, ids);
    if (routingKey !== event.type) {
      const key = JSON.stringify(String(routingKey).slice(0, 255));
      return fail('routing-mismatch', `routing key ${key} does not match type ${JSON.stringify(event.type)}`, ids);
    }
    return { ok: true, event };
  }
}

interface Identity {
  type?: string;
  source?: string;
  id?: string;
}

function fail(code: ValidationFailureCode, reason: string, ids: Identity = {}): Judgement {
  return { ok: false, code, reason, ...ids };
}

/** Best effort, for the parked record: whatever string attributes the body had. */
function identify(envelope: Record<string, unknown>): Identity {
  const ids: Identity = {};
  for (const key of ['type', 'source', 'id'] as const) {
    const value = envelope[key];
    if (typeof value === 'string') ids[key] = value.slice(0, MAX_ECHO);
  }
  return ids;
}

/** V8's JSON errors quote the body around the fault; only the position is kept (the body may hold PII). */
function jsonErrorPosition(error: unknown): string {
  const match = error instanceof Error ? /position (\d+)/.exec(error.message) : null;
  return match ? ` (at position ${match[1]})` : '';
}

/** Rules the schema cannot express. Returns the first problem, or undefined. */
function checkBookingSnapshot(data: BookingSnapshotData): string | undefined {
  return (
    firstDuplicate(data.passengers.map((p) => p.passengerId), 'passengers', 'passengerId') ??
    firstDuplicate(data.segments.map((s) => s.segmentId), 'segments', 'segmentId') ??
    firstBackwardsSegment(data)
  );
}

function firstDuplicate(ids: string[], list: string, field: string): string | undefined {
  const seen = new Map<string, number>();
  for (const [index, id] of ids.entries()) {
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      return `data.${list}[${index}].${field} duplicates data.${list}[${earlier}].${field} (${JSON.stringify(id)})`;
    }
    seen.set(id, index);
  }
  return undefined;
}

function firstBackwardsSegment(data: BookingSnapshotData): string | undefined {
  for (const [index, segment] of data.segments.entries()) {
    // Both are RFC 3339 with offsets (schema-checked), so Date.parse compares instants correctly.
    if (Date.parse(segment.scheduledArrival) < Date.parse(segment.scheduledDeparture)) {
      return `data.segments[${index}].scheduledArrival is before data.segments[${index}].scheduledDeparture`;
    }
  }
  return undefined;
}

// ---------- Ajv error → one readable sentence ----------
// Values are never echoed: they may be personal data, and the reason is stored with the parked event.

/** JSON Pointer (/data/passengers/0/givenName) → data.passengers[0].givenName. */
export function pointerToPath(pointer: string): string {
  let path = '';
  for (const raw of pointer.split('/').slice(1)) {
    path = appendKey(path, raw.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return path;
}

function appendKey(path: string, key: string): string {
  if (/^(0|[1-9][0-9]*)$/.test(key)) return `${path}[${key}]`;
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function firstError(errors: ErrorObject[] | null | undefined): string {
  return errors?.[0] ? describeAjvError(errors[0]) : 'event does not match the contract';
}

const FORMAT_NAMES: Record<string, string> = {
  'date-time': 'RFC 3339 date-time with offset',
  date: 'date (YYYY-MM-DD)',
  email: 'e-mail address',
  'uri-reference': 'URI reference',
};

function count(limit: string, noun: string): string {
  return `${limit} ${noun}${limit === '1' ? '' : 's'}`;
}

export function describeAjvError(error: ErrorObject): string {
  const path = pointerToPath(error.instancePath);
  const where = path === '' ? 'event' : path;
  const params = error.params as Record<string, unknown>;
  const limit = String(params.limit);
  if (error.propertyName !== undefined) {
    return path === ''
      ? `event attribute ${JSON.stringify(error.propertyName)} is not allowed: CloudEvents extension attribute names are 1 to 20 lowercase letters or digits`
      : `${where} has an invalid property name ${JSON.stringify(error.propertyName)}`;
  }
  switch (error.keyword) {
    case 'required':
      return `${appendKey(path, String(params.missingProperty))} is required`;
    case 'type':
      return `${where} must be of type ${String(params.type).split(',').join(' or ')}`;
    case 'const':
      return `${where} must be ${JSON.stringify(params.allowedValue)}`;
    case 'enum':
      return `${where} must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'pattern':
      return `${where} must match pattern ${String(params.pattern)}`;
    case 'format':
      return `${where} must be a valid ${FORMAT_NAMES[String(params.format)] ?? String(params.format)}`;
    case 'minLength':
      return limit === '1' ? `${where} must not be empty` : `${where} must be at least ${count(limit, 'character')}`;
    case 'maxLength':
      return `${where} must be at most ${count(limit, 'character')}`;
    case 'minItems':
      return `${where} must have at least ${count(limit, 'item')}`;
    case 'maxItems':
      return `${where} must have at most ${count(limit, 'item')}`;
    case 'maxProperties':
      return `${where} must have at most ${limit} properties`;
    case 'minimum':
    case 'maximum':
      return `${where} must be ${String(params.comparison)} ${limit}`;
    default:
      return `${where} ${error.message ?? `fails ${error.keyword}`}`;
  }
}

// ---------- Nest wiring ----------

/** Provide this token with `{ maxBytes }` (from configuration); EventValidator is then injectable by class. */
export const EVENT_VALIDATOR_OPTIONS = Symbol('EVENT_VALIDATOR_OPTIONS');

export function createEventValidator(options: EventValidatorOptions): EventValidator {
  return new EventValidator(options);
}

export const eventValidatorProvider: FactoryProvider<EventValidator> = {
  provide: EventValidator,
  useFactory: createEventValidator,
  inject: [EVENT_VALIDATOR_OPTIONS],
};
