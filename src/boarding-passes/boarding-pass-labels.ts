import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { projectPath } from '../config/project-root';
import { canonicalLocale, DEFAULT_LOCALE, localeChain } from '../rendering/locale-fallback';

/** The catalog namespace of the PDF's wording: catalogs/<locale>/boarding-pass.json. */
export const BOARDING_PASS_NAMESPACE = 'boarding-pass';

/** Every label the PDF prints; catalog key `label.<name>`. */
export const LABEL_NAMES = [
  'boardingPass',
  'passenger',
  'flight',
  'date',
  'departure',
  'arrival',
  'boarding',
  'gate',
  'terminal',
  'group',
  'seat',
  'sequence',
  'cabin',
  'bookingReference',
  'frequentFlyer',
  'operatedBy',
  'from',
  'to',
  // When the pass was issued and the wallet links (docs/decisions/0034).
  'issued',
  'appleWallet',
  'googleWallet',
] as const;

export type LabelName = (typeof LABEL_NAMES)[number];
export type BoardingPassLabels = Readonly<Record<LabelName, string>>;

const KEYS: ReadonlyMap<string, LabelName> = new Map(LABEL_NAMES.map((name) => [`label.${name}`, name]));
const MAX_CACHED_LOOKUPS = 5_000;

/**
 * The boarding pass labels of every locale in a catalogs folder, read and checked once. A locale whose
 * lookup chain holds another catalog besides English (pt-PT → pt) is a regional overlay: it lists only
 * the keys whose wording differs. Every other locale must have every key English has.
 */
export class BoardingPassCatalogs {
  private readonly lookups = new Map<string, BoardingPassLabels>();

  private constructor(
    readonly dir: string,
    private readonly byLocale: ReadonlyMap<string, BoardingPassLabels>,
  ) {}

  /** Throws one error naming every file and key that is wrong, so a bad catalog stops the start. */
  static load(dir: string): BoardingPassCatalogs {
    if (!existsSync(dir)) throw new Error(`Boarding pass catalogs: folder ${dir} does not exist`);
    const locales = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const problems: string[] = [];
    const raw = new Map<string, Partial<Record<LabelName, string>>>();
    const absent = new Set<string>();
    for (const locale of locales) {
      const file = `${locale}/${BOARDING_PASS_NAMESPACE}.json`;
      if (canonicalLocale(locale) !== locale) {
        problems.push(`${locale}: not a canonical BCP 47 locale folder name (expected ${canonicalLocale(locale) ?? 'a language tag'})`);
        continue;
      }
      const path = join(dir, file);
      if (!existsSync(path)) {
        // A regional overlay may leave the namespace out (nothing differs); any other locale may not.
        absent.add(locale);
        raw.set(locale, {});
        continue;
      }
      raw.set(locale, readCatalog(path, file, locale, problems));
    }
    if (!raw.has(DEFAULT_LOCALE)) problems.push(`${DEFAULT_LOCALE}/${BOARDING_PASS_NAMESPACE}.json: missing`);
    const byLocale = new Map<string, BoardingPassLabels>();
    for (const [locale, labels] of raw) {
      const layers = localeChain(locale).filter((l) => raw.has(l));
      const isOverlay = layers.some((l) => l !== locale && l !== DEFAULT_LOCALE);
      if (absent.has(locale) && !isOverlay) {
        problems.push(`${locale}/${BOARDING_PASS_NAMESPACE}.json: missing`);
        continue;
      }
      const merged = Object.assign({}, ...layers.reverse().map((l) => raw.get(l))) as Partial<Record<LabelName, string>>;
      const missing = LABEL_NAMES.filter((name) => (isOverlay ? merged[name] : labels[name]) === undefined);
      for (const name of missing) problems.push(`${locale}/${BOARDING_PASS_NAMESPACE}.json: key label.${name} missing`);
      if (missing.length === 0) byLocale.set(locale, Object.freeze(merged as Record<LabelName, string>));
    }
    if (problems.length > 0) {
      throw new Error(`Boarding pass catalogs in ${dir} are not usable:\n  - ${problems.join('\n  - ')}`);
    }
    return new BoardingPassCatalogs(dir, byLocale);
  }

