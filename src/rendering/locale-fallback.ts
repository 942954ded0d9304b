/** The locale every template set must have, and where every chain ends. */
export const DEFAULT_LOCALE = 'en';

/**
 * BCP 47 lookup fallback (RFC 4647 §3.4): drop subtags from the right, then end at English.
 * 'zh-Hans-CN' → ['zh-Hans-CN', 'zh-Hans', 'zh', 'en']; a Chinese tag without a script gains the one
 * its region writes ('zh-CN' → ['zh-CN', 'zh-Hans', 'zh', 'en']; 'zh-TW' → […, 'zh-Hant', …]).
 * Anything unusable → ['en'], so a bad locale in an event degrades to English instead of failing the message.
 */
export function localeChain(locale: string): readonly string[] {
  let chain = chains.get(locale);
  if (!chain) {
    chain = Object.freeze(buildChain(locale));
    if (chains.size < MAX_CACHED_CHAINS) chains.set(locale, chain);
  }
  return chain;
}

// Every message asks, mostly for the same few locales, and canonicalising a tag through Intl is slow:
// each chain is worked out once. Bounded, because locales come from events.
const MAX_CACHED_CHAINS = 5_000;
const chains = new Map<string, readonly string[]>();

function buildChain(locale: string): string[] {
  const canonical = canonicalLocale(locale);
  const chain: string[] = [];
  if (canonical) {
    const subtags = canonical.split('-');
    for (let n = subtags.length; n > 1; n--) chain.push(subtags.slice(0, n).join('-'));
    // Likely subtags (CLDR) name the script a region writes in: zh-CN reads zh-Hans, zh-TW zh-Hant.
    const script = scriptOf(canonical);
    if (script && !subtags.includes(script)) chain.push(`${subtags[0]}-${script}`);
    chain.push(subtags[0]);
  }
  if (!chain.includes(DEFAULT_LOCALE)) chain.push(DEFAULT_LOCALE);
  return chain;
}

/** Only where one language is written in several scripts does the script pick a catalog. */
const MULTI_SCRIPT_LANGUAGES: ReadonlySet<string> = new Set(['zh', 'sr', 'uz', 'az', 'pa', 'mn', 'bs']);

function scriptOf(canonical: string): string | undefined {
  if (!MULTI_SCRIPT_LANGUAGES.has(canonical.split('-')[0])) return undefined;
  try {
    return new Intl.Locale(canonical).maximize().script;
  } catch {
    return undefined;
  }
}

/**
 * 'nl_nl' → 'nl-NL', 'zh-hans-cn' → 'zh-Hans-CN'; undefined when it is not a usable tag.
 * Extensions and private use (-u-…, -x-…) are dropped: they never name a template set, and truncating
 * through them would yield nonsense like 'en-US-u'.
 */
export function canonicalLocale(locale: string): string | undefined {
  if (typeof locale !== 'string') return undefined;
  const subtags = locale.trim().replace(/_/g, '-').split('-');
  const singleton = subtags.findIndex((s, i) => i > 0 && s.length === 1);
  const kept = singleton === -1 ? subtags : subtags.slice(0, singleton);
  // ISO 639 codes only: 5–8 letter "languages" are syntactically valid but in practice mean garbage.
  if (!/^[a-z]{2,3}$/i.test(kept[0] ?? '')) return undefined;
  try {
    return Intl.getCanonicalLocales(kept.join('-'))[0];
  } catch {
    return undefined;
  }
}
