// @ts-check
// On a notification's page: the same notification rendered again from its stored facts in another language
// and, if wanted, on another channel (GET /api/notifications/:id/preview). Nothing is sent or stored.
import { ApiError, api } from './api.js';
import { h } from './dom.js';
import { previewView, templateCatalog } from './preview.js';

/** @typedef {import('./types.js').NotificationDetail} NotificationDetail */
/** @typedef {import('./preview.js').NotificationPreview} NotificationPreview */

/**
 * The "preview in language" selector and its result, for the notification's detail.
 * @param {NotificationDetail} n
 */
export function previewInLanguage(n) {
  const locale = /** @type {HTMLSelectElement} */ (h('select', { id: 'preview-locale', 'aria-label': 'preview language' }));
  const channel = /** @type {HTMLSelectElement} */ (h('select', { id: 'preview-channel', 'aria-label': 'preview channel' }));
  const result = h('div', { id: 'preview-result' });
  const show = async () => {
    const query = new URLSearchParams({ locale: locale.value, channel: channel.value });
    result.replaceChildren(h('p', { class: 'muted', text: 'rendering…' }));
    try {
      const preview = /** @type {NotificationPreview} */ (await api(`/api/notifications/${encodeURIComponent(n.id)}/preview?${query}`));
      result.replaceChildren(previewView(preview, 'notification-preview'));
    } catch (error) {
      if (!(error instanceof ApiError) || error.status === 401) throw error;
      result.replaceChildren(h('p', { class: 'error', id: 'preview-error', text: error.message }));
    }
  };
  const report = (/** @type {unknown} */ error) => result.replaceChildren(h('p', { class: 'error', text: error instanceof Error ? error.message : String(error) }));
  const form = h('form', { class: 'filters', id: 'preview-form', onsubmit: (/** @type {Event} */ e) => { e.preventDefault(); show().catch(report); } },
    h('label', {}, 'Language', locale),
    h('label', {}, 'Channel', channel),
    h('button', { type: 'submit', class: 'secondary', id: 'preview-go' }, 'Preview'));
  for (const select of [locale, channel]) select.addEventListener('change', () => show().catch(report));
  templateCatalog()
    .then((list) => {
      locale.replaceChildren(...list.locales.map((l) => new Option(`${l.code} · ${l.name}`, l.code)));
      channel.replaceChildren(...list.channels.map((c) => new Option(c, c)));
      // Start from how it was sent; a partner's webhook has no template, so a passenger channel stands in.
      const sentIn = n.content?.locale;
      if (sentIn && list.locales.some((l) => l.code === sentIn)) locale.value = sentIn;
      if (list.channels.some((c) => c === n.channel)) channel.value = n.channel;
    })
    .catch(report);
  return h('div', { class: 'preview-language', id: 'detail-preview' },
    h('h3', { text: 'Preview in another language' }),
    h('p', { class: 'muted', text: 'Rendered again from the facts this notification was planned with; nothing is sent.' }),
    form, result);
}
