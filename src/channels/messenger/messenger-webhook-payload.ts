import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';

/**
 * Meta's webhook for a Page (Messenger Platform, "Meta Webhooks for Messenger Platform" and its event reference
 * pages): `{"object": "page", "entry": [{"id": <PAGE_ID>, "time": …, "messaging": [event …]}]}`, each event with
 * `sender`, `recipient`, `timestamp` and one of `message` (inbound, or our own as an echo with `is_echo`),
 * `delivery` (message_deliveries: `watermark`, sometimes `mids`), `read` (message_reads: `watermark`) or
 * `postback`. Field changes of the Page (message_template_status_update) come as `entry[].changes[]` of
 * `field` + `value`, as for every Graph webhook. Only the fields the service reads are checked; anything else
 * is taken as it is and acknowledged.
 */
export interface MessengerWebhookPayload {
  object: string;
  entry: MessengerEntry[];
}

export interface MessengerEntry {
  /** The Page's id. */
  id: string;
  time?: number;
  messaging?: MessagingEvent[];
  changes?: { field: string; value: Record<string, unknown> }[];
}

export interface MessagingEvent {
  sender: { id: string };
  recipient: { id: string };
  /** Milliseconds since the epoch (absent from some delivery events). */
  timestamp?: number;
  message?: InboundMessage;
  /** Every message the Page sent before `watermark` (ms) was delivered; `mids` names some of them. */
  delivery?: { mids?: string[]; watermark: number };
  /** Every message the Page sent before or at `watermark` (ms) was read. */
  read?: { watermark: number };
  postback?: { mid?: string; title?: string; payload?: string };
}

export interface InboundMessage {
  mid: string;
  text?: string;
  quick_reply?: { payload?: string };
  /** Our own message, echoed (message_echoes): `metadata` is what we sent with it (the notification id). */
  is_echo?: boolean;
  app_id?: number | string;
  metadata?: string;
}

export const TEMPLATE_STATUS_FIELD = 'message_template_status_update';

/** The value of a message_template_status_update change (the fields the service reads). */
export interface TemplateStatusValue {
  /** APPROVED, REJECTED, PAUSED, DISABLED, PENDING_DELETION, REINSTATED … */
  event: string;
  message_template_id?: number | string;
  message_template_name: string;
  message_template_language: string;
  reason?: string | null;
}

const id = { type: 'string', minLength: 1, maxLength: 128 };
const watermark = { type: 'number', minimum: 0 };

const schema = {
  type: 'object',
  required: ['object', 'entry'],
  properties: {
    object: { type: 'string' },
    entry: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: ['string', 'number'] },
          time: { type: 'number' },
          messaging: {
            type: 'array',
            items: {
              type: 'object',
              required: ['sender', 'recipient'],
              properties: {
                sender: { type: 'object', required: ['id'], properties: { id } },
                recipient: { type: 'object', required: ['id'], properties: { id } },
                timestamp: { type: 'number' },
                message: {
                  type: 'object',
                  required: ['mid'],
                  properties: {
                    mid: id,
                    text: { type: 'string' },
                    is_echo: { type: 'boolean' },
                    metadata: { type: 'string' },
                    quick_reply: { type: 'object', properties: { payload: { type: 'string' } } },
                  },
                },
                delivery: {
                  type: 'object',
                  required: ['watermark'],
                  properties: { watermark, mids: { type: 'array', maxItems: 1000, items: id } },
                },
                read: { type: 'object', required: ['watermark'], properties: { watermark } },
                postback: { type: 'object', properties: { mid: id, title: { type: 'string' }, payload: { type: 'string' } } },
              },
            },
          },
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
    event: { type: 'string', minLength: 1, maxLength: 64 },
    message_template_name: { type: 'string', minLength: 1, maxLength: 512 },
    message_template_language: { type: 'string', minLength: 1, maxLength: 32 },
  },
};

let validators: { envelope: ValidateFunction<MessengerWebhookPayload>; templateStatus: ValidateFunction<TemplateStatusValue> } | undefined;

function compiled(): NonNullable<typeof validators> {
  if (!validators) {
    const ajv = new Ajv2020({ strict: false, allErrors: false });
    validators = { envelope: ajv.compile<MessengerWebhookPayload>(schema), templateStatus: ajv.compile<TemplateStatusValue>(templateStatusSchema) };
  }
  return validators;
}

/** Parses and validates a raw webhook body; says what is wrong, and where, when it is not the webhook shape. */
export function parseMessengerWebhook(rawBody: Buffer): { ok: true; payload: MessengerWebhookPayload } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    return { ok: false, problem: `not JSON: ${(error as Error).message}` };
  }
  const v = compiled();
  const problem = (where: string, validate: ValidateFunction) => {
    const first = validate.errors?.[0];
    return { ok: false as const, problem: `not a Messenger webhook payload: ${first ? `${where}${first.instancePath || (where ? '' : '/')} ${first.message ?? first.keyword}` : 'invalid'}` };
  };
  if (!v.envelope(json)) return problem('', v.envelope);
  for (const [i, entry] of json.entry.entries()) {
    entry.id = String(entry.id);
    for (const [j, change] of (entry.changes ?? []).entries()) {
      if (change.field === TEMPLATE_STATUS_FIELD && !v.templateStatus(change.value)) return problem(`/entry/${i}/changes/${j}/value`, v.templateStatus);
    }
  }
  return { ok: true, payload: json };
}
