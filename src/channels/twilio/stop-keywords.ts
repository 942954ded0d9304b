/**
 * Replies that withdraw SMS consent. The list the product asked for (STOP, STOPP, UNSUBSCRIBE, and the Dutch
 * STOPPEN, AFMELDEN) plus Twilio's own default opt-out keywords: Twilio blocks further messages to a number
 * that sent one of those (error 21610), so our consent must say the same.
 */
export const STOP_KEYWORDS: ReadonlySet<string> = new Set([
  'STOP',
  'STOPP',
  'UNSUBSCRIBE',
  'STOPPEN',
  'AFMELDEN',
  // Twilio's default opt-out keywords.
  'STOPALL',
  'END',
  'QUIT',
  'CANCEL',
  'OPTOUT',
  'REVOKE',
]);

/** A message is an opt-out when its whole text (trimmed, any case, trailing punctuation ignored) is a keyword. */
export function isStopRequest(body: string | undefined): boolean {
  if (!body) return false;
  const word = body
    .trim()
    .replace(/[\s.!?,;:]+$/u, '')
    .toUpperCase();
  return STOP_KEYWORDS.has(word);
}
