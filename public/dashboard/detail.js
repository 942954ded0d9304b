// @ts-check
// One notification: who it went to, what it said (e-mail HTML in a sandboxed frame without scripts), its
// boarding pass decoded from the bar code, its attachments (fetched with the token, shown from blob: URLs),
// its timeline, and replay for operators.
import { api, apiResponse } from './api.js';
import { $, h, statusBadge, toast } from './dom.js';
import { isOperator } from './session.js';
import { previewInLanguage } from './preview-language.js';
import { fmtTime } from './time.js';

/** @typedef {import('./types.js').NotificationDetail} NotificationDetail */
/** @typedef {import('./types.js').ReplayOutcome} ReplayOutcome */
/** @typedef {import('./types.js').BookingView} BookingView */

const UNSETTLED = ['pending', 'sending'];
/** Sent when a notification changed here (replayed, or settled while followed): lists and counts reload. */
export const CHANGED_EVENT = 'notifications-changed';

/** @type {{ selected: string | null, blobUrls: string[], poll: ReturnType<typeof setTimeout> | undefined, report: (error: unknown) => void }} */
export const detailState = { selected: null, blobUrls: [], poll: undefined, report: () => {} };

const changed = () => document.dispatchEvent(new CustomEvent(CHANGED_EVENT));

export function clearDetail() {
  for (const url of detailState.blobUrls) URL.revokeObjectURL(url);
  detailState.blobUrls = [];
  clearTimeout(detailState.poll);
  detailState.selected = null;
  $('#detail-body').replaceChildren();
  $('#detail-body').hidden = true;
  $('#detail-empty').hidden = false;
}

/**
 * @param {string} id
 * @param {boolean} [keepPolling] called by its own follow-up while the notification is on its way out
 */
export async function showDetail(id, keepPolling) {
  if (!keepPolling) clearTimeout(detailState.poll);
  const n = /** @type {NotificationDetail} */ (await api(`/api/notifications/${encodeURIComponent(id)}`));
  if (detailState.selected !== id) {
    clearDetail();
    detailState.selected = id;
  } else {
    for (const url of detailState.blobUrls) URL.revokeObjectURL(url);
    detailState.blobUrls = [];
  }
  const body = $('#detail-body');
  const actions = isOperator()
    ? h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'detail-replay', onclick: () => replay(n.id, false), disabled: !['failed', 'cancelled'].includes(n.status) }, 'Replay'),
      h('button', { type: 'button', id: 'detail-force', class: 'secondary', onclick: () => replay(n.id, true), disabled: !['sent', 'delivered', 'read', 'failed', 'cancelled'].includes(n.status) }, 'Send again (force)'))
    : h('p', { class: 'muted', id: 'viewer-note', text: 'Replaying needs an operator token.' });
  /** @type {[string, Node | string][]} */
  const fields = [
    ['Status', h('span', { id: 'detail-status' }, statusBadge(n.status))],
    ['Id', n.id],
    ['Type', n.type],
    ['Channel', n.channel],
    ['Recipient', n.recipient],
    ['Booking', `${n.bookingReference} · passenger ${n.passengerId}`],
    ['Flight', n.flight ? h('a', { href: `#/flight/${encodeURIComponent(n.flight)}`, text: n.flight }) : '–'],
    ['Locale', n.locale],
    ['Attempts', String(n.attempts)],
    ['Provider id', n.providerMessageId || '–'],
    ['Last error', n.lastError ? `${n.lastError.code}: ${n.lastError.message || ''}` : '–'],
    ['Created', fmtTime(n.createdAt)],
    ['Updated', fmtTime(n.updatedAt)],
  ];
  body.replaceChildren(
    actions,
    h('dl', {}, fields.map(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)])),
    h('p', { class: 'warn', id: 'detail-unusable', hidden: true }),
    messageView(n),
    boardingPassView(n),
    attachmentsView(n),
    previewInLanguage(n),
    h('h3', { text: 'Timeline' }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'timeline', id: 'timeline' },
      h('thead', {}, h('tr', {}, h('th', { text: 'At' }), h('th', { text: 'What' }), h('th', { text: 'Detail' }))),
      h('tbody', {}, n.timeline.map((t) => h('tr', { dataset: { kind: t.kind } },
        h('td', { text: fmtTime(t.at) }), h('td', { text: t.kind }), h('td', { class: 'detail-cell', text: detailText(t.detail) })))))),
  );
  body.hidden = false;
  $('#detail-empty').hidden = true;
  showUnusableContacts(n).catch(() => undefined); // a mention only: the detail stands without it
  // Follow a message on its way out, so a replay shows up as sent without reloading.
  if (UNSETTLED.includes(n.status)) {
    detailState.poll = setTimeout(() => showDetail(id, true).catch(detailState.report), 700);
  } else if (keepPolling) {
    changed();
  }
}

/**
 * Contacts of this passenger the booking gave but that cannot be used (GET /api/bookings/:reference): never sent to.
 * @param {NotificationDetail} n
 */
async function showUnusableContacts(n) {
  const booking = /** @type {BookingView} */ (await api(`/api/bookings/${encodeURIComponent(n.bookingReference)}`));
  const passenger = booking.passengers.find((p) => p.passengerId === n.passengerId);
  const unusable = passenger ? passenger.unusableContacts : [];
  const el = $('#detail-unusable');
  if (unusable.length === 0) return;
  el.textContent = `Unusable contacts of this passenger, never sent to: ${unusable.map((u) => `${u.channel} (${u.reason})`).join(', ')}`;
  el.hidden = false;
}

/** @param {Record<string, unknown> | null} d */
const detailText = (d) => (d ? Object.entries(d).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('  ') : '');

