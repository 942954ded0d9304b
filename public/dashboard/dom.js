// @ts-check
// Small DOM helpers. Text from the API only ever goes into the page as text (textContent), never as HTML;
// colours are set through the CSSOM (element.style), which the page's CSP allows, never as style attributes.

/**
 * @typedef {Node | string | number | null | undefined | false} Leaf
 * @typedef {Leaf | Leaf[] | Leaf[][]} Child
 * @typedef {Record<string, unknown> & { class?: string, text?: string | number, dataset?: Record<string, string> }} Attrs
 */

/**
 * The element a selector names; the page is static, so a missing one is a bug worth a loud error.
 * @template {Element} [E=HTMLElement]
 * @param {string} selector
 * @param {new () => E} [kind] the element class to expect (HTMLInputElement, HTMLSelectElement…)
 * @returns {E}
 */
export function $(selector, kind) {
  const el = document.querySelector(selector);
  const expected = kind ?? HTMLElement;
  if (!(el instanceof expected)) throw new Error(`dashboard: ${selector} is missing or not a ${expected.name}`);
  return /** @type {E} */ (el);
}

/** @param {string} selector */
export const $input = (selector) => $(selector, HTMLInputElement);
/** @param {string} selector */
export const $select = (selector) => $(selector, HTMLSelectElement);

/**
 * Builds an element; children are nodes or strings (always inserted as text).
 * @param {string} tag
 * @param {Attrs} [attrs]
 * @param {...Child} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = String(v);
    else if (k === 'text') el.textContent = String(v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), /** @type {EventListener} */ (v));
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of /** @type {unknown[]} */ (children.flat(Infinity))) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/**
 * A table cell that says what it holds: on a phone the list tables stack their cells and show this label.
 * @param {string} label
 * @param {Attrs} [attrs]
 * @param {...Child} children
 */
export const td = (label, attrs, ...children) => h('td', { ...attrs, dataset: { label, ...(attrs?.dataset ?? {}) } }, ...children);

/** @type {Record<string, string>} */
export const COLORS = {
  pending: '#94a3b8', sending: '#60a5fa', sent: '#2563eb', delivered: '#16a34a', read: '#0d9488',
  failed: '#dc2626', superseded: '#a78bfa', cancelled: '#f59e0b',
  whatsapp: '#22c55e', sms: '#f97316', email: '#3b82f6', messenger: '#0866ff', wechat: '#07c160', webhook: '#8b5cf6',
  created: '#64748b', retried: '#f59e0b',
};

/** @param {string} status */
export function statusBadge(status) {
  const badge = h('span', { class: 'status', text: status });
  badge.style.background = COLORS[status] ?? '#6b7280';
  return badge;
}

/** @param {string} key */
export function swatch(key) {
  const i = h('i');
  i.style.background = COLORS[key] ?? '#6b7280';
  return i;
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let toastTimer;
/**
 * @param {string} message
 * @param {boolean} [bad]
 */
export function toast(message, bad) {
  const el = $('#toast');
  el.textContent = message;
  el.classList.toggle('bad', !!bad);
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), bad ? 8000 : 4000);
}
