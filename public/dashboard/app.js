// flight-notifier operations console: plain JS, no build. Every piece of data comes from /api with the
// bearer token the operator typed in (kept in sessionStorage); text from the API is only ever put in the
// page as text (never as HTML), and e-mail HTML is shown in a sandboxed frame without scripts.
'use strict';
(() => {
  const TOKEN_KEY = 'notifier.token';
  const STATUSES = ['pending', 'sending', 'sent', 'delivered', 'read', 'failed', 'superseded', 'cancelled'];
  const TYPES = ['booking-confirmation', 'itinerary-change', 'booking-cancellation', 'boarding-pass', 'flight-delay', 'gate-change',
    'boarding-started', 'flight-cancellation', 'flight-diversion', 'baggage-belt', 'checkin-open'];
  const CHANNELS = ['whatsapp', 'sms', 'email', 'webhook'];
  const REASON_CODES = ['oversize', 'bad-json', 'bad-envelope', 'unknown-type', 'bad-data', 'routing-mismatch', 'unknown-reference', 'processing-failed'];
  const COLORS = {
    pending: '#94a3b8', sending: '#60a5fa', sent: '#2563eb', delivered: '#16a34a', read: '#0d9488',
    failed: '#dc2626', superseded: '#a78bfa', cancelled: '#f59e0b',
    whatsapp: '#22c55e', sms: '#f97316', email: '#3b82f6', webhook: '#8b5cf6',
  };
  const UNSETTLED = ['pending', 'sending'];

  const $ = (selector) => document.querySelector(selector);
  const state = { role: null, cursor: null, selected: null, blobUrls: [], detailPoll: null, stats: null };

  /** Builds an element; children are nodes or strings (always inserted as text). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
    return el;
  }

  const fmtTime = (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }) : '–');
  const statusBadge = (status) => h('span', { class: 'status', style: `background:${COLORS[status] || '#6b7280'}`, text: status });
  const isOperator = () => state.role === 'operator';

  let toastTimer;
  function toast(message, bad) {
    const el = $('#toast');
    el.textContent = message;
    el.classList.toggle('bad', !!bad);
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (el.hidden = true), bad ? 8000 : 4000);
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  /** Calls the API with the token; a 401 signs out, other errors become ApiError with the server's message. */
  async function api(path, options = {}) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { method: options.method || 'GET', headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    if (res.status === 401) {
      signOut('The token was refused (401). Sign in again.');
      throw new ApiError(401, 'unauthorized');
    }
    if (!res.ok) {
      let message = res.statusText;
      try {
        const body = await res.json();
        message = Array.isArray(body.message) ? body.message.join('; ') : body.message || message;
      } catch { /* not JSON */ }
      if (res.status === 403) message = `${message} (this token is a viewer token)`;
      throw new ApiError(res.status, message);
    }
    return options.raw ? res : res.json();
  }

  const report = (error) => {
    if (error instanceof ApiError && error.status === 401) return;
    toast(error.message || String(error), true);
  };

  // ---------- sign in / out ----------

  async function signIn(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    const session = await api('/api/session');
    state.role = session.role;
    $('#role').textContent = `${session.role} · ${session.actor}`;
    $('#role').className = `role ${session.role}`;
    document.body.classList.toggle('operator', isOperator());
    for (const el of document.querySelectorAll('.operator-only')) el.hidden = !isOperator();
    $('#login').hidden = true;
    $('#who').hidden = false;
    $('#app').hidden = false;
    await Promise.all([loadStats(), loadList(), loadDeadLetters()]);
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.role = null;
    clearDetail();
    $('#app').hidden = true;
    $('#who').hidden = true;
    $('#login').hidden = false;
    const error = $('#login-error');
    error.hidden = !message;
    error.textContent = message || '';
    $('#token').value = '';
    $('#token').focus();
  }

  // ---------- overview: chart and totals ----------

  async function loadStats() {
    state.stats = await api(`/api/stats?hours=${encodeURIComponent($('#hours').value)}`);
    drawChart();
    drawTotals();
  }

  function drawChart() {
    const stats = state.stats;
    if (!stats) return;
    const by = $('#chart-by').value;
    const keys = by === 'status' ? STATUSES : CHANNELS;
    const canvas = $('#chart');
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 600;
    const height = canvas.clientHeight || 220;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);

    const perHour = stats.hours.map((hour) => {
      const cells = {};
      for (const r of stats.rows) if (r.hour === hour) cells[r[by]] = (cells[r[by]] || 0) + r.count;
      return cells;
    });
    const max = Math.max(1, ...perHour.map((c) => Object.values(c).reduce((a, b) => a + b, 0)));
    const step = niceStep(max);
    const top = Math.ceil(max / step) * step;
    const left = 40, right = 8, topPad = 8, bottom = 22;
    const plotW = width - left - right, plotH = height - topPad - bottom;

    g.font = '11px system-ui, sans-serif';
    g.fillStyle = '#66788a';
    g.strokeStyle = '#e5e9ef';
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (let v = 0; v <= top; v += step) {
      const y = topPad + plotH - (v / top) * plotH;
      g.beginPath();
      g.moveTo(left, Math.round(y) + 0.5);
      g.lineTo(width - right, Math.round(y) + 0.5);
      g.stroke();
      g.fillText(String(v), left - 6, y);
    }
    const slot = plotW / stats.hours.length;
    const barW = Math.max(2, Math.min(48, slot * 0.7));
    g.textAlign = 'center';
    g.textBaseline = 'top';
    const labelEvery = Math.ceil(stats.hours.length / Math.max(1, Math.floor(plotW / 48)));
    stats.hours.forEach((hour, i) => {
      const x = left + slot * i + (slot - barW) / 2;
      let y = topPad + plotH;
      for (const key of keys) {
        const n = perHour[i][key] || 0;
        if (!n) continue;
        const barH = (n / top) * plotH;
        g.fillStyle = COLORS[key];
        g.fillRect(x, y - barH, barW, barH);
        y -= barH;
      }
      if (i % labelEvery === 0 || i === stats.hours.length - 1) {
        g.fillStyle = '#66788a';
        const d = new Date(hour);
        g.fillText(`${String(d.getHours()).padStart(2, '0')}:00`, left + slot * i + slot / 2, topPad + plotH + 5);
      }
    });

    const legend = $('#legend');
    legend.replaceChildren(...keys.map((k) => h('span', {}, h('i', { style: `background:${COLORS[k]}` }), k)));
  }

  function niceStep(max) {
    const raw = max / 4;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    const m = raw / p;
    return Math.max(1, (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p);
  }

  function drawTotals() {
    const { totals } = state.stats;
    const statuses = STATUSES.filter((s) => totals.byStatus[s]);
    const channels = CHANNELS.filter((c) => totals.byChannel[c]);
    if (!totals.all) {
      $('#totals').replaceChildren(h('p', { class: 'muted', text: 'No notifications in this window.' }));
      return;
    }
    const head = h('tr', {}, h('th', { text: 'channel' }), statuses.map((s) => h('th', {}, statusBadge(s))), h('th', { text: 'total' }));
    const rows = channels.map((c) => {
      const cells = totals.byChannel[c];
      const sum = Object.values(cells).reduce((a, b) => a + b, 0);
      return h('tr', { dataset: { channel: c } }, h('td', { text: c }), statuses.map((s) => h('td', { class: 'n', text: cells[s] || '' })), h('td', { class: 'n', text: sum }));
    });
    const foot = h('tr', {}, h('th', { text: 'all' }), statuses.map((s) => h('th', { class: 'n', text: totals.byStatus[s] })), h('th', { class: 'n', text: totals.all }));
    $('#totals').replaceChildren(h('table', { id: 'totals-table' }, h('thead', {}, head), h('tbody', {}, rows), h('tfoot', {}, foot)));
  }

  // ---------- notifications list ----------

  function filters() {
    const f = {};
    for (const [key, el] of [['status', '#f-status'], ['type', '#f-type'], ['channel', '#f-channel'], ['flight', '#f-flight'], ['bookingReference', '#f-booking']]) {
      const v = $(el).value.trim();
      if (v) f[key] = key === 'flight' || key === 'bookingReference' ? v.toUpperCase() : v;
    }
    return f;
  }

  async function loadList(append) {
    const query = new URLSearchParams({ ...filters(), limit: '50' });
    if (append && state.cursor) query.set('cursor', state.cursor);
    const page = await api(`/api/notifications?${query}`);
    state.cursor = page.nextCursor;
    const body = $('#list tbody');
    const rows = page.items.map((n) =>
      h('tr', { dataset: { id: n.id }, class: state.selected === n.id ? 'selected' : '', onclick: () => showDetail(n.id) },
        h('td', { text: fmtTime(n.createdAt) }),
        h('td', { text: n.type }),
        h('td', { text: n.channel }),
        h('td', {}, statusBadge(n.status)),
        h('td', { text: `${n.bookingReference} ${n.passengerId}` }),
        h('td', { text: n.flight || '–' }),
        h('td', {}, isOperator() && ['failed', 'cancelled'].includes(n.status)
          ? h('button', { type: 'button', class: 'small row-replay', onclick: (e) => { e.stopPropagation(); replay(n.id, false); } }, 'Replay')
          : ''),
      ),
    );
    if (append) body.append(...rows);
    else body.replaceChildren(...rows);
    const shown = body.children.length;
    $('#list-note').textContent = shown ? `${shown} shown` : 'No notifications match these filters.';
    $('#more').hidden = !state.cursor;
  }

  // ---------- one notification ----------

  function clearDetail() {
    for (const url of state.blobUrls) URL.revokeObjectURL(url);
    state.blobUrls = [];
    clearTimeout(state.detailPoll);
    state.selected = null;
    $('#detail-body').replaceChildren();
    $('#detail-body').hidden = true;
    $('#detail-empty').hidden = false;
  }

  async function showDetail(id, keepPolling) {
    if (!keepPolling) clearTimeout(state.detailPoll);
    const n = await api(`/api/notifications/${encodeURIComponent(id)}`);
    if (state.selected !== id) {
      clearDetail();
      state.selected = id;
    } else {
      for (const url of state.blobUrls) URL.revokeObjectURL(url);
      state.blobUrls = [];
    }
    for (const tr of document.querySelectorAll('#list tbody tr')) tr.classList.toggle('selected', tr.dataset.id === id);
    const body = $('#detail-body');
    const actions = isOperator()
      ? h('div', { class: 'actions' },
          h('button', { type: 'button', id: 'detail-replay', onclick: () => replay(n.id, false), disabled: !['failed', 'cancelled'].includes(n.status) }, 'Replay'),
          h('button', { type: 'button', id: 'detail-force', class: 'secondary', onclick: () => replay(n.id, true), disabled: !['sent', 'delivered', 'read', 'failed', 'cancelled'].includes(n.status) }, 'Send again (force)'))
      : h('p', { class: 'muted', id: 'viewer-note', text: 'Replaying needs an operator token.' });
    const fields = [
      ['Status', h('span', { id: 'detail-status' }, statusBadge(n.status))],
      ['Id', n.id],
      ['Type', n.type],
      ['Channel', n.channel],
      ['Recipient', n.recipient],
      ['Booking', `${n.bookingReference} · passenger ${n.passengerId}`],
      ['Flight', n.flight || '–'],
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
      state.detailPoll = setTimeout(() => showDetail(id, true).catch(report), 700);
    } else if (keepPolling) {
      loadList().catch(report);
      loadStats().catch(report);
    }
  }

  /** Contacts of this passenger the booking gave but that cannot be used (GET /api/bookings/:ref): never sent to. */
  async function showUnusableContacts(n) {
    const booking = await api(`/api/bookings/${encodeURIComponent(n.bookingReference)}`);
    const passenger = (booking.passengers || []).find((p) => p.passengerId === n.passengerId);
    const unusable = passenger ? passenger.unusableContacts : [];
    const el = $('#detail-unusable');
    if (!el || unusable.length === 0) return;
    el.textContent = `Unusable contacts of this passenger, never sent to: ${unusable.map((u) => `${u.channel} (${u.reason})`).join(', ')}`;
    el.hidden = false;
  }

  const detailText = (d) => (d ? Object.entries(d).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('  ') : '');

  function messageView(n) {
    if (!n.content) return h('p', { class: 'muted', text: 'Not rendered yet.' });
    const parts = [h('h3', { text: `Message (${n.content.locale})` })];
    if (n.content.subject) parts.push(h('p', {}, h('strong', { text: 'Subject: ' }), n.content.subject));
    if (n.content.html) {
      // No allow-scripts, no allow-same-origin: the e-mail cannot run code or reach the page or the token.
      const frame = h('iframe', { class: 'email', sandbox: '', referrerpolicy: 'no-referrer', title: 'e-mail as sent' });
      frame.srcdoc = n.content.html;
      parts.push(frame);
      parts.push(h('details', {}, h('summary', { text: 'plain-text part' }), h('pre', { class: 'message', text: n.content.text })));
    } else {
      parts.push(h('pre', { class: 'message', id: 'message-text', text: n.content.text }));
    }
    return h('div', {}, parts);
  }

  function attachmentsView(n) {
    if (!n.attachments.length) return '';
    const box = h('div', { class: 'attachments' });
    for (const a of n.attachments) {
      const figure = h('figure', {}, h('figcaption', { class: 'muted', text: `loading ${a.name}…` }));
      box.append(figure);
      // The attachment URLs need the bearer token: fetch them, then show them from blob: URLs.
      api(a.url, { raw: true })
        .then((res) => res.blob())
        .then((blob) => {
          const url = URL.createObjectURL(blob);
          state.blobUrls.push(url);
          const link = h('a', { href: url, download: a.name, text: a.name });
          const caption = h('figcaption', {}, link, ` · ${Math.round(blob.size / 1024)} kB`);
          if (a.contentType.startsWith('image/')) figure.replaceChildren(h('img', { src: url, alt: a.name }), caption);
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
            figure.replaceChildren(h('div', { class: 'pdf-icon', text: 'PDF' }), h('figcaption', {}, link, ` · ${Math.round(blob.size / 1024)} kB `, toggle), frameBox);
          }
          else figure.replaceChildren(caption);
        })
        .catch((e) => figure.replaceChildren(h('figcaption', { class: 'error', text: `${a.name}: ${e.message}` })));
    }
    return h('div', {}, h('h3', { text: 'Attachments' }), box);
  }

  /** The boarding pass as its bar code says it (decoded by the service), drawn as a small card. */
  function boardingPassView(n) {
    const bp = n.boardingPass;
    if (!bp) return '';
    const leg = (bp.legs && bp.legs[0]) || {};
    const flightDate = n.flight ? n.flight.slice(-10) : '';
    const cell = (label, value) => h('div', {}, h('span', { text: label }), h('strong', { text: value || '–' }));
    const card = h('div', { class: 'pass', id: 'boarding-pass' },
      h('div', { class: 'pass-head' }, h('strong', { text: `${leg.carrier || ''}${String(leg.flightNumber || '').replace(/^0+/, '')}` }), h('span', { text: flightDate })),
      h('div', { class: 'pass-route' }, h('strong', { text: leg.from || '' }), h('span', { text: '→' }), h('strong', { text: leg.to || '' })),
      h('div', { class: 'pass-name', text: bp.passengerName || '' }),
      h('div', { class: 'pass-grid' },
        cell('Seat', String(leg.seat || '').replace(/^0+/, '')),
        cell('Seq.', String(leg.sequenceNumber || '').replace(/^0+/, '')),
        cell('Class', leg.compartment),
        cell('PNR', leg.pnr)),
    );
    const rows = [];
    const walk = (prefix, value) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
      else if (Array.isArray(value)) value.forEach((v, i) => walk(`${prefix}[${i}]`, v));
      else if (value !== '' && value !== null && value !== undefined) rows.push(h('tr', {}, h('td', { class: 'muted', text: prefix }), h('td', { text: String(value) })));
    };
    walk('', bp);
    return h('div', {}, h('h3', { text: 'Boarding pass' }), card,
      h('details', {}, h('summary', { text: 'bar code, every field decoded' }), h('table', { class: 'bcbp' }, h('tbody', {}, rows))));
  }

  async function replay(id, force) {
    try {
      const outcome = await api(`/api/notifications/${encodeURIComponent(id)}/replay`, { method: 'POST', body: force ? { force: true } : {} });
      if (outcome.outcome === 'replayed') toast(`Replayed (was ${outcome.previousStatus}); queued to be sent again.`);
      else toast(`Not replayed: ${outcome.reason}`, true);
      await showDetail(id);
      await loadList();
    } catch (error) {
      report(error);
    }
  }

  // ---------- replay everything matching the filters ----------

  async function bulkReplay() {
    const box = $('#bulk');
    const selection = filters();
    box.hidden = false;
    box.replaceChildren(h('span', { class: 'muted', text: 'Counting…' }));
    try {
      const dry = await api('/api/replays', { method: 'POST', body: { ...selection, dryRun: true } });
      const what = Object.entries(selection).map(([k, v]) => `${k}=${v}`).join(', ') || 'status=failed';
      box.replaceChildren(
        h('span', { text: `${dry.matched} notification${dry.matched === 1 ? '' : 's'} match (${what}).` }),
        h('button', { type: 'button', id: 'bulk-confirm', class: 'danger', disabled: dry.matched === 0, onclick: () => startBulk(selection) }, 'Replay them'),
        h('button', { type: 'button', class: 'secondary', onclick: () => (box.hidden = true) }, 'Cancel'),
      );
    } catch (error) {
      box.hidden = true;
      report(error);
    }
  }

  async function startBulk(selection) {
    const box = $('#bulk');
    try {
      let job = await api('/api/replays', { method: 'POST', body: selection });
      const bar = h('progress', { max: Math.max(job.total, 1), value: 0 });
      const label = h('span', {});
      box.replaceChildren(bar, label);
      for (;;) {
        bar.max = Math.max(job.total, 1);
        bar.value = job.replayed + job.skipped;
        label.textContent = `${job.replayed + job.skipped}/${job.total} · replayed ${job.replayed}, skipped ${job.skipped}`;
        if (job.status === 'done') break;
        await new Promise((r) => setTimeout(r, 500));
        job = await api(`/api/replays/${job.id}`);
      }
      label.textContent = `Done: ${job.total} matched, ${job.replayed} replayed, ${job.skipped} skipped.`;
      box.append(h('button', { type: 'button', class: 'secondary', onclick: () => (box.hidden = true) }, 'Close'));
      await loadList();
    } catch (error) {
      report(error);
    }
  }

  // ---------- dead letters ----------

  async function loadDeadLetters() {
    const query = new URLSearchParams({ limit: '100' });
    if ($('#dl-open').checked) query.set('open', 'true');
    if ($('#dl-reason').value) query.set('reasonCode', $('#dl-reason').value);
    const { items } = await api(`/api/dead-letters?${query}`);
    $('#dl-list tbody').replaceChildren(
      ...items.map((d) =>
        h('tr', { dataset: { id: d.id } },
          h('td', { text: fmtTime(d.parkedAt) }),
          h('td', { text: d.reasonCode }),
          h('td', { text: d.type || '–' }),
          h('td', { class: 'wrap', text: d.reason }),
          h('td', { text: d.redrivenAt ? fmtTime(d.redrivenAt) : 'no' }),
          h('td', {}, isOperator() && !d.redrivenAt ? h('button', { type: 'button', class: 'small', onclick: () => redrive(d.id) }, 'Re-drive') : ''),
        ),
      ),
    );
    $('#dl-note').textContent = items.length ? `${items.length} shown` : 'No dead letters match.';
  }

  const describeRedrive = (o) =>
    o.kind === 'applied' ? `applied (${o.type}, ${o.notifications} notifications planned)`
      : o.kind === 'parked' ? `still broken, parked again: ${o.reasonCode}: ${o.reason}`
        : o.kind === 'duplicate' ? 'already processed before'
          : `skipped: ${o.reason}`;

  async function redrive(id) {
    try {
      const outcome = await api(`/api/dead-letters/${encodeURIComponent(id)}/redrive`, { method: 'POST', body: {} });
      toast(`Re-driven: ${describeRedrive(outcome)}`, outcome.kind === 'parked');
      await Promise.all([loadDeadLetters(), loadList(), loadStats()]);
    } catch (error) {
      report(error);
    }
  }

  async function redriveAll() {
    const reasonCode = $('#dl-reason').value;
    if (!reasonCode) return toast('Pick a reason first: every open dead letter parked for it is re-driven.', true);
    try {
      const result = await api('/api/dead-letters/redrive', { method: 'POST', body: { reasonCode } });
      toast(`Re-drove ${result.total}: ${Object.entries(result.outcomes).map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing open'}`);
      await Promise.all([loadDeadLetters(), loadList(), loadStats()]);
    } catch (error) {
      report(error);
    }
  }

  // ---------- wiring ----------

  function options(select, values, any) {
    select.replaceChildren(h('option', { value: '', text: any }), ...values.map((v) => h('option', { value: v, text: v })));
  }

  function init() {
    options($('#f-status'), STATUSES, 'any');
    $('#f-status').value = 'failed';
    options($('#f-type'), TYPES, 'any');
    options($('#f-channel'), CHANNELS, 'any');
    options($('#dl-reason'), REASON_CODES, 'any');

    $('#login-form').addEventListener('submit', (e) => {
      e.preventDefault();
      signIn($('#token').value.trim()).catch((error) => {
        if (!(error instanceof ApiError && error.status === 401)) signOut(error.message);
      });
    });
    $('#logout').addEventListener('click', () => signOut());
    $('#filters').addEventListener('submit', (e) => {
      e.preventDefault();
      $('#bulk').hidden = true;
      loadList().catch(report);
    });
    $('#more').addEventListener('click', () => loadList(true).catch(report));
    $('#bulk-replay').addEventListener('click', () => bulkReplay());
    $('#hours').addEventListener('change', () => loadStats().catch(report));
    $('#chart-by').addEventListener('change', drawChart);
    $('#refresh').addEventListener('click', () => Promise.all([loadStats(), loadList(), loadDeadLetters()]).catch(report));
    $('#dl-filters').addEventListener('submit', (e) => {
      e.preventDefault();
      loadDeadLetters().catch(report);
    });
    $('#dl-redrive-all').addEventListener('click', () => redriveAll());
    window.addEventListener('resize', drawChart);

    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) signIn(token).catch(() => signOut());
    else signOut();
  }

  init();
})();