  /** Catalog locales, sorted. */
  get locales(): string[] {
    return [...this.byLocale.keys()];
  }

  /**
   * Labels for a BCP 47 locale: the first catalog on its fallback chain ('pt-BR' → pt, 'nl-BE' → nl), then
   * on the chain of the tag with its likely script ('zh-CN' → zh-Hans-CN → zh-Hans), English otherwise.
   */
  labels(locale: string): BoardingPassLabels {
    let labels = this.lookups.get(locale);
    if (!labels) {
      labels = this.byLocale.get(this.catalogLocale(locale))!;
      if (this.lookups.size >= MAX_CACHED_LOOKUPS) this.lookups.clear();
      this.lookups.set(locale, labels);
    }
    return labels;
  }

  /** Which catalog serves `locale`. */
  catalogLocale(locale: string): string {
    const found = (chain: readonly string[]) => chain.find((l) => l !== DEFAULT_LOCALE && this.byLocale.has(l));
    return found(localeChain(locale)) ?? found(localeChain(withLikelyScript(locale) ?? DEFAULT_LOCALE)) ?? DEFAULT_LOCALE;
  }
}

function readCatalog(
  path: string,
  file: string,
  locale: string,
  problems: string[],
): Partial<Record<LabelName, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    problems.push(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push(`${file}: must be a JSON object of key → ICU message`);
    return {};
  }
  const labels: Partial<Record<LabelName, string>> = {};
  for (const [key, message] of Object.entries(parsed)) {
    const name = KEYS.get(key);
    if (!name) {
      problems.push(`${file}: key ${key} is not a boarding pass label (known: ${[...KEYS.keys()].join(', ')})`);
      continue;
    }
    try {
      if (typeof message !== 'string') throw new Error('must be a string');
      // Labels take no arguments: formatting without values throws on any placeholder, plural or select.
      const text = new IntlMessageFormat(message, locale).format();
      if (typeof text !== 'string' || text.trim() === '') throw new Error('must format to a non-empty plain string');
      labels[name] = text;
    } catch (error) {
      problems.push(`${file}: key ${key}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return labels;
}

/** 'zh-CN' → 'zh-Hans-CN', 'zh' → 'zh-Hans'; undefined when the tag already names a script or is unusable. */
function withLikelyScript(locale: string): string | undefined {
  const canonical = canonicalLocale(locale);
  if (!canonical) return undefined;
  try {
    const tag = new Intl.Locale(canonical);
    const script = tag.maximize().script;
    if (tag.script || !script) return undefined;
    return [tag.language, script, tag.region].filter(Boolean).join('-');
  } catch {
    return undefined;
  }
}

const loaded = new Map<string, BoardingPassCatalogs>();
/** Resolved once: finding the project root looks for package.json folder by folder. */
let defaultDir: string | undefined;

/** The catalogs of `dir` (default: catalogs/ at the project root), loaded and checked once per process. */
export function boardingPassCatalogs(dir: string = (defaultDir ??= projectPath('catalogs'))): BoardingPassCatalogs {
  let catalogs = loaded.get(dir);
  if (!catalogs) {
    catalogs = BoardingPassCatalogs.load(dir);
    loaded.set(dir, catalogs);
  }
  return catalogs;
}

/** Labels for a BCP 47 locale ('nl-BE' → nl, 'zh-CN' → zh-Hans, 'pt-PT' → pt with its overrides); English otherwise. */
export function boardingPassLabels(locale: string, catalogsDir?: string): BoardingPassLabels {
  return boardingPassCatalogs(catalogsDir).labels(locale);
}
