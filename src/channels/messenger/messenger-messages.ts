import type { MessengerTemplateContent } from '../../rendering/rendered-content';

/**
 * Request bodies of the Send API (POST /{page-id}/messages), as Meta's Messenger Platform documents them:
 * - a text inside the 24-hour standard messaging window a person's message opens: `messaging_type: RESPONSE`,
 *   `message.text` (Send API reference; at most 2,000 characters);
 * - a file uploaded with the Attachment Upload API: `message.attachment` of type `file` with its `attachment_id`
 *   ("Saving assets");
 * - a utility message from a Page-owned template, allowed outside the window: `messaging_type: UTILITY`,
 *   `message.template` with `name`, `language.code` and a `body` component of positional text parameters
 *   ("Send a utility message").
 */

export interface Recipient {
  /** The Page-scoped ID of the person. */
  id: string;
}

export interface TextMessageRequest {
  recipient: Recipient;
  messaging_type: 'RESPONSE';
  message: {
    text: string;
    /** Our notification id: Meta returns it in the message's echo (message_echoes), which settles a send in doubt. */
    metadata?: string;
  };
}

export interface FileMessageRequest {
  recipient: Recipient;
  messaging_type: 'RESPONSE';
  message: { attachment: { type: 'file'; payload: { attachment_id: string } } };
}

export interface UtilityMessageRequest {
  recipient: Recipient;
  messaging_type: 'UTILITY';
  message: {
    template: {
      name: string;
      language: { code: string };
      components?: { type: 'body'; parameters: { type: 'text'; text: string }[] }[];
    };
  };
}

export type SendRequest = TextMessageRequest | FileMessageRequest | UtilityMessageRequest;

/** The answer to a successful send: message_id is what delivery and read webhooks (mids) and echoes refer to. */
export interface SendResponse {
  recipient_id?: string;
  message_id?: string;
}

/** The Attachment Upload API's `message` form field for a file sent once (not kept for reuse). */
export const FILE_UPLOAD_MESSAGE = JSON.stringify({ attachment: { type: 'file', payload: { is_reusable: false } } });

export function textMessage(psid: string, text: string, notificationId?: string): TextMessageRequest {
  return { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text, ...(notificationId ? { metadata: notificationId } : {}) } };
}

export function fileMessage(psid: string, attachmentId: string): FileMessageRequest {
  return { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { attachment: { type: 'file', payload: { attachment_id: attachmentId } } } };
}

export function utilityMessage(psid: string, template: MessengerTemplateContent): UtilityMessageRequest {
  const parameters = template.parameters.map((text) => ({ type: 'text' as const, text }));
  return {
    recipient: { id: psid },
    messaging_type: 'UTILITY',
    message: {
      template: {
        name: template.name,
        language: { code: template.language },
        ...(parameters.length > 0 ? { components: [{ type: 'body' as const, parameters }] } : {}),
      },
    },
  };
}
