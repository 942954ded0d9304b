import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { canonicalLocale, DEFAULT_LOCALE, localeChain } from './locale-fallback';

/** Namespaces whose catalogs may hold only what differs from English (city names spelt the same stay out). */
const PARTIAL_NAMESPACES: ReadonlySet<string> = new Set(['airports']);
/**
 * Namespaces of one channel's words that only some languages have (WeChat keyword values: English and Chinese,
 * docs/decisions/0027): a catalog may leave the whole file out, and the channel uses English; one that has it
 * has every key with English's placeholders.
 */
export const CHANNEL_NAMESPACES: ReadonlySet<string> = new Set(['wechat']);
/** Languages written right to left among those we may carry. */
const RTL_LANGUAGES: ReadonlySet<string> = new Set(['ar', 'fa', 'he', 'ur']);

/** Values a message is formatted with: strings (already formatted) and numbers for plural/select. */
export type MessageValues = Readonly<Record<string, string | number>>;
/** Rich-text tags (<b>…</b>) become what the channel uses for emphasis. */
export type TagRenderer = (chunks: string) => string;

interface CompiledMessage {
  source: string;
  format: IntlMessageFormat;
  /** Argument names, for the "same placeholders as English" check. */
  args: ReadonlySet<string>;
  /** Arguments used by plural/select: these must be numbers or fixed words, never a template parameter. */
  selectors: ReadonlySet<string>;
}

/** One locale's catalog: namespace → key → message. */
type Catalog = Map<string, Map<string, CompiledMessage>>;

/**
 * The message catalogs: catalogs/<locale>/<namespace>.json, each a flat object of ICU MessageFormat
 * strings (the layout i18next and most translation tools read). A locale folder named by language
 * (de, ja, zh-Hans) must hold every key English has; one with a region (pt-PT) holds only what differs
 * from its language and falls back to it, never to English. Everything is parsed and checked at load,
 * so a broken catalog stops the start instead of a message.
 */
export class MessageCatalogs {
  private catalogs = new Map<string, Catalog>();
  private readonly resolved = new Map<string, string>();

  constructor(private readonly dir: string) {}

  /** Reads and checks every catalog; throws one error listing every problem. */
  load(): this {
    const problems: string[] = [];
    const catalogs = new Map<string, Catalog>();
    if (!existsSync(this.dir)) throw new Error(`Message catalogs folder ${this.dir} does not exist`);
    for (const entry of readdirSync(this.dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.'))) {
      const locale = canonicalLocale(entry.name);
      if (!locale || locale !== entry.name) {
        problems.push(`${entry.name}: not a canonical BCP 47 locale folder${locale ? ` (write ${locale})` : ''}`);
        continue;
      }
      catalogs.set(locale, this.readCatalog(locale, problems));
    }
    const english = catalogs.get(DEFAULT_LOCALE);
    if (!english) problems.push(`${DEFAULT_LOCALE}: missing; every other catalog is checked against it`);
    else for (const [locale, catalog] of catalogs) if (locale !== DEFAULT_LOCALE) problems.push(...compareWithEnglish(locale, catalog, english, catalogs));
    if (problems.length > 0) throw new Error(`Message catalogs in ${this.dir} are not usable:\n  - ${problems.join('\n  - ')}`);
    this.catalogs = catalogs;
    this.resolved.clear();
    return this;
  }

  /** Locales with a catalog, sorted. */
  locales(): string[] {
    return [...this.catalogs.keys()].sort();
  }

  /** Whether the catalog of `catalogLocale` itself has the namespace (a channel namespace may be absent). */
  hasNamespace(catalogLocale: string, namespace: string): boolean {
    return this.catalogs.get(catalogLocale)?.has(namespace) ?? false;
  }

  /** The catalog a passenger's locale reads: 'pt-BR' → 'pt', 'zh-CN' → 'zh-Hans', 'sv' → 'en'. */
  catalogLocale(locale: string): string {
    let found = this.resolved.get(locale);
    if (!found) {
      found = localeChain(locale).find((candidate) => this.catalogs.has(candidate)) ?? DEFAULT_LOCALE;
      if (this.resolved.size < 5_000) this.resolved.set(locale, found);
    }
    return found;
  }

  /** 'rtl' for Arabic and other right-to-left languages. */
  direction(catalogLocale: string): 'ltr' | 'rtl' {
    return RTL_LANGUAGES.has(catalogLocale.split('-')[0]) ? 'rtl' : 'ltr';
  }

  keys(namespace: string): string[] {
    return [...(this.catalog(DEFAULT_LOCALE).get(namespace)?.keys() ?? [])];
  }

  has(catalogLocale: string, namespace: string, key: string): boolean {
    return this.lookup(catalogLocale, namespace, key) !== undefined;
  }

  /** The message's argument names (from English), e.g. to know which values a line needs. */
  argumentsOf(namespace: string, key: string): ReadonlySet<string> {
    return this.require(DEFAULT_LOCALE, namespace, key).args;
  }

  /** Arguments a plural or select reads: they cannot become a WhatsApp template parameter. */
  selectorsOf(catalogLocale: string, namespace: string, key: string): ReadonlySet<string> {
    return this.require(catalogLocale, namespace, key).selectors;
  }

  source(catalogLocale: string, namespace: string, key: string): string {
    return this.require(catalogLocale, namespace, key).source;
  }

  /** A message of a catalog locale (after its regional fallback), formatted. Throws on a missing key or value. */
  format(catalogLocale: string, namespace: string, key: string, values: MessageValues = {}, tags?: Readonly<Record<string, TagRenderer>>): string {
    const message = this.require(catalogLocale, namespace, key);
    const handlers = tags ? Object.fromEntries(Object.entries(tags).map(([tag, render]) => [tag, (chunks: unknown[]) => render(chunks.join(''))])) : {};
    const out = message.format.format<string>({ ...values, ...handlers });
    return Array.isArray(out) ? out.join('') : String(out);
  }

  /** A plain lookup without fallback to another language; undefined when absent (partial namespaces). */
  optional(catalogLocale: string, namespace: string, key: string): string | undefined {
    const message = this.lookup(catalogLocale, namespace, key);
    return message ? String(message.format.format()) : undefined;
  }

  private require(catalogLocale: string, namespace: string, key: string): CompiledMessage {
    const message = this.lookup(catalogLocale, namespace, key);
    if (!message) throw new Error(`No message ${namespace}:${key} in catalog ${catalogLocale}`);
    return message;
  }

  private lookup(catalogLocale: string, namespace: string, key: string): CompiledMessage | undefined {
    // A regional catalog (pt-PT) overrides its language's (pt) key by key; never falls through to English.
    for (const candidate of localeChain(catalogLocale)) {
      if (candidate === DEFAULT_LOCALE && catalogLocale.split('-')[0] !== DEFAULT_LOCALE) return undefined;
      const message = this.catalogs.get(candidate)?.get(namespace)?.get(key);
      if (message) return message;
    }
    return undefined;
  }

  private catalog(locale: string): Catalog {
    const catalog = this.catalogs.get(locale);
    if (!catalog) throw new Error(`No catalog ${locale} (MessageCatalogs.load() has not run?)`);
    return catalog;
  }

  private readCatalog(locale: string, problems: string[]): Catalog {
    const catalog: Catalog = new Map();
    const folder = join(this.dir, locale);
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
      const namespace = file.slice(0, -'.json'.length);
      const where = `${locale}/${file}`;
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(join(folder, file), 'utf8').replace(/^\uFEFF/, ''));
      } catch (error) {
        problems.push(`${where}: not JSON (${(error as Error).message})`);
        continue;
      }
      if (!json || typeof json !== 'object' || Array.isArray(json)) {
        problems.push(`${where}: expected an object of key → message`);
        continue;
      }
      const messages = new Map<string, CompiledMessage>();
      for (const [key, source] of Object.entries(json as Record<string, unknown>)) {
        if (typeof source !== 'string' || source.trim() === '') {
          problems.push(`${where} "${key}": expected a non-empty string`);
          continue;
        }
        try {
          messages.set(key, compile(source, locale));
        } catch (error) {
          problems.push(`${where} "${key}": does not parse as ICU MessageFormat (${(error as Error).message})`);
        }
      }
      catalog.set(namespace, messages);
    }
    return catalog;
  }
}

