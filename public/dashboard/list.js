// @ts-check
// The notifications list (the failed ones by default) with its filters, and replaying everything that
// matches them (count first, then progress, with a button to cancel).
import { api } from './api.js';
import { $, $select, h, statusBadge, td, toast } from './dom.js';
import { isOperator } from './session.js';
import { fmtTime } from './time.js';

/** @typedef {import('./types.js').NotificationPage} NotificationPage */
/** @typedef {import('./types.js').BulkDryRun} BulkDryRun */
/** @typedef {import('./types.js').ReplayJob} ReplayJob */

/** Asks the page to show one notification (main.js opens the detail). */
export const SELECT_EVENT = 'notification-select';
/** Asks the page to replay one notification. */
export const REPLAY_EVENT = 'notification-replay';

/** @type {{ cursor: string | null, pages: number, selected: string | null, report: (error: unknown) => void }} */
export const listState = { cursor: null, pages: 0, selected: null, report: () => {} };

/** @returns {Record<string, string>} */
export function filters() {
  /** @type {Record<string, string>} */
  const f = {};
  for (const [key, sel] of [['status', '#f-status'], ['type', '#f-type'], ['channel', '#f-channel'], ['flight', '#f-flight'], ['bookingReference', '#f-booking']]) {
    const el = document.querySelector(sel);
    const v = el instanceof HTMLInputElement || el instanceof HTMLSelectElement ? el.value.trim() : '';
    if (v) f[key] = key === 'flight' || key === 'bookingReference' ? v.toUpperCase() : v;
  }
  return f;
}

/** @param {string} id */
const select = (id) => document.dispatchEvent(new CustomEvent(SELECT_EVENT, { detail: id }));

/** @param {boolean} [append] the next page, after the ones shown */
export async function loadList(append) {
  const query = new URLSearchParams({ ...filters(), limit: '50' });
  if (append && listState.cursor) query.set('cursor', listState.cursor);
  const page = /** @type {NotificationPage} */ (await api(`/api/notifications?${query}`));
  listState.cursor = page.nextCursor;
  listState.pages = append ? listState.pages + 1 : 1;
  const body = $('#list tbody');
  const rows = page.items.map((n) =>
    h('tr', { dataset: { id: n.id, status: n.status }, class: listState.selected === n.id ? 'selected' : '', onclick: () => select(n.id) },
      td('Created', { text: fmtTime(n.createdAt) }),
      td('Status', {}, statusBadge(n.status)),
      td('Type', { text: n.type }),
      td('Channel', { text: n.channel }),
      td('Error', { class: 'code', text: n.lastErrorCode ?? '' }),
      td('Recipient', { class: 'recipient', text: n.maskedRecipient }),
      td('Booking', { text: `${n.bookingReference} ${n.passengerId}` }),
      td('Flight', {}, n.flight ? h('a', { href: `#/flight/${encodeURIComponent(n.flight)}`, text: n.flight, onclick: (/** @type {Event} */ e) => e.stopPropagation() }) : '–'),
      td('', { class: 'act' }, isOperator() && ['failed', 'cancelled'].includes(n.status)
        ? h('button', {
          type: 'button', class: 'small row-replay',
          onclick: (/** @type {Event} */ e) => {
            e.stopPropagation();
            document.dispatchEvent(new CustomEvent(REPLAY_EVENT, { detail: n.id }));
          },
        }, 'Replay')
        : ''),
    ),
  );
  if (append) body.append(...rows);
  else body.replaceChildren(...rows);
  const shown = body.children.length;
  $('#list-note').textContent = shown ? `${shown} shown${listState.cursor ? ', more below' : ''}` : 'No notifications match these filters.';
  $('#more').hidden = !listState.cursor;
}

/** The automatic refresh reloads the list only while its first page is shown, so it never pulls the rows away from an operator who paged on. */
export const refreshList = () => (listState.pages <= 1 ? loadList() : Promise.resolve());

