/**
 * Request bodies of POST /{version}/{phone-number-id}/messages, shaped as the Cloud API's OpenAPI spec
 * (components.schemas.Message: TextMessage, TemplateMessage) describes them.
 */

/** Meta's limit on a free-form text body. */
export const TEXT_BODY_MAX = 4096;

interface BaseMessage {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  /** The recipient's phone number with country code. */
  to: string;
  /**
   * Our notification id. Meta does not process it and echoes it in the statuses of this message's webhooks
   * (up to 512 characters), so a status settles a notification whose wamid we never stored.
   */
  biz_opaque_callback_data?: string;
}

export interface TextMessageRequest extends BaseMessage {
  type: 'text';
  text: { body: string; preview_url: boolean };
}

export interface TextParameter {
  type: 'text';
  text: string;
}

export interface DocumentParameter {
  type: 'document';
  document: { id: string; filename: string };
}

export type TemplateComponent =
  | { type: 'header'; parameters: [DocumentParameter] }
  | { type: 'body'; parameters: TextParameter[] };

export interface TemplateMessageRequest extends BaseMessage {
  type: 'template';
  template: {
    name: string;
    language: { policy: 'deterministic'; code: string };
    components?: TemplateComponent[];
  };
}

export type MessageRequest = TextMessageRequest | TemplateMessageRequest;

/** The answer to a successful send: the wamid is what status webhooks refer to. */
export interface SendMessageResponse {
  messaging_product?: string;
  contacts?: { input?: string; wa_id?: string }[];
  messages?: { id?: string; message_status?: string }[];
}

export function textMessage(to: string, body: string, callbackData?: string): TextMessageRequest {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    ...(callbackData ? { biz_opaque_callback_data: callbackData } : {}),
    type: 'text',
    text: { body, preview_url: false },
  };
}

export function templateMessage(
  to: string,
  template: { name: string; language: string; bodyParameters: string[]; document?: { id: string; filename: string } },
  callbackData?: string,
): TemplateMessageRequest {
  const components: TemplateComponent[] = [];
  if (template.document) components.push({ type: 'header', parameters: [{ type: 'document', document: template.document }] });
  if (template.bodyParameters.length > 0) {
    components.push({ type: 'body', parameters: template.bodyParameters.map((text) => ({ type: 'text', text })) });
  }
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    ...(callbackData ? { biz_opaque_callback_data: callbackData } : {}),
    type: 'template',
    template: {
      name: template.name,
      language: { policy: 'deterministic', code: template.language },
      ...(components.length > 0 ? { components } : {}),
    },
  };
}