function compile(source: string, locale: string): CompiledMessage {
  const ast = parse(source);
  const args = new Set<string>();
  const selectors = new Set<string>();
  collectArguments(ast, args, selectors);
  // ignoreTag off: <b>…</b> marks emphasis; each channel renders it its own way.
  return { source, format: new IntlMessageFormat(ast, locale), args, selectors };
}

function collectArguments(elements: readonly MessageFormatElement[], args: Set<string>, selectors: Set<string>): void {
  for (const element of elements) {
    switch (element.type) {
      case TYPE.argument:
      case TYPE.number:
      case TYPE.date:
      case TYPE.time:
        args.add(element.value);
        break;
      case TYPE.plural:
      case TYPE.select:
        args.add(element.value);
        selectors.add(element.value);
        for (const option of Object.values(element.options)) collectArguments(option.value, args, selectors);
        break;
      case TYPE.tag:
        collectArguments(element.children, args, selectors);
        break;
      default:
        break;
    }
  }
}

/** Every English key present with the same arguments; regional catalogs only override keys their language has. */
function compareWithEnglish(locale: string, catalog: Catalog, english: Catalog, all: ReadonlyMap<string, Catalog>): string[] {
  const problems: string[] = [];
  const regional = locale.includes('-') && all.has(locale.split('-')[0]);
  for (const [namespace, messages] of catalog) {
    const reference = english.get(namespace);
    if (!reference) {
      problems.push(`${locale}/${namespace}.json: English has no such namespace`);
      continue;
    }
    if (PARTIAL_NAMESPACES.has(namespace)) continue;
    for (const [key, message] of messages) {
      const englishMessage = reference.get(key);
      if (!englishMessage) problems.push(`${locale}/${namespace}.json "${key}": not in English (a misspelt or removed key)`);
      else if (!sameSet(message.args, englishMessage.args)) {
        problems.push(`${locale}/${namespace}.json "${key}": placeholders {${[...message.args].sort().join(', ')}} differ from English {${[...englishMessage.args].sort().join(', ')}}`);
      }
    }
  }
  if (regional) return problems;
  for (const [namespace, reference] of english) {
    if (PARTIAL_NAMESPACES.has(namespace)) continue;
    if (CHANNEL_NAMESPACES.has(namespace) && !catalog.has(namespace)) continue;
    const messages = catalog.get(namespace);
    for (const key of reference.keys()) if (!messages?.has(key)) problems.push(`${locale}/${namespace}.json "${key}": missing`);
  }
  return problems;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
