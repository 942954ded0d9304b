import { findAirport } from './airports';

/**
 * What WeChat accepts in a template message's keyword values, checked here rather than met as errcode 47003.
 *
 * Category templates (类目模板) name each keyword by its kind and position (`thing3`, `time5`,
 * `character_string1`), and each kind has its own limits, which WeChat enforces with 47003 ("argument
 * invalid! data.thing3.value invalid"); historical templates (`keyword1` …) take any text but, since
 * 4 May 2023, show at most 20 characters of each keyword, on one line. Sources: the category-template
 * section of the Official Account "Template Message Interface" documentation and its limits table (the same
 * table as the subscription messages'), and WeChat's notice "关于规范公众号模板消息的再次公告" (2023); see
 * docs/decisions/0027-wechat.md.
 */
export interface KeywordKind {
  /** Most characters (code points) a value may have. */
  max: number;
  /** What the characters may be; undefined: anything printable on one line. */
  allowed?: RegExp;
  /** A value too long is shortened with an ellipsis (free text); otherwise it is an error (codes, times). */
  shorten: boolean;
  what: string;
}

const PRINTABLE_ASCII = /^[\x21-\x7E]+$/;

export const KEYWORD_KINDS: Readonly<Record<string, KeywordKind>> = {
  thing: { max: 20, shorten: true, what: 'up to 20 characters of any text' },
  keyword: { max: 20, shorten: true, what: 'up to 20 characters shown (historical template)' },
  character_string: { max: 32, allowed: PRINTABLE_ASCII, shorten: false, what: 'up to 32 digits, letters or symbols (no Chinese, no spaces)' },
  number: { max: 32, allowed: /^\d+(\.\d+)?$/, shorten: false, what: 'up to 32 digits, decimals allowed' },
  letter: { max: 32, allowed: /^[A-Za-z]+$/, shorten: false, what: 'up to 32 letters' },
  time: { max: 40, allowed: /^(\d{4}[-/.]\d{2}[-/.]\d{2} |\d{4}年\d{1,2}月\d{1,2}日 ?)?\d{2}:\d{2}(:\d{2})?$/, shorten: false, what: 'a 24-hour time, optionally after its date' },
  date: { max: 40, allowed: /^\d{4}[-/.]\d{2}[-/.]\d{2}$|^\d{4}年\d{1,2}月\d{1,2}日$/, shorten: false, what: 'a date' },
  phrase: { max: 5, allowed: /^\p{Script=Han}+$/u, shorten: false, what: 'up to 5 Chinese characters' },
};

/** `thing3` → `thing`; `character_string12` → `character_string`; `keyword1` → `keyword`. */
export function keywordKind(keyword: string): string | undefined {
  const kind = /^([a-z_]+?)\d+$/.exec(keyword)?.[1];
  return kind && kind in KEYWORD_KINDS ? kind : undefined;
}

/** A value made fit for its keyword: one line, runs of spaces made one, free text shortened with "…". */
export function fitKeyword(keyword: string, value: string): string {
  const kind = KEYWORD_KINDS[keywordKind(keyword) ?? 'thing'];
  const oneLine = value.replace(/\s+/g, ' ').trim();
  const chars = Array.from(oneLine);
  if (!kind.shorten || chars.length <= kind.max) return oneLine;
  return `${chars.slice(0, kind.max - 1).join('').trimEnd()}…`;
}

/** Every way a keyword's value breaks its kind's rules; empty when WeChat will take it. */
export function keywordProblems(keyword: string, value: string): string[] {
  const kindName = keywordKind(keyword);
  if (!kindName) return [`${keyword}: not a keyword name WeChat uses (kind and number, e.g. thing3)`];
  const kind = KEYWORD_KINDS[kindName];
  const problems: string[] = [];
  if (value === '') problems.push(`${keyword}: empty`);
  if (Array.from(value).length > kind.max) problems.push(`${keyword}: ${Array.from(value).length} characters (${kind.what})`);
  if (kind.allowed && value !== '' && !kind.allowed.test(value)) problems.push(`${keyword}: ${JSON.stringify(value)} is not ${kind.what}`);
  if (/[\r\n\t]/.test(value)) problems.push(`${keyword}: has a line break or tab`);
  return problems;
}

const WECHAT_TIME = new Map<string, Intl.DateTimeFormat>();

/**
 * "2026-12-01 08:35": the local time at the airport in the form a `time` keyword takes, the same in every
 * language (WeChat shows it as given). Unknown airport: UTC, as elsewhere, and no place to say so — the
 * airport table covers every airport the contract allows.
 */
export function wechatTime(instantIso: string, iata: string): string {
  const timeZone = findAirport(iata)?.timeZone ?? 'UTC';
  let format = WECHAT_TIME.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    WECHAT_TIME.set(timeZone, format);
  }
  const epochMs = Date.parse(instantIso);
  if (Number.isNaN(epochMs)) throw new Error(`Expected an RFC 3339 instant, got ${JSON.stringify(instantIso)}`);
  const parts = Object.fromEntries(format.formatToParts(epochMs).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