/** @param {NotificationDetail} n */
function messageView(n) {
  if (!n.content) return h('p', { class: 'muted', text: 'Not rendered yet.' });
  const parts = [h('h3', { text: `Message (${n.content.locale})` })];
  if (n.content.subject) parts.push(h('p', {}, h('strong', { text: 'Subject: ' }), n.content.subject));
  if (n.content.html) {
    // No allow-scripts, no allow-same-origin: the e-mail cannot run code or reach the page or the token.
    const frame = /** @type {HTMLIFrameElement} */ (h('iframe', { class: 'email', sandbox: '', referrerpolicy: 'no-referrer', title: 'e-mail as sent' }));
    frame.srcdoc = n.content.html;
    parts.push(frame);
    parts.push(h('details', {}, h('summary', { text: 'plain-text part' }), h('pre', { class: 'message', text: n.content.text })));
  } else {
    parts.push(h('pre', { class: 'message', id: 'message-text', text: n.content.text }));
  }
  return h('div', {}, parts);
}

/** @param {NotificationDetail} n */
function attachmentsView(n) {
  if (!n.attachments.length) return '';
  const box = h('div', { class: 'attachments' });
  for (const a of n.attachments) {
    const figure = h('figure', {}, h('figcaption', { class: 'muted', text: `loading ${a.name}…` }));
    box.append(figure);
    // The attachment URLs need the bearer token: fetch them, then show them from blob: URLs.
    apiResponse(a.url)
      .then((res) => res.blob())
      .then((blob) => {
        const url = URL.createObjectURL(blob);
        detailState.blobUrls.push(url);
        const link = h('a', { href: url, download: a.name, text: a.name });
        const size = ` · ${Math.round(blob.size / 1024)} kB`;
        if (a.contentType.startsWith('image/')) figure.replaceChildren(h('img', { src: url, alt: a.name }), h('figcaption', {}, link, size));
        else if (a.contentType === 'application/pdf') {
          // The browser's PDF viewer only on demand: it is heavy, and some (headless ones) have none.
          const frameBox = h('div', { class: 'pdf-frame', hidden: true });
          const toggle = h('button', {
            type: 'button', class: 'small secondary pdf-toggle',
            onclick: () => {
              if (!frameBox.firstChild) frameBox.append(h('iframe', { src: url, title: a.name }));
              frameBox.hidden = !frameBox.hidden;
            },
          }, 'Preview');
          figure.replaceChildren(h('div', { class: 'pdf-icon', text: 'PDF' }), h('figcaption', {}, link, `${size} `, toggle), frameBox);
        } else figure.replaceChildren(h('figcaption', {}, link, size));
      })
      .catch((/** @type {Error} */ e) => figure.replaceChildren(h('figcaption', { class: 'error', text: `${a.name}: ${e.message}` })));
  }
  return h('div', {}, h('h3', { text: 'Attachments' }), box);
}

/**
 * The boarding pass as its bar code says it (decoded by the service), drawn as a small card.
 * @param {NotificationDetail} n
 */
function boardingPassView(n) {
  const bp = /** @type {{ passengerName?: string, legs?: Record<string, string | number | undefined>[] } | null} */ (n.boardingPass);
  if (!bp) return '';
  const leg = bp.legs?.[0] ?? {};
  const flightDate = n.flight ? n.flight.slice(-10) : '';
  const text = (/** @type {unknown} */ v) => (v === undefined || v === null ? '' : String(v));
  const unpad = (/** @type {unknown} */ v) => text(v).replace(/^0+/, '');
  /**
   * @param {string} label
   * @param {string} value
   */
  const cell = (label, value) => h('div', {}, h('span', { text: label }), h('strong', { text: value || '–' }));
  const card = h('div', { class: 'pass', id: 'boarding-pass' },
    h('div', { class: 'pass-head' }, h('strong', { text: `${text(leg.carrier)}${unpad(leg.flightNumber)}` }), h('span', { text: flightDate })),
    h('div', { class: 'pass-route' }, h('strong', { text: text(leg.from) }), h('span', { text: '→' }), h('strong', { text: text(leg.to) })),
    h('div', { class: 'pass-name', text: bp.passengerName ?? '' }),
    h('div', { class: 'pass-grid' },
      cell('Seat', unpad(leg.seat)),
      cell('Seq.', unpad(leg.sequenceNumber)),
      cell('Class', text(leg.compartment)),
      cell('PNR', text(leg.pnr))),
  );
  /** @type {HTMLElement[]} */
  const rows = [];
  /**
   * @param {string} prefix
   * @param {unknown} value
   */
  const walk = (prefix, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(`${prefix}[${i}]`, v));
    else if (value !== '' && value !== null && value !== undefined) rows.push(h('tr', {}, h('td', { class: 'muted', text: prefix }), h('td', { text: String(value) })));
  };
  walk('', bp);
  return h('div', {}, h('h3', { text: 'Boarding pass' }), card,
    h('details', {}, h('summary', { text: 'bar code, every field decoded' }), h('table', { class: 'bcbp' }, h('tbody', {}, rows))));
}

/**
 * @param {string} id
 * @param {boolean} force
 */
export async function replay(id, force) {
  try {
    const outcome = /** @type {ReplayOutcome} */ (await api(`/api/notifications/${encodeURIComponent(id)}/replay`, { method: 'POST', body: force ? { force: true } : {} }));
    if (outcome.outcome === 'replayed') toast(`Replayed (was ${outcome.previousStatus}); queued to be sent again.`);
    else toast(`Not replayed: ${outcome.reason}`, true);
    changed();
    await showDetail(id);
  } catch (error) {
    detailState.report(error);
  }
}
