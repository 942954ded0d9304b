import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import webhookSchema from './whatsapp-webhook.schema.json';

/**
 * The webhook payload as Meta's OpenAPI spec describes it (components.schemas.WebhookPayload; the JSON
 * Schema beside this file is generated from it, see test/support/whatsapp-openapi.ts), typed for the
 * parts the service reads.
 */
export interface WebhookPayload {
  object: string;
  entry: { id: string; changes: WebhookChange[] }[];
}

export interface WebhookChange {
  field: string;
  value: WebhookValue;
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

let validator: ValidateFunction<WebhookPayload> | undefined;

/** Compiled once per process. */
export function webhookPayloadValidator(): ValidateFunction<WebhookPayload> {
  if (!validator) {
    const ajv = new Ajv2020({ strict: false, allErrors: false });
    addFormats(ajv);
    validator = ajv.compile<WebhookPayload>(webhookSchema);
  }
  return validator;
}

/** Parses and validates a raw webhook body; says what is wrong when it is not the webhook shape. */
export function parseWebhookPayload(rawBody: Buffer): { ok: true; payload: WebhookPayload } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    return { ok: false, problem: `not JSON: ${(error as Error).message}` };
  }
  const validate = webhookPayloadValidator();
  if (validate(json)) return { ok: true, payload: json };
  const first = validate.errors?.[0];
  return { ok: false, problem: `not a WhatsApp webhook payload: ${first ? `${first.instancePath || '/'} ${first.message ?? first.keyword}` : 'invalid'}` };
}
