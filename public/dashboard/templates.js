// @ts-check
// The Templates view (#/templates, #/templates/<type>/<channel>/<locale>): every type × channel × catalog the
// service renders (GET /api/templates), and the one chosen previewed for sample facts — the combination of
// facts picked, or the one telling the most. Previews only render; nothing is sent.
import { ApiError, api } from './api.js';
import { $, $select, h, td } from './dom.js';
import { previewView, templateCatalog } from './preview.js';

/** @typedef {import('./preview.js').TemplateCatalog} TemplateCatalog */
/** @typedef {import('./preview.js').TemplatePreview} TemplatePreview */
/** @typedef {{ type: string, channel: string, locale: string }} Choice */

/** The facts select's value for "no combination named": the service then takes the one telling the most. */
const MOST = '*';

/**
 * What the hash asks for: undefined when it is not the Templates view, null when nothing is chosen yet.
 * @returns {Choice | null | undefined}
 */
export function templatesInHash() {
  const match = /^#\/templates(?:\/([^/]+)\/([^/]+)\/([^/]+))?$/.exec(location.hash);
  if (!match) return undefined;
  if (!match[1]) return null;
  const [type, channel, locale] = match.slice(1, 4).map((part) => decodeURIComponent(part));
  return { type, channel, locale };
}

/** @param {Choice} c */
const hashOf = (c) => `#/templates/${encodeURIComponent(c.type)}/${encodeURIComponent(c.channel)}/${encodeURIComponent(c.locale)}`;

/** @param {Choice | null} chosen */
export async function loadTemplates(chosen) {
  const list = await templateCatalog();
  fillForm(list, chosen);
  $('#tpl-grid-wrap').replaceChildren(grid(list, chosen));
  if (!chosen) {
    $('#tpl-preview').replaceChildren(h('p', { class: 'muted', text: 'Pick a language under a type and channel to see the message it makes.' }));
    return;
  }
  await showPreview(chosen);
}

/** @param {Choice} chosen */
async function showPreview(chosen) {
  const facts = $select('#tpl-facts').value;
  const query = facts === MOST ? '' : `?facts=${encodeURIComponent(facts)}`;
  const box = $('#tpl-preview');
  try {
    const url = `/api/templates/${encodeURIComponent(chosen.type)}/${encodeURIComponent(chosen.channel)}/${encodeURIComponent(chosen.locale)}/preview${query}`;
    const preview = /** @type {TemplatePreview} */ (await api(url));
    box.replaceChildren(previewView(preview, 'template-preview'));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    box.replaceChildren(h('p', { class: 'error', id: 'template-error', text: error.message }));
  }
}

/**
 * Type × channel rows, a link per catalog in each cell.
 * @param {TemplateCatalog} list
 * @param {Choice | null} chosen
 */
function grid(list, chosen) {
  const head = h('tr', {}, h('th', { text: 'Type' }), list.channels.map((c) => h('th', { text: c })));
  const rows = list.templates.map((t) => h('tr', { dataset: { type: t.type } },
    td('Type', {}, h('strong', { text: t.type }), h('span', { class: 'muted', text: ` · ${t.combinations.length} combination${t.combinations.length === 1 ? '' : 's'}` })),
    list.channels.map((channel) => td(channel, { class: 'wrap', dataset: { channel } },
      h('span', { class: 'chips' }, list.locales.map((l) => {
        const here = !!chosen && chosen.type === t.type && chosen.channel === channel && chosen.locale === l.code;
        return h('a', { href: hashOf({ type: t.type, channel, locale: l.code }), class: here ? 'chip current' : 'chip', title: `${t.type} · ${channel} · ${l.name}`, dataset: { locale: l.code }, text: l.code });
      }))))));
  return h('div', { class: 'table-wrap' }, h('table', { id: 'tpl-grid', class: 'stack' }, h('thead', {}, head), h('tbody', {}, rows)));
}

/**
 * @param {TemplateCatalog} list
 * @param {Choice | null} chosen
 */
function fillForm(list, chosen) {
  /**
   * @param {string} selector
   * @param {[string, string][]} values value and label
   * @param {string | undefined} value
   */
  const fill = (selector, values, value) => {
    const select = $select(selector);
    const keep = value ?? select.value;
    select.replaceChildren(...values.map(([v, label]) => new Option(label, v)));
    if (values.some(([v]) => v === keep)) select.value = keep;
  };
  fill('#tpl-type', list.types.map((t) => [t, t]), chosen?.type);
  fill('#tpl-channel', list.channels.map((c) => [c, c]), chosen?.channel);
  fill('#tpl-locale', list.locales.map((l) => [l.code, `${l.code} · ${l.name}`]), chosen?.locale);
  const type = list.templates.find((t) => t.type === $select('#tpl-type').value);
  const facts = $select('#tpl-facts');
  // The combination picked stays while the same type is shown in other languages and channels.
  const keep = facts.dataset.type === type?.type ? facts.value : MOST;
  facts.dataset.type = type?.type ?? '';
  fill('#tpl-facts', [[MOST, 'the most facts'], ...(type?.combinations ?? []).map((c) => /** @type {[string, string]} */ ([c.facts.join(','), c.facts.join(' + ') || 'none']))], keep);
}

/** The form's selects lead to the same address a grid link does; the facts re-render in place. */
export function initTemplatesForm() {
  const go = () => {
    const next = hashOf({ type: $select('#tpl-type').value, channel: $select('#tpl-channel').value, locale: $select('#tpl-locale').value });
    if (location.hash !== next) location.hash = next;
  };
  for (const id of ['#tpl-type', '#tpl-channel', '#tpl-locale']) $select(id).addEventListener('change', go);
  $select('#tpl-facts').addEventListener('change', () => {
    const chosen = templatesInHash();
    if (chosen) void showPreview(chosen).catch((error) => $('#tpl-preview').replaceChildren(h('p', { class: 'error', text: String(error) })));
    else go();
  });
  $('#tpl-form').addEventListener('submit', (e) => e.preventDefault());
}
