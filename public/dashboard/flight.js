// @ts-check
// One flight (/dashboard/#/flight/KL1234-2026-12-01): its latest status, how many of its passengers were
// told, every notification about it by type × channel × status, and the failed ones with their reasons.
import { ApiError, api } from './api.js';
import { $, h, statusBadge, td } from './dom.js';
import { session } from './session.js';
import { fmtTime } from './time.js';

/** @typedef {import('./types.js').FlightView} FlightView */
/** @typedef {import('./types.js').FlightLeg} FlightLeg */

/** The flight key the read API uses, as the server checks it (GET /api/flights/:flight answers 400 otherwise). */
export const FLIGHT_KEY = /^[A-Z0-9]{2}[0-9]{1,4}[A-Z]?-\d{4}-\d{2}-\d{2}$/;

/** @param {string} key */
export async function loadFlight(key) {
  const box = $('#flight-body');
  $('#flight-title').textContent = `Flight ${key}`;
  try {
    const view = /** @type {FlightView} */ (await api(`/api/flights/${encodeURIComponent(key)}`));
    box.replaceChildren(legsView(view.legs), passengersView(view), countsView(view), failedView(view));
  } catch (error) {
    if (!(error instanceof ApiError) || ![400, 404].includes(error.status)) throw error;
    box.replaceChildren(h('p', { class: 'error', id: 'flight-missing', text: error.message }));
  }
}

/** @param {FlightLeg[]} legs */
function legsView(legs) {
  if (!legs.length) return h('p', { class: 'muted', id: 'flight-legs', text: 'No flight status received for this flight.' });
  return h('div', { class: 'legs', id: 'flight-legs' }, legs.map((l) => {
    /** @type {[string, string | null][]} */
    const facts = [
      ['Scheduled', fmtTime(l.scheduledDeparture)],
      ['Estimated', l.estimatedDeparture ? fmtTime(l.estimatedDeparture) : null],
      ['Gate', [l.departureTerminal && `T${l.departureTerminal}`, l.departureGate].filter(Boolean).join(' ') || null],
      ['Arrives', l.estimatedArrival ? fmtTime(l.estimatedArrival) : null],
      ['Belt', l.baggageBelt],
      ['Diverted to', l.divertedTo],
      ['Reason', l.reason],
      ['Status from', `v${l.version}, ${fmtTime(l.updatedAt)}`],
    ];
    return h('div', { class: 'leg', dataset: { origin: l.origin } },
      h('div', { class: 'leg-head' }, h('strong', { text: `${l.origin} → ${l.destination}` }), h('span', { class: `flight-status fs-${l.status.toLowerCase()}`, text: l.status })),
      h('dl', {}, facts.filter(([, v]) => v).map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v ?? '' })])));
  }));
}

/** @param {FlightView} view */
function passengersView(view) {
  const p = view.passengers;
  return h('p', { class: 'told', id: 'flight-told' },
    h('strong', { text: `${p.told} of ${p.planned}` }), ' passengers told (a notification sent, delivered or read)',
    p.withFailures ? h('span', { class: 'error', text: ` · ${p.withFailures} with a failed notification` }) : '');
}

/** @param {FlightView} view */
function countsView(view) {
  if (!view.counts.length) return h('p', { class: 'muted', text: 'No notifications about this flight.' });
  const statuses = session.enums.statuses.filter((s) => view.counts.some((c) => c.status === s));
  /** @type {Map<string, Record<string, number>>} */
  const byRow = new Map();
  for (const c of view.counts) {
    const key = `${c.type}\u0000${c.channel}`;
    const row = byRow.get(key) ?? {};
    row[c.status] = c.count;
    byRow.set(key, row);
  }
  const head = h('tr', {}, h('th', { text: 'type' }), h('th', { text: 'channel' }), statuses.map((s) => h('th', { class: 'n' }, statusBadge(s))));
  const rows = [...byRow].map(([key, cells]) => {
    const [type, channel] = key.split('\u0000');
    return h('tr', { dataset: { type, channel } }, td('Type', { text: type }), td('Channel', { text: channel }),
      statuses.map((s) => td(s, { class: 'n', text: cells[s] ?? '' })));
  });
  return h('div', {}, h('h3', { text: 'Notifications by type and channel' }),
    h('div', { class: 'table-wrap' }, h('table', { id: 'flight-counts', class: 'stack counts' }, h('thead', {}, head), h('tbody', {}, rows))));
}

/** @param {FlightView} view */
function failedView(view) {
  const title = h('h3', { text: `Failed (${view.failedTotal})` });
  if (!view.failed.length) return h('div', {}, title, h('p', { class: 'muted', text: 'None failed.' }));
  return h('div', {}, title,
    h('div', { class: 'table-wrap' }, h('table', { id: 'flight-failed', class: 'stack' },
      h('thead', {}, h('tr', {}, ['Failed at', 'Type', 'Channel', 'Passenger', 'Recipient', 'Error', 'Reason'].map((t) => h('th', { text: t })))),
      h('tbody', {}, view.failed.map((f) => h('tr', { dataset: { id: f.id } },
        td('Failed at', { text: fmtTime(f.failedAt) }),
        td('Type', { text: f.type }),
        td('Channel', { text: f.channel }),
        td('Passenger', { text: `${f.bookingReference} ${f.passengerId}` }),
        td('Recipient', { class: 'recipient', text: f.maskedRecipient }),
        td('Error', { class: 'code', text: f.errorCode ?? '–' }),
        td('Reason', { class: 'wrap', text: f.error ?? '' })))))),
    view.failed.length < view.failedTotal ? h('p', { class: 'muted', text: `The ${view.failed.length} newest shown.` }) : '');
}