/** @param {string} id */
export function markSelected(id) {
  listState.selected = id;
  for (const tr of document.querySelectorAll('#list tbody tr')) tr.classList.toggle('selected', tr instanceof HTMLElement && tr.dataset.id === id);
}

export async function bulkReplay() {
  const box = $('#bulk');
  const selection = filters();
  box.hidden = false;
  box.replaceChildren(h('span', { class: 'muted', text: 'Counting…' }));
  try {
    const dry = /** @type {BulkDryRun} */ (await api('/api/replays', { method: 'POST', body: { ...selection, dryRun: true } }));
    const what = Object.entries(selection).map(([k, v]) => `${k}=${v}`).join(', ') || 'status=failed';
    // The button confirms the count shown: the service refuses if the set changed since (count again).
    box.replaceChildren(
      h('span', { text: `${dry.matched} notification${dry.matched === 1 ? '' : 's'} match (${what}).` }),
      dry.needsConfirmation ? h('strong', { text: ' That is more than the service replays without confirmation.' }) : '',
      h('button', { type: 'button', id: 'bulk-confirm', class: 'danger', disabled: dry.matched === 0, onclick: () => startBulk(selection, dry.matched) },
        `Replay these ${dry.matched}`),
      h('button', { type: 'button', class: 'secondary', onclick: () => (box.hidden = true) }, 'Close'),
    );
  } catch (error) {
    box.hidden = true;
    listState.report(error);
  }
}

/**
 * @param {Record<string, string>} selection
 * @param {number} matched
 */
async function startBulk(selection, matched) {
  const box = $('#bulk');
  try {
    let job = /** @type {ReplayJob} */ (await api('/api/replays', { method: 'POST', body: { ...selection, confirm: matched } }));
    const bar = /** @type {HTMLProgressElement} */ (h('progress', { max: Math.max(job.total, 1), value: 0 }));
    const label = h('span', {});
    const stop = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', id: 'bulk-cancel', class: 'danger', onclick: () => cancelBulk(job.id, stop) }, 'Cancel replay'));
    box.replaceChildren(bar, label, stop);
    for (;;) {
      bar.max = Math.max(job.total, 1);
      bar.value = job.replayed + job.skipped;
      label.textContent = `${job.replayed + job.skipped}/${job.total} · replayed ${job.replayed}, skipped ${job.skipped}`;
      if (job.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 500));
      job = /** @type {ReplayJob} */ (await api(`/api/replays/${job.id}`));
    }
    stop.remove();
    label.textContent = job.status === 'cancelled'
      ? `Cancelled: ${job.replayed} replayed, ${job.skipped} skipped of ${job.total}; nothing more is queued.`
      : `Done: ${job.total} matched, ${job.replayed} replayed, ${job.skipped} skipped.`;
    box.append(h('button', { type: 'button', class: 'secondary', onclick: () => (box.hidden = true) }, 'Close'));
    await loadList();
  } catch (error) {
    listState.report(error);
  }
}

/**
 * @param {string} id
 * @param {HTMLButtonElement} button
 */
async function cancelBulk(id, button) {
  button.disabled = true;
  try {
    await api(`/api/replays/${encodeURIComponent(id)}/cancel`, { method: 'POST', body: {} });
    toast('Replay cancelled; what it queued already stays queued.');
  } catch (error) {
    button.disabled = false;
    listState.report(error);
  }
}

/** Fills the filter selects from the API's enums; the list opens on the failed ones. */
export function initFilters(/** @type {import('./api.js').Enums} */ enums) {
  options($select('#f-status'), enums.statuses, 'any');
  $select('#f-status').value = 'failed';
  options($select('#f-type'), enums.types, 'any');
  options($select('#f-channel'), enums.channels, 'any');
}

/**
 * @param {HTMLSelectElement} select
 * @param {readonly string[]} values
 * @param {string} any
 */
export function options(select, values, any) {
  select.replaceChildren(new Option(any, ''), ...values.map((v) => new Option(v, v)));
}
