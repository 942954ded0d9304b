import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BoardingPassCatalogs, boardingPassCatalogs, boardingPassLabels, LABEL_NAMES } from './boarding-pass-labels';
import { PASS_LOCALES } from './boarding-pass.sample';
import { projectPath } from '../config/project-root';

describe('the boarding-pass catalogs in catalogs/', () => {
  const catalogs = boardingPassCatalogs(projectPath('catalogs'));

  it('has every locale, each with every label', () => {
    expect(catalogs.locales).toEqual(expect.arrayContaining([...PASS_LOCALES]));
    for (const locale of PASS_LOCALES) {
      const labels = catalogs.labels(locale);
      for (const name of LABEL_NAMES) expect(labels[name]).toMatch(/\S/);
    }
  });

  it('words each language in its own terms, not English', () => {
    const gate = Object.fromEntries(PASS_LOCALES.map((l) => [l, catalogs.labels(l).gate]));
    expect(gate).toMatchObject({ de: 'Flugsteig', fr: 'Porte', es: 'Puerta', pt: 'Portão', 'pt-PT': 'Porta', ja: '搭乗口', 'zh-Hans': '登机口', ko: '탑승구', ar: 'البوابة' });
    expect(catalogs.labels('de').boardingPass).toBe('Bordkarte');
    expect(catalogs.labels('fr').boardingPass).toBe('Carte d’embarquement');
    expect(catalogs.labels('ja').boardingPass).toBe('搭乗券');
  });

  it('gives pt-PT the Brazilian wording where nothing differs, its own where it does', () => {
    expect(catalogs.labels('pt-PT').passenger).toBe(catalogs.labels('pt').passenger);
    expect(catalogs.labels('pt-PT').seat).toBe('Lugar');
    expect(catalogs.labels('pt-BR').seat).toBe('Assento');
  });

  it('falls back along the locale chain, reaching zh-Hans from zh and zh-CN, English last', () => {
    expect(catalogs.catalogLocale('nl-BE')).toBe('nl');
    expect(catalogs.catalogLocale('pt-BR')).toBe('pt');
    expect(catalogs.catalogLocale('pt-PT')).toBe('pt-PT');
    expect(catalogs.catalogLocale('zh-CN')).toBe('zh-Hans');
    expect(catalogs.catalogLocale('zh')).toBe('zh-Hans');
    expect(catalogs.catalogLocale('zh-Hans-SG')).toBe('zh-Hans');
    expect(catalogs.catalogLocale('ar-EG')).toBe('ar');
    expect(catalogs.catalogLocale('zh-TW')).toBe('en'); // Traditional Chinese has no catalog yet
    expect(catalogs.catalogLocale('sv-SE')).toBe('en');
    expect(catalogs.catalogLocale('not a locale')).toBe('en');
    expect(boardingPassLabels('ZH_cn').boardingPass).toBe('登机牌');
  });
});

describe('BoardingPassCatalogs.load', () => {
  let dir: string;
  const en = Object.fromEntries(LABEL_NAMES.map((name) => [`label.${name}`, `EN ${name}`]));

  function catalog(locale: string, content: unknown): void {
    mkdirSync(join(dir, locale), { recursive: true });
    writeFileSync(join(dir, locale, 'boarding-pass.json'), typeof content === 'string' ? content : JSON.stringify(content));
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pass-catalogs-'));
    catalog('en', en);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names the file and the key a locale is missing', () => {
    const { 'label.gate': _gate, ...withoutGate } = en;
    catalog('de', withoutGate);
    expect(() => BoardingPassCatalogs.load(dir)).toThrow('de/boarding-pass.json: key label.gate missing');
  });

  it('lets a regional overlay list only what differs, and merges it over its language', () => {
    catalog('pt', { ...en, 'label.seat': 'Assento' });
    catalog('pt-PT', { 'label.seat': 'Lugar' });
    const catalogs = BoardingPassCatalogs.load(dir);
    expect(catalogs.labels('pt-PT')).toMatchObject({ seat: 'Lugar', gate: 'EN gate' });
    expect(catalogs.labels('pt-BR').seat).toBe('Assento');
  });

  it('accepts an overlay folder without this namespace, but no language folder without it', () => {
    catalog('pt', en);
    mkdirSync(join(dir, 'pt-PT'));
    expect(BoardingPassCatalogs.load(dir).labels('pt-PT').gate).toBe('EN gate');
    mkdirSync(join(dir, 'ko'));
    expect(() => BoardingPassCatalogs.load(dir)).toThrow('ko/boarding-pass.json: missing');
  });

  it('reads messages as ICU MessageFormat, so an apostrophe is a literal and quoting works', () => {
    catalog('fr', { ...en, 'label.boardingPass': "Carte d'embarquement", 'label.gate': "'{'Porte'}'" });
    const labels = BoardingPassCatalogs.load(dir).labels('fr');
    expect(labels.boardingPass).toBe("Carte d'embarquement");
    expect(labels.gate).toBe('{Porte}');
  });

  it('refuses placeholders, broken syntax, unknown keys, non-strings and bad JSON, all in one error', () => {
    catalog('de', { ...en, 'label.gate': 'Flugsteig {gate}', 'label.seat': 'Sitz {', 'label.sitz': 'Sitz', 'label.group': 7 });
    catalog('nl', '{ not json');
    let message = '';
    try {
      BoardingPassCatalogs.load(dir);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('de/boarding-pass.json: key label.gate:');
    expect(message).toContain('de/boarding-pass.json: key label.seat:');
    expect(message).toContain('de/boarding-pass.json: key label.sitz is not a boarding pass label');
    expect(message).toContain('de/boarding-pass.json: key label.group: must be a string');
    expect(message).toContain('nl/boarding-pass.json: not valid JSON');
  });

  it('refuses a folder name that is not a canonical locale, a missing English catalog and a missing folder', () => {
    catalog('zh-hans', en);
    expect(() => BoardingPassCatalogs.load(dir)).toThrow('zh-hans: not a canonical BCP 47 locale folder name (expected zh-Hans)');
    rmSync(join(dir, 'zh-hans'), { recursive: true });
    rmSync(join(dir, 'en'), { recursive: true });
    expect(() => BoardingPassCatalogs.load(dir)).toThrow('en/boarding-pass.json: missing');
    expect(() => BoardingPassCatalogs.load(join(dir, 'nowhere'))).toThrow(/does not exist/);
  });
});
