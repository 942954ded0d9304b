/** Personal data never reaches a log line whole: keep enough to tell two people apart, no more. */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 6)}${phone.slice(-3)}`;
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***@${email.slice(at + 1)}`;
}

/** Masks whichever kind of contact it is given. */
export function maskContact(contact: string): string {
  return contact.includes('@') ? maskEmail(contact) : maskPhone(contact);
}

const EMAIL_PATTERN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const PHONE_PATTERN = /\+[1-9]\d{6,14}/g;
/** An FCM registration token (instance id, ':', then the APA91 form): a push token is as good as the phone's address. */
const FCM_TOKEN_PATTERN = /[A-Za-z0-9_-]{8,}:APA91[A-Za-z0-9_-]{20,}/g;

/** Masks any phone number, e-mail address or FCM token inside free text (error messages from providers, say). */
export function maskPersonalData(text: string): string {
  return text
    .replace(EMAIL_PATTERN, maskEmail)
    .replace(PHONE_PATTERN, maskPhone)
    .replace(FCM_TOKEN_PATTERN, (token) => `${token.slice(0, 4)}…(${token.length})`);
}

/** A notification's recipient for a list: phones and e-mail addresses masked; a partner webhook's name is no personal data. */
export function maskRecipient(channel: string, recipient: string): string {
  return channel === 'webhook' ? recipient : maskContact(recipient);
}
