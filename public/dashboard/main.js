// @ts-check
// flight-notifier operations console: plain ES modules, no build step. It signs in with an ops token, reads
// its enums from the OpenAPI document, routes between the overview (#/), one flight (#/flight/<key>) and the
// templates (#/templates/…), and refreshes itself (refresh.js). Each part of the page is its own module; a new
// part registers what it reloads with onRefresh() and needs nothing else from this file.
import { ApiError, api, loadEnums, token, whenUnauthorized } from './api.js';
import { clearDetail, CHANGED_EVENT, detailState, replay, showDetail } from './detail.js';
import { deadLetterState, loadDeadLetters, redriveAll } from './dead-letters.js';
import { $, $input, $select, toast } from './dom.js';
import { FLIGHT_KEY, loadFlight } from './flight.js';
import { bulkReplay, initFilters, listState, loadList, markSelected, options, REPLAY_EVENT, refreshList, SELECT_EVENT } from './list.js';
import { drawOverview, loadStats } from './overview.js';
import { autoRefresh, initRefreshControl, offRefresh, onRefresh, refreshNow, reportRefreshErrors } from './refresh.js';
import { isOperator, session } from './session.js';
import { initTemplatesForm, loadTemplates, templatesInHash } from './templates.js';
import { setZoneMode, zoneMode, zoneName } from './time.js';

/** @typedef {import('./types.js').SessionResponse} SessionResponse */

/** @param {unknown} error */
function report(error) {
  if (error instanceof ApiError && error.status === 401) return;
  toast(error instanceof Error ? error.message : String(error), true);
}
listState.report = report;
detailState.report = report;
deadLetterState.report = report;
reportRefreshErrors(report);

// ---------- sign in / out ----------

/** @param {string} value */
async function signIn(value) {
  token.set(value);
  const who = /** @type {SessionResponse} */ (await api('/api/session'));
  session.role = who.role === 'operator' ? 'operator' : 'viewer';
  $('#role').textContent = `${who.role} · ${who.actor}`;
  $('#role').className = `role ${who.role}`;
  document.body.classList.toggle('operator', isOperator());
  for (const el of document.querySelectorAll('.operator-only')) if (el instanceof HTMLElement) el.hidden = !isOperator();
  $('#login').hidden = true;
  $('#who').hidden = false;
  $('#controls').hidden = false;
  await route();
  autoRefresh(true);
}

/** @param {string} [message] */
function signOut(message) {
  token.clear();
  session.role = null;
  autoRefresh(false);
  clearDetail();
  $('#app').hidden = true;
  $('#who').hidden = true;
  $('#controls').hidden = true;
  $('#login').hidden = false;
  const error = $('#login-error');
  error.hidden = !message;
  error.textContent = message ?? '';
  $input('#token').value = '';
  $input('#token').focus();
}
whenUnauthorized(() => signOut('The token was refused (401). Sign in again.'));

// ---------- views: the overview (#/) and one flight (#/flight/<key>) ----------

/** The flight a hash names, upper-cased; undefined for the overview. */
function flightInHash() {
  const match = /^#\/flight\/([^/]+)$/.exec(location.hash);
  return match ? decodeURIComponent(match[1]).toUpperCase() : undefined;
}

async function route() {
  if (!session.role) return;
  $('#app').hidden = false;
  const templates = templatesInHash();
  const flight = templates === undefined ? flightInHash() : undefined;
  $('#overview-view').hidden = !!flight || templates !== undefined;
  $('#flight-view').hidden = !flight;
  $('#templates-view').hidden = templates === undefined;
  if (templates !== undefined) {
    // The catalogs do not change while the service runs: nothing here to refresh.
    for (const part of ['stats', 'list', 'dead-letters', 'flight']) offRefresh(part);
    await loadTemplates(templates);
    return;
  }
  if (flight) {
    $input('#flight-key').value = flight;
    for (const part of ['stats', 'list', 'dead-letters']) offRefresh(part);
    onRefresh('flight', () => loadFlight(flight));
  } else {
    offRefresh('flight');
    onRefresh('stats', loadStats);
    onRefresh('list', refreshList);
    onRefresh('dead-letters', loadDeadLetters);
  }
  await refreshNow();
  if (flight) $('#flight-view').scrollIntoView({ block: 'start' });
}

// ---------- wiring ----------

async function init() {
  initRefreshControl();
  const zone = $select('#zone');
  zone.replaceChildren(new Option('UTC', 'utc'), new Option(`local (${Intl.DateTimeFormat().resolvedOptions().timeZone})`, 'local'));
  zone.value = zoneMode();
  zone.title = `Times are shown in ${zoneName()}`;
  zone.addEventListener('change', () => {
    setZoneMode(zone.value === 'local' ? 'local' : 'utc');
    zone.title = `Times are shown in ${zoneName()}`;
    drawOverview();
    void refreshNow();
  });

  $('#login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    signIn($input('#token').value.trim()).catch((error) => {
      if (!(error instanceof ApiError && error.status === 401)) signOut(error instanceof Error ? error.message : String(error));
    });
  });
  $('#logout').addEventListener('click', () => signOut());
  $('#flight-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const key = $input('#flight-key').value.trim().toUpperCase();
    if (!FLIGHT_KEY.test(key)) return toast('A flight looks like KL1234-2026-12-01 (carrier, number, departure date).', true);
    location.hash = `#/flight/${encodeURIComponent(key)}`;
  });
  window.addEventListener('hashchange', () => void route().catch(report));
  initTemplatesForm();

  $('#filters').addEventListener('submit', (e) => {
    e.preventDefault();
    $('#bulk').hidden = true;
    loadList().catch(report);
  });
  $('#more').addEventListener('click', () => loadList(true).catch(report));
  $('#bulk-replay').addEventListener('click', () => void bulkReplay());
  $('#hours').addEventListener('change', () => loadStats().catch(report));
  $('#chart-by').addEventListener('change', drawOverview);
  $('#dl-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    loadDeadLetters().catch(report);
  });
  $('#dl-redrive-all').addEventListener('click', () => void redriveAll());
  window.addEventListener('resize', drawOverview);

  document.addEventListener(SELECT_EVENT, (e) => {
    const id = /** @type {CustomEvent<string>} */ (e).detail;
    markSelected(id);
    showDetail(id)
      .then(() => {
        // Stacked (a phone, a small screen): bring the detail into view under the list.
        const detail = $('#detail');
        if (detail.getBoundingClientRect().top > window.innerHeight) detail.scrollIntoView({ block: 'start', behavior: 'smooth' });
      })
      .catch(report);
  });
  document.addEventListener(REPLAY_EVENT, (e) => void replay(/** @type {CustomEvent<string>} */ (e).detail, false));
  document.addEventListener(CHANGED_EVENT, () => {
    if (flightInHash()) return;
    Promise.all([loadList(), loadStats()]).catch(report);
  });

  try {
    session.enums = await loadEnums();
  } catch (error) {
    $('#login-error').textContent = `The console cannot start: ${error instanceof Error ? error.message : String(error)}`;
    $('#login-error').hidden = false;
    $('#login').hidden = false;
    return;
  }
  initFilters(session.enums);
  options($select('#dl-reason'), session.enums.reasonCodes, 'any');

  const saved = token.get();
  if (saved) signIn(saved).catch(() => signOut());
  else signOut();
}

void init();
