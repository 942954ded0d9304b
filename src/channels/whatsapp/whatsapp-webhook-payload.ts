import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import webhookSchema from './whatsapp-webhook.schema.json';

/**
 * The webhook payload. Meta sends every field the app subscribed to to the same callback URL, all in the
 * same envelope (object, entry[].changes[] of field + value). Changes of the message fields are checked
 * against Meta's OpenAPI spec (components.schemas.WebhookPayload; the JSON Schema beside this file is
 * generated from it, see test/support/whatsapp-openapi.ts); template status updates against the fields
 * the service reads; any other field is taken as it is and only acknowledged.
 */
export interface WebhookPayload {
  object: string;
  entry: { id: string; time?: number; changes: WebhookChange[] }[];
}

/** One change; its value's shape depends on the field (see the readers below). */
export interface WebhookChange {
  field: string;
  value: Record<string, unknown>;
}

export const MESSAGES_FIELD = 'messages';
export const TEMPLATE_STATUS_FIELD = 'message_template_status_update';
export const QUALITY_FIELD = 'phone_number_quality_update';

// parseWebhookPayload checked each change against its field's schema, so these only name what it proved.
export const messagesValue = (change: WebhookChange): WebhookValue | undefined =>
  change.field === MESSAGES_FIELD ? (change.value as unknown as WebhookValue) : undefined;
export const templateStatusValue = (change: WebhookChange): TemplateStatusValue | undefined =>
  change.field === TEMPLATE_STATUS_FIELD ? (change.value as unknown as TemplateStatusValue) : undefined;
export const qualityUpdateValue = (change: WebhookChange): QualityUpdateValue | undefined =>
  change.field === QUALITY_FIELD ? (change.value as unknown as QualityUpdateValue) : undefined;

/** https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/message_template_status_update/ */
export interface TemplateStatusValue {
  /** APPROVED, PAUSED, DISABLED, REJECTED, FLAGGED, PENDING_DELETION, REINSTATED … */
  event: string;
  message_template_id?: number;
  message_template_name: string;
  /** The template's language code, as it is sent: en_GB, nl … */
  message_template_language: string;
  reason?: string | null;
  other_info?: { title?: string; description?: string };
}

/** https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/phone_number_quality_update */
export interface QualityUpdateValue {
  display_phone_number?: string;
  /** ONBOARDING, THROUGHPUT_UPGRADE, UPGRADE, DOWNGRADE, FLAGGED, UNFLAGGED … */
  event: string;
  current_limit?: string;
  old_limit?: string;
  max_daily_conversations_per_business?: string;
}

export interface WebhookValue {
  messaging_product: string;
  metadata: { display_phone_number: string; phone_number_id: string };
  contacts?: { profile: { name: string }; wa_id?: string }[];
  messages?: InboundMessage[];
  statuses?: WebhookStatus[];
  errors?: WebhookError[];
}

export interface WebhookStatus {
  /** The wamid of the message we sent. */
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** Unix seconds, as a string. */
  timestamp: string;
  recipient_id: string;
  /** Echoed from our send request: the notification id (whatsapp-messages.ts). */
  biz_opaque_callback_data?: string;
  conversation?: { id?: string; expiration_timestamp?: string; origin?: { type?: string } };
  pricing?: { billable?: boolean; pricing_model?: string; category?: string };
  errors?: WebhookError[];
}

export interface WebhookError {
  code?: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
  href?: string;
}

export interface InboundMessage {
  /** The sender's WhatsApp id: the phone number with country code, without '+'. */
  from: string;
  id: string;
  timestamp: string;
  type: string;
  text?: { body: string };
  button?: { payload?: string; text?: string };
}

/** The envelope every field shares. */
const envelopeSchema = {
  type: 'object',
  required: ['object', 'entry'],
  properties: {
    object: { type: 'string' },
    entry: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'changes'],
        properties: {
          id: { type: 'string' },
          changes: {
            type: 'array',
            items: { type: 'object', required: ['field', 'value'], properties: { field: { type: 'string', minLength: 1 }, value: { type: 'object' } } },
          },
        },
      },
    },
  },
};

const templateStatusSchema = {
  type: 'object',
  required: ['event', 'message_template_name', 'message_template_language'],
  properties: {
    event: { type: 'string', minLength: 1 },
    message_template_name: { type: 'string', minLength: 1, maxLength: 512 },
    message_template_language: { type: 'string', minLength: 1, maxLength: 32 },
  },
};

const qualitySchema = { type: 'object', required: ['event'], properties: { event: { type: 'string', minLength: 1 } } };

interface Validators {
  envelope: ValidateFunction<WebhookPayload>;
  /** One change of a field Meta's spec describes (messages, group_*). */
  specChange: ValidateFunction;
  specFields: ReadonlySet<string>;
  byField: ReadonlyMap<string, ValidateFunction>;
}

let validators: Validators | undefined;

/** Compiled once per process. */
function webhookValidators(): Validators {
  if (!validators) {
    const ajv = new Ajv2020({ strict: false, allErrors: false });
    addFormats(ajv);
    const specChange = ajv.compile({ $defs: webhookSchema.$defs, $ref: '#/$defs/Change' });
    validators = {
      envelope: ajv.compile<WebhookPayload>(envelopeSchema),
      specChange,
      specFields: new Set(webhookSchema.$defs.Change.properties.field.enum),
      byField: new Map([
        [TEMPLATE_STATUS_FIELD, ajv.compile(templateStatusSchema)],
        [QUALITY_FIELD, ajv.compile(qualitySchema)],
      ]),
    };
  }
  return validators;
}

/** Parses and validates a raw webhook body; says what is wrong, and where, when it is not the webhook shape. */
export function parseWebhookPayload(rawBody: Buffer): { ok: true; payload: WebhookPayload } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    return { ok: false, problem: `not JSON: ${(error as Error).message}` };
  }
  const v = webhookValidators();
  const problem = (where: string, validate: ValidateFunction) => {
    const first = validate.errors?.[0];
    return { ok: false as const, problem: `not a WhatsApp webhook payload: ${first ? `${where}${first.instancePath || (where ? '' : '/')} ${first.message ?? first.keyword}` : 'invalid'}` };
  };
  if (!v.envelope(json)) return problem('', v.envelope);
  for (const [i, entry] of json.entry.entries()) {
    for (const [j, change] of entry.changes.entries()) {
      const validate = v.specFields.has(change.field) ? v.specChange : v.byField.get(change.field);
      const where = `/entry/${i}/changes/${j}`;
      if (validate === v.specChange && !validate(change)) return problem(where, validate);
      if (validate && validate !== v.specChange && !validate(change.value)) return problem(`${where}/value`, validate);
    }
  }
  return { ok: true, payload: json };
}
