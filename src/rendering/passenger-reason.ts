import type { RenderContext } from '../vocabulary/render-context';
import { delayReasonKey, type DelayReasonKey } from './iata-delay-codes';
import { canonicalLocale } from './locale-fallback';

/** What a passenger may be told about why: a `delay-reasons` catalog key, or the producer's own words. */
export type PassengerReason = { kind: 'code'; key: DelayReasonKey } | { kind: 'text'; text: string };

/**
 * The reason a message in `catalogLanguage` (the locale of the catalog it is written from, after fallback) may
 * show, or undefined when it shows none. An IATA delay code with passenger wording wins: it can be said in every
 * language. Otherwise the free text is shown only when its `reasonLanguage` is the message's language — the same
 * primary language subtag and the same script (`pt-BR` text in a `pt` message, `zh-Hans` in `zh`, but not
 * `zh-Hant` in `zh-Hans`). Free text of unknown language is never shown: no English sentence in a Korean message.
 * Pure.
 */
export function passengerReason(
  context: Pick<RenderContext, 'reason' | 'reasonLanguage' | 'delayCode'>,
  catalogLanguage: string,
): PassengerReason | undefined {
  const key = delayReasonKey(context.delayCode);
  if (key) return { kind: 'code', key };
  // One line: the reason is a value inside a line of the message (and WhatsApp parameters refuse newlines and tabs).
  const text = context.reason?.replace(/\s+/g, ' ').trim();
  if (text && context.reasonLanguage && sameLanguage(context.reasonLanguage, catalogLanguage)) return { kind: 'text', text };
  return undefined;
}

/** Whether two BCP 47 tags name the same written language: primary language subtag and (likely) script. */
export function sameLanguage(a: string, b: string): boolean {
  const x = writtenLanguage(a);
  const y = writtenLanguage(b);
  return x !== undefined && x === y;
}

// Called for every message, with few distinct tags; Intl's likely-subtags lookup is not free. Bounded, as tags
// come from events.
const MAX_CACHED = 5_000;
const written = new Map<string, string | undefined>();

/** 'pt-BR' → 'pt-Latn', 'zh' → 'zh-Hans', 'zh-TW' → 'zh-Hant' (CLDR likely subtags); undefined when unusable. */
function writtenLanguage(tag: string): string | undefined {
  if (written.has(tag)) return written.get(tag);
  const canonical = canonicalLocale(tag);
  let result: string | undefined;
  if (canonical) {
    try {
      const likely = new Intl.Locale(canonical).maximize();
      result = likely.script ? `${likely.language}-${likely.script}` : likely.language;
    } catch {
      result = undefined;
    }
  }
  if (written.size < MAX_CACHED) written.set(tag, result);
  return result;
}
