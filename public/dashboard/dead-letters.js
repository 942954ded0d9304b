// @ts-check
// Events the service could not use, parked with their reason; operators re-drive them one by one or by reason.
import { api } from './api.js';
import { $, $input, $select, h, td, toast } from './dom.js';
import { CHANGED_EVENT } from './detail.js';
import { isOperator } from './session.js';
import { fmtTime } from './time.js';

/** @typedef {import('./types.js').DeadLetterList} DeadLetterList */
/** @typedef {import('./types.js').RedriveOutcome} RedriveOutcome */
/** @typedef {import('./types.js').RedriveManyResult} RedriveManyResult */
/** @typedef {import('./types.js').BulkDryRun} BulkDryRun */

export const deadLetterState = { report: (/** @type {unknown} */ _error) => {} };

export async function loadDeadLetters() {
  const query = new URLSearchParams({ limit: '100' });
  if ($input('#dl-open').checked) query.set('open', 'true');
  if ($select('#dl-reason').value) query.set('reasonCode', $select('#dl-reason').value);
  const { items } = /** @type {DeadLetterList} */ (await api(`/api/dead-letters?${query}`));
  $('#dl-list tbody').replaceChildren(
    ...items.map((d) =>
      h('tr', { dataset: { id: d.id } },
        td('Parked', { text: fmtTime(d.parkedAt) }),
        td('Reason code', { class: 'code', text: d.reasonCode }),
        td('Type', { text: d.type || '–' }),
        td('Reason', { class: 'wrap', text: d.reason }),
        td('Re-driven', { text: d.redrivenAt ? fmtTime(d.redrivenAt) : 'no' }),
        td('', { class: 'act' }, isOperator() && !d.redrivenAt ? h('button', { type: 'button', class: 'small', onclick: () => redrive(d.id) }, 'Re-drive') : ''),
      ),
    ),
  );
  $('#dl-note').textContent = items.length ? `${items.length} shown` : 'No dead letters match.';
}

/** @param {RedriveOutcome} o */
const describeRedrive = (o) =>
  o.kind === 'applied' ? `applied (${o.type}, ${o.notifications} notifications planned)`
    : o.kind === 'parked' ? `still broken, parked again: ${o.reasonCode}: ${o.reason}`
      : o.kind === 'duplicate' ? 'already processed before'
        : `skipped: ${o.reason}`;

/** @param {string} id */
async function redrive(id) {
  try {
    const outcome = /** @type {RedriveOutcome} */ (await api(`/api/dead-letters/${encodeURIComponent(id)}/redrive`, { method: 'POST', body: {} }));
    toast(`Re-driven: ${describeRedrive(outcome)}`, outcome.kind === 'parked');
    document.dispatchEvent(new CustomEvent(CHANGED_EVENT));
    await loadDeadLetters();
  } catch (error) {
    deadLetterState.report(error);
  }
}

export async function redriveAll() {
  const reasonCode = $select('#dl-reason').value;
  if (!reasonCode) return toast('Pick a reason first: every open dead letter parked for it is re-driven.', true);
  try {
    const dry = /** @type {BulkDryRun} */ (await api('/api/dead-letters/redrive', { method: 'POST', body: { reasonCode, dryRun: true } }));
    if (dry.matched === 0) return toast(`No open dead letters parked for ${reasonCode}.`);
    if (!window.confirm(`Re-drive the ${dry.matched} open dead letter${dry.matched === 1 ? '' : 's'} parked for ${reasonCode}?`)) return;
    const result = /** @type {RedriveManyResult} */ (await api('/api/dead-letters/redrive', { method: 'POST', body: { reasonCode, confirm: dry.matched } }));
    toast(`Re-drove ${result.total}: ${Object.entries(result.outcomes).map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing open'}`);
    document.dispatchEvent(new CustomEvent(CHANGED_EVENT));
    await loadDeadLetters();
  } catch (error) {
    deadLetterState.report(error);
  }
}
