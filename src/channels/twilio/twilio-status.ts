import type { ProviderStatusUpdate } from '../../notifications/provider-status';
import { TWILIO_DELIVERY_ERRORS } from './twilio-errors';

/** MessageStatus values that say nothing new to a passenger's timeline: Twilio still has the message. */
const IN_FLIGHT = new Set(['queued', 'accepted', 'sending', 'scheduled']);

const MAPPED: Readonly<Record<string, ProviderStatusUpdate['status']>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
};

export type TwilioStatusReading =
  | { kind: 'update'; update: ProviderStatusUpdate }
  | { kind: 'ignored'; reason: string };

/**
 * Turns a StatusCallback (MessageSid, MessageStatus, ErrorCode …) into a provider status update:
 * queued/accepted/sending → ignored; sent → sent; delivered → delivered; undelivered/failed → failed with
 * ErrorCode. Twilio sends no timestamp, so `at` is when we received it. Phone numbers are not copied.
 * `notificationId`: ours, from the StatusCallback URL, for a message whose sid we never stored.
 */
export function readTwilioStatus(
  params: { MessageSid?: string; SmsSid?: string; MessageStatus?: string; SmsStatus?: string; ErrorCode?: string; ErrorMessage?: string },
  at: Date,
  notificationId?: string,
): TwilioStatusReading {
  const sid = params.MessageSid ?? params.SmsSid;
  const twilioStatus = (params.MessageStatus ?? params.SmsStatus ?? '').toLowerCase();
  if (!sid) return { kind: 'ignored', reason: 'no MessageSid' };
  if (IN_FLIGHT.has(twilioStatus)) return { kind: 'ignored', reason: `status ${twilioStatus}` };
  const status = MAPPED[twilioStatus];
  if (!status) return { kind: 'ignored', reason: `unhandled status ${twilioStatus || '(none)'}` };
  const update: ProviderStatusUpdate = { channel: 'sms', providerMessageId: sid, status, at, detail: { twilioStatus }, ...(notificationId ? { notificationId } : {}) };
  if (status === 'failed') {
    const code = params.ErrorCode && params.ErrorCode !== '' ? params.ErrorCode : undefined;
    update.errorCode = code ?? twilioStatus;
    update.errorText = params.ErrorMessage ?? (code ? TWILIO_DELIVERY_ERRORS[code] : undefined) ?? `Twilio reports ${twilioStatus}`;
  }
  return { kind: 'update', update };
}
