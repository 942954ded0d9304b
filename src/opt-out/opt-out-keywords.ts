/**
 * The replies that withdraw consent, the same on every channel (docs/decisions/0019-one-opt-out-one-registration.md).
 *
 * Sources:
 * - Twilio's default opt-out keywords: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT
 *   (https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out). Twilio blocks further SMS to a number
 *   that sent one (error 21610), so our consent must say the same on SMS and should not say less elsewhere.
 * - The product's list, on SMS and WhatsApp before this module: STOP, STOPP, UNSUBSCRIBE, and the Dutch STOPPEN,
 *   AFMELDEN (src/channels/twilio/stop-keywords.ts and src/channels/whatsapp/whatsapp-webhook.service.ts).
 * - WhatsApp's list before this module added the Dutch UITSCHRIJVEN, German ABMELDEN and French ARRÊT / ARRET.
 */
export const OPT_OUT_KEYWORDS: ReadonlySet<string> = new Set([
  // Twilio's defaults.
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
  // The product's list.
  'STOPP',
  'STOPPEN',
  'AFMELDEN',
  'UITSCHRIJVEN',
  'ABMELDEN',
  'ARRÊT',
  'ARRET',
]);

/**
 * Characters a reply may carry around its word without changing what it says: white space, punctuation,
 * symbols and emoji (with their joiners, variation selectors, skin tones and keycap marks).
 */
const SURROUNDING = '[\\s\\p{P}\\p{S}\\p{Extended_Pictographic}\\p{Emoji_Modifier}\\u200D\\uFE0E\\uFE0F\\u20E3]+';
const LEADING = new RegExp(`^${SURROUNDING}`, 'u');
const TRAILING = new RegExp(`${SURROUNDING}$`, 'u');

/**
 * One normal form for a reply on any channel: Unicode NFKC (a decomposed "Ê" or a full-width "ＳＴＯＰ" reads as
 * typed), surrounding white space, punctuation and emoji stripped, then case-folded with toUpperCase, which
 * does not depend on the process locale (unlike toLocaleUpperCase: a Turkish locale would turn "i" into "İ").
 */
export function normaliseReply(text: string): string {
  return text.normalize('NFKC').replace(LEADING, '').replace(TRAILING, '').toUpperCase();
}

/**
 * The keyword a reply is, if it is one. Only a whole message counts, as Twilio does: "STOP!" and " stop " opt
 * out, "stop by later" or "please stop" do not (a passenger who writes a sentence may mean something else, and
 * SMS consent must not differ from Twilio's block list).
 */
export function optOutKeyword(text: string | undefined): string | undefined {
  if (typeof text !== 'string') return undefined;
  const normalised = normaliseReply(text);
  return OPT_OUT_KEYWORDS.has(normalised) ? normalised : undefined;
}
