// @ts-check
// Keeps the page current by itself. Each part of the page registers what it reloads; the header's control
// sets the interval (kept in localStorage) or pauses it, and tells when the page was last brought up to date.
// A hidden tab is not refreshed (it catches up when shown again), and a refresh never overlaps the previous one.
import { $, $select } from './dom.js';
import { fmtTime } from './time.js';

const EVERY_KEY = 'notifier.refresh-every';
const PAUSED_KEY = 'notifier.refresh-paused';
export const INTERVALS = [5, 15, 30, 60];
const DEFAULT_EVERY = 15;

/** @type {Map<string, () => Promise<unknown>>} */
const parts = new Map();
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;
/** @type {Promise<void> | undefined} */
let running;
let active = false;

/**
 * Registers what one part of the page reloads; the name replaces an earlier registration of the same part.
 * @param {string} name
 * @param {() => Promise<unknown>} load
 */
export function onRefresh(name, load) {
  parts.set(name, load);
}

/** @param {string} name */
export function offRefresh(name) {
  parts.delete(name);
}

/** @type {(error: unknown) => void} */
let reportError = (error) => console.error(error);
/** @param {(error: unknown) => void} report */
export function reportRefreshErrors(report) {
  reportError = report;
}

/** Reloads every registered part now (the Refresh button, and each tick). */
export function refreshNow() {
  running ??= Promise.all([...parts.values()].map((load) => load().catch(reportError)))
    .then(() => {
      $('#refresh-at').textContent = `updated ${fmtTime(new Date().toISOString())}`;
    })
    .finally(() => {
      running = undefined;
    });
  return running;
}

export const every = () => {
  const n = Number(localStorage.getItem(EVERY_KEY));
  return INTERVALS.includes(n) ? n : DEFAULT_EVERY;
};
export const paused = () => localStorage.getItem(PAUSED_KEY) === 'true';

function schedule() {
  clearTimeout(timer);
  timer = undefined;
  const button = $('#refresh-pause');
  button.textContent = paused() ? 'Resume' : 'Pause';
  button.setAttribute('aria-pressed', String(paused()));
  $('#refresh-state').textContent = paused() ? 'paused' : `every ${every()} s`;
  if (!active || paused()) return;
  timer = setTimeout(async () => {
    if (!document.hidden) await refreshNow();
    schedule();
  }, every() * 1000);
}

/** Wires the header's control; call once. */
export function initRefreshControl() {
  const select = $select('#refresh-every');
  select.replaceChildren(...INTERVALS.map((s) => new Option(`${s} s`, String(s))));
  select.value = String(every());
  select.addEventListener('change', () => {
    localStorage.setItem(EVERY_KEY, select.value);
    schedule();
  });
  $('#refresh-pause').addEventListener('click', () => {
    localStorage.setItem(PAUSED_KEY, String(!paused()));
    schedule();
  });
  $('#refresh').addEventListener('click', () => void refreshNow());
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && active && !paused()) void refreshNow().then(schedule);
  });
}

/**
 * Starts (signed in) or stops (signed out) the automatic refresh.
 * @param {boolean} on
 */
export function autoRefresh(on) {
  active = on;
  schedule();
}
