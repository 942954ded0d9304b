import { InvalidArgumentError } from 'commander';
import type { WhatsAppTemplateContent } from '../rendering/rendered-content';
import { UsageError } from './io';

/** Columns padded to the widest cell; the last column is never padded. */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined || c === '' ? '-' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}

/** Label/value lines, labels aligned. */
export function fields(pairs: [string, string | number | null | undefined][]): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width + 1)}  ${v === null || v === undefined || v === '' ? '-' : v}`).join('\n') + '\n';
}

/** 2026-11-30T09:12:03.123Z → 2026-11-30 09:12:03Z */
export function time(value: string | Date | null | undefined): string {
  if (!value) return '-';
  const iso = (value instanceof Date ? value : new Date(value)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

/** A timeline entry's detail as `key=value` pairs, nested values as JSON. */
export function detail(value: Record<string, unknown> | null | undefined): string {
  if (!value) return '';
  return Object.entries(value)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v)}`)
    .join(' ');
}

export function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const RFC3339 = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2}))?$/;

/** `2h`, `30m`, `1d`, `1w` back from now, or an RFC 3339 instant (a bare date is midnight UTC). */
export function parseInstant(value: string, option: string, now = Date.now()): string {
  const relative = /^(\d+)\s*([smhdw])$/.exec(value.trim());
  if (relative) return new Date(now - Number(relative[1]) * UNITS[relative[2]]).toISOString();
  if (RFC3339.test(value.trim())) {
    const at = new Date(value.trim().length === 10 ? `${value.trim()}T00:00:00Z` : value.trim());
    if (!Number.isNaN(at.getTime())) return at.toISOString();
  }
  throw new UsageError(`${option} must be a duration back from now (30m, 2h, 1d, 1w) or an RFC 3339 date-time (2026-12-01T06:00:00Z), not "${value}"`);
}

export function positiveInt(option: string, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`${option} must be a whole number from 1 to ${max}.`);
    return n;
  };
}

/** A WhatsApp template as it was sent: name, language, header, and each parameter by its number. */
export function whatsappTemplateLines(template: WhatsAppTemplateContent): string {
  const lines = [`  WhatsApp template: ${template.name} (${template.language})${template.header ? `, ${template.header} header` : ''}`, '  parameters:'];
  template.parameters.forEach((value, i) => lines.push(`    {{${i + 1}}}  ${value}`));
  if (template.parameters.length === 0) lines.push('    (none)');
  return `${lines.join('\n')}\n`;
}
