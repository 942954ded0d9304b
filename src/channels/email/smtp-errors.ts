import { maskPersonalData } from '../../common/mask';
import type { SendResult } from '../channel-adapter';

/** What nodemailer tells about a failure (NodemailerError): its own code, and the SMTP reply when there was one. */
export interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

export type FailedEmail = Extract<SendResult, { outcome: 'retryable' | 'permanent' | 'paused' }>;

/** Replies that mean our own login is refused: every message would fail the same way. */
const AUTH_REPLIES = new Set([530, 534, 535, 538]);
/** Nodemailer codes that say our configuration is wrong rather than this message. */
const CONFIG_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG']);

/**
 * Classifies an SMTP failure (pure):
 * - 530/534/535/538 (authentication) or a credentials problem without a reply → paused;
 * - other 4xx replies, and 503 (bad sequence: the session, not the message, was wrong) → retryable;
 * - other 5xx replies (550 mailbox unavailable, 553 bad address, 552 …) → permanent;
 * - no reply at all (connection refused, timeout, TLS, socket closed) → retryable;
 * - an envelope nodemailer refused itself (no valid recipient) → permanent.
 * Server replies often quote the address, so messages are masked.
 */
export function classifySmtpFailure(failure: SmtpFailure): FailedEmail {
  const reply = failure.responseCode;
  const text = maskPersonalData(failure.response ?? failure.message ?? 'SMTP error');
  if (reply !== undefined) {
    const code = `smtp-${reply}`;
    if (AUTH_REPLIES.has(reply)) return { outcome: 'paused', code, message: `SMTP server refused our login: ${text}` };
    if ((reply >= 400 && reply < 500) || reply === 503) return { outcome: 'retryable', code, message: text };
    if (reply >= 500) return { outcome: 'permanent', code, message: text };
    return { outcome: 'retryable', code, message: `unexpected reply: ${text}` };
  }
  const code = failure.code ?? 'smtp-error';
  if (CONFIG_CODES.has(code)) return { outcome: 'paused', code, message: `SMTP configuration refused: ${text}` };
  if (code === 'EENVELOPE') return { outcome: 'permanent', code, message: text };
  return { outcome: 'retryable', code, message: text };
}
