// @ts-check
// Every time on the page is shown in one zone, named beside it: UTC (the default: what airline operations and
// the providers' logs use) or the browser's own zone, by its abbreviation (CET, EST…). The choice is kept in
// localStorage and applies to the tables, the charts' axes and the "updated" clock alike.

const ZONE_KEY = 'notifier.zone';
const LOCAL = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** @typedef {'utc' | 'local'} ZoneMode */

/** @returns {ZoneMode} */
export function zoneMode() {
  return localStorage.getItem(ZONE_KEY) === 'local' ? 'local' : 'utc';
}

/** @param {ZoneMode} mode */
export function setZoneMode(mode) {
  localStorage.setItem(ZONE_KEY, mode);
}

/** The IANA name of the zone in use ("UTC" or the browser's, e.g. Europe/Amsterdam). */
export const zoneName = () => (zoneMode() === 'utc' ? 'UTC' : LOCAL);

/** @param {boolean} seconds */
const formatter = (seconds) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: zoneName(),
    year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
    timeZoneName: 'short',
  });

/**
 * @param {Date} date
 * @param {boolean} seconds
 */
function parts(date, seconds) {
  /** @type {Record<string, string>} */
  const p = {};
  for (const { type, value } of formatter(seconds).formatToParts(date)) p[type] = value;
  return p;
}

/**
 * "2026-12-01 06:12:05 UTC" (or "… CET"): the date, the time and the zone it is in; "–" for none.
 * @param {string | null | undefined} iso
 */
export function fmtTime(iso) {
  if (!iso) return '–';
  const p = parts(new Date(iso), true);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
}

/**
 * "06:12" for a chart's axis (the zone is named once, in the chart's caption).
 * @param {string | Date} at
 */
export function fmtClock(at) {
  const p = parts(new Date(at), false);
  return `${p.hour}:${p.minute}`;
}

/** The zone's abbreviation now ("UTC", "CET"), for captions. */
export function zoneAbbreviation() {
  return parts(new Date(), false).timeZoneName ?? zoneName();
}

/**
 * "42 s", "3 min 5 s", "2 h 10 min": how long, for the dispatch lag.
 * @param {number} seconds
 */
export function fmtDuration(seconds) {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
