import type { Figure } from './figures';

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function formatCount(n: number): string {
  return int.format(n);
}

export function formatRate(perSecond: number): string {
  return perSecond >= 100 ? `${int.format(perSecond)}/s` : `${one.format(perSecond)}/s`;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return ms >= 10_000 ? `${one.format(ms / 1000)} s` : `${int.format(ms)} ms`;
}

/** The figures as an aligned plain-text table, one row per figure. */
export function formatTable(figures: Figure[]): string {
  const header = ['scenario', 'figure', 'count', 'time', 'rate', 'vs floor', 'p50', 'p95', 'p99', 'busy cores', 'note'];
  const rows = figures.map((f) => [
    f.scenario,
    f.what,
    f.count === undefined ? '' : formatCount(f.count),
    f.seconds === undefined ? '' : `${one.format(f.seconds)} s`,
    f.rate === undefined ? '' : formatRate(f.rate),
    f.vsFloor === undefined ? '' : `${f.vsFloor.toFixed(2)}×`,
    f.latency ? formatMs(f.latency.p50) : '',
    f.latency ? formatMs(f.latency.p95) : '',
    f.latency ? formatMs(f.latency.p99) : '',
    f.machineBusyCores === undefined ? '' : f.machineBusyCores.toFixed(2),
    f.note ?? '',
  ]);
  const numeric = new Set([2, 3, 4, 5, 6, 7, 8, 9]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
