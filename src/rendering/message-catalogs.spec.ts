import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageCatalogs } from './message-catalogs';

describe('MessageCatalogs', () => {
  let dir: string;
  const write = (locale: string, namespace: string, messages: Record<string, string>) => {
    mkdirSync(join(dir, locale), { recursive: true });
    writeFileSync(join(dir, locale, `${namespace}.json`), JSON.stringify(messages));
  };
  const problems = (): string => {
    try {
      new MessageCatalogs(dir).load();
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('load() did not throw');
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalogs-'));
    write('en', 'messages', { hello: 'Dear {name},', late: '{minutes, plural, one {# minute} other {# minutes}}' });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('formats ICU messages with plural rules of the catalog language', () => {
    write('pt', 'messages', { hello: 'Olá, {name}', late: '{minutes, plural, one {# minuto} other {# minutos}}' });
    write('ar', 'messages', { hello: 'مرحباً {name}،', late: '{minutes, plural, zero {لا دقائق} one {دقيقة واحدة} two {دقيقتان} few {# دقائق} many {# دقيقة} other {# دقيقة}}' });
    const catalogs = new MessageCatalogs(dir).load();
    expect(catalogs.format('pt', 'messages', 'late', { minutes: 1 })).toBe('1 minuto');
    expect(catalogs.format('ar', 'messages', 'late', { minutes: 2 })).toBe('دقيقتان');
    expect(catalogs.format('ar', 'messages', 'late', { minutes: 3 })).toBe('3 دقائق');
    expect(catalogs.direction('ar')).toBe('rtl');
    expect(catalogs.direction('pt')).toBe('ltr');
  });

  it('finds the catalog a locale reads, regional overrides first, never English for a known language', () => {
    write('pt', 'messages', { hello: 'Olá, {name}', late: '{minutes} minutos' });
    write('pt-PT', 'messages', { hello: 'Caro(a) {name},' });
    write('zh-Hans', 'messages', { hello: '尊敬的{name}：', late: '{minutes}分钟' });
    const catalogs = new MessageCatalogs(dir).load();
    expect(catalogs.catalogLocale('pt-BR')).toBe('pt');
    expect(catalogs.catalogLocale('pt-PT')).toBe('pt-PT');
    expect(catalogs.catalogLocale('zh-CN')).toBe('zh-Hans');
    expect(catalogs.catalogLocale('zh-TW')).toBe('en');
    expect(catalogs.catalogLocale('sv-SE')).toBe('en');
    expect(catalogs.format('pt-PT', 'messages', 'hello', { name: 'Ana' })).toBe('Caro(a) Ana,');
    expect(catalogs.format('pt-PT', 'messages', 'late', { minutes: 5 })).toBe('5 minutos');
  });

  it('refuses a missing key, a message that does not parse and placeholders that differ from English', () => {
    write('de', 'messages', { hello: 'Guten Tag {nam},' });
    write('fr', 'messages', { hello: 'Bonjour {name', late: '{minutes} minutes' });
    const message = problems();
    expect(message).toContain('de/messages.json "late": missing');
    expect(message).toContain('de/messages.json "hello": placeholders {nam} differ from English {name}');
    expect(message).toMatch(/fr\/messages\.json "hello": does not parse as ICU MessageFormat/);
  });

  it('refuses keys English does not have and folders that are not canonical locales', () => {
    write('de', 'messages', { hello: 'Guten Tag {name},', late: '{minutes} Minuten', helo: 'x' });
    write('pt_BR', 'messages', { hello: 'Olá {name}' });
    const message = problems();
    expect(message).toContain('de/messages.json "helo": not in English');
    expect(message).toContain('pt_BR: not a canonical BCP 47 locale folder (write pt-BR)');
  });

  it('lets a regional catalog hold only what differs, and partial namespaces (airports) only what is spelt differently', () => {
    write('pt', 'messages', { hello: 'Olá, {name}', late: '{minutes} minutos' });
    write('pt-PT', 'messages', { late: '{minutes} minutos' });
    write('en', 'airports', {});
    write('pt', 'airports', { LIS: 'Lisboa' });
    const catalogs = new MessageCatalogs(dir).load();
    expect(catalogs.optional('pt', 'airports', 'LIS')).toBe('Lisboa');
    expect(catalogs.optional('pt', 'airports', 'CDG')).toBeUndefined();
  });
});
