// @ts-check
// The overview: what needs attention now (failed, backlog, dispatch lag, sends per minute), the last hour
// minute by minute (a storm shows as it happens), and the last hours by status or channel.
import { api } from './api.js';
import { drawBars } from './chart.js';
import { $, $select, h, statusBadge, swatch } from './dom.js';
import { session } from './session.js';
import { fmtClock, fmtDuration, fmtTime, zoneAbbreviation } from './time.js';

/** @typedef {import('./types.js').StatsResponse} StatsResponse */

/** @type {StatsResponse | null} */
let stats = null;

export async function loadStats() {
  stats = /** @type {StatsResponse} */ (await api(`/api/stats?hours=${encodeURIComponent($select('#hours').value)}`));
  drawOverview();
}

/** Draws everything from the last answer (also on resize and when the zone changes). */
export function drawOverview() {
  if (!stats) return;
  drawKpis(stats);
  drawMinutes(stats);
  drawHours(stats);
  drawTotals(stats);
}

/**
 * @param {string} id
 * @param {string} label
 * @param {string | number} value
 * @param {string} [note]
 * @param {'bad' | 'warn' | 'ok'} [tone]
 */
const kpi = (id, label, value, note, tone) =>
  h('div', { class: `kpi ${tone ?? ''}`, id },
    h('span', { class: 'kpi-label', text: label }),
    h('strong', { class: 'kpi-value', text: value }),
    note ? h('span', { class: 'kpi-note', text: note }) : '');

/** @param {StatsResponse} s */
function drawKpis(s) {
  const failed = s.totals.byStatus.failed ?? 0;
  const b = s.backlog;
  const last = s.minutes.slice(-10);
  const sum = (/** @type {'sent' | 'failed' | 'created'} */ k) => last.reduce((n, m) => n + m[k], 0);
  const sentLastMinute = s.minutes.length > 1 ? s.minutes[s.minutes.length - 2].sent : 0;
  $('#kpis').replaceChildren(
    kpi('kpi-failed', `Failed · ${s.hours.length} h`, failed, `of ${s.totals.all} created`, failed ? 'bad' : 'ok'),
    kpi('kpi-due', 'Pending, due', b.due, `${b.scheduled} scheduled later`, b.due > 0 && b.lagSeconds > 60 ? 'warn' : undefined),
    kpi('kpi-sending', 'Sending', b.sending),
    kpi('kpi-lag', 'Dispatch lag', fmtDuration(b.lagSeconds), b.oldestDueAt ? `oldest due ${fmtTime(b.oldestDueAt)}` : 'nothing due',
      b.lagSeconds > 300 ? 'bad' : b.lagSeconds > 60 ? 'warn' : 'ok'),
    kpi('kpi-rate', 'Sent / min', sentLastMinute, `${sum('sent')} sent, ${sum('failed')} failed in 10 min`),
  );
  // No "in doubt" status exists: a claim whose lease runs out is put back to pending (docs/decisions/0014).
}

/** @param {StatsResponse} s */
function drawMinutes(s) {
  const values = (/** @type {'sent' | 'failed' | 'retried' | 'created'} */ k) => s.minutes.map((m) => m[k]);
  drawBars($('#minute-chart', HTMLCanvasElement), {
    labels: s.minutes.map((m) => fmtClock(m.minute)),
    stacks: [{ key: 'sent', values: values('sent') }, { key: 'failed', values: values('failed') }, { key: 'retried', values: values('retried') }],
    line: { key: 'created', values: values('created') },
  });
  $('#minute-legend').replaceChildren(
    ...['sent', 'failed', 'retried'].map((k) => h('span', {}, swatch(k), k)),
    h('span', {}, h('i', { class: 'line' }), 'created'),
    h('span', { class: 'muted', text: `times in ${zoneAbbreviation()}` }),
  );
}

/** @param {StatsResponse} s */
function drawHours(s) {
  const by = $select('#chart-by').value === 'channel' ? 'channel' : 'status';
  const keys = by === 'status' ? session.enums.statuses : session.enums.channels;
  drawBars($('#chart', HTMLCanvasElement), {
    labels: s.hours.map((hour) => fmtClock(hour)),
    stacks: keys.map((key) => ({
      key,
      values: s.hours.map((hour) => s.rows.filter((r) => r.hour === hour && r[by] === key).reduce((n, r) => n + r.count, 0)),
    })),
  });
  $('#legend').replaceChildren(...keys.map((k) => h('span', {}, swatch(k), k)), h('span', { class: 'muted', text: `times in ${zoneAbbreviation()}` }));
}

/** @param {StatsResponse} s */
function drawTotals(s) {
  const { totals } = s;
  if (!totals.all) {
    $('#totals').replaceChildren(h('p', { class: 'muted', text: 'No notifications in this window.' }));
    return;
  }
  const statuses = session.enums.statuses.filter((st) => totals.byStatus[st]);
  const channels = session.enums.channels.filter((c) => totals.byChannel[c]);
  const head = h('tr', {}, h('th', { text: 'channel' }), statuses.map((st) => h('th', { class: 'n' }, statusBadge(st))), h('th', { class: 'n', text: 'total' }));
  const rows = channels.map((c) => {
    const cells = totals.byChannel[c];
    const sum = Object.values(cells).reduce((a, b) => a + b, 0);
    return h('tr', { dataset: { channel: c } }, h('td', { text: c }), statuses.map((st) => h('td', { class: 'n', text: cells[st] || '' })), h('td', { class: 'n', text: sum }));
  });
  const foot = h('tr', {}, h('th', { text: 'all' }), statuses.map((st) => h('th', { class: 'n', text: totals.byStatus[st] })), h('th', { class: 'n', text: totals.all }));
  $('#totals').replaceChildren(h('div', { class: 'table-wrap' }, h('table', { id: 'totals-table', class: 'counts' }, h('thead', {}, head), h('tbody', {}, rows), h('tfoot', {}, foot))));
}
