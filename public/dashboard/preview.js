// @ts-check
// One rendered preview (GET /api/templates/…/preview or /api/notifications/:id/preview) drawn for an operator:
// e-mail subject, HTML in a sandboxed frame without scripts and its plain-text part; WhatsApp's template name,
// language, body and parameters with the text they make; an SMS with its segments. Text keeps the catalog's
// writing direction (Arabic reads right to left here as in the message).
import { api } from './api.js';
import { h } from './dom.js';

/** @typedef {import('./types/api').components['schemas']['TemplatePreviewDto']} TemplatePreview */
/** @typedef {import('./types/api').components['schemas']['NotificationPreviewDto']} NotificationPreview */
/** @typedef {import('./types/api').components['schemas']['TemplateCatalogDto']} TemplateCatalog */

/** @type {Promise<TemplateCatalog> | undefined} */
let catalog;

/** GET /api/templates, once per page: the catalogs do not change while the service runs. */
export function templateCatalog() {
  catalog ??= /** @type {Promise<TemplateCatalog>} */ (api('/api/templates'));
  catalog.catch(() => (catalog = undefined));
  return catalog;
}

/**
 * @param {TemplatePreview | NotificationPreview} p
 * @param {string} id the element's id (tests and links find it by this)
 */
export function previewView(p, id) {
  const c = p.content;
  const dir = p.dir;
  const lang = c.locale;
  /** @type {(Node | string)[]} */
  const parts = [
    h('p', { class: 'muted preview-head' },
      `${p.type} · ${p.channel} · ${p.locale} (catalog ${c.locale}, ${dir}) · facts: ${p.facts.length ? p.facts.join(', ') : 'none'}`),
  ];
  if (c.subject) parts.push(h('p', { class: 'preview-subject' }, h('strong', { text: 'Subject: ' }), h('span', { dir, lang, text: c.subject })));
  if (c.html) {
    // No allow-scripts, no allow-same-origin: the e-mail cannot run code or reach the page or the token.
    const frame = /** @type {HTMLIFrameElement} */ (h('iframe', { class: 'email preview-html', sandbox: '', referrerpolicy: 'no-referrer', title: `e-mail in ${c.locale}` }));
    frame.srcdoc = c.html;
    parts.push(frame, h('details', {}, h('summary', { text: 'plain-text part' }), h('pre', { class: 'message', dir, lang, text: c.text })));
  }
  const t = c.whatsappTemplate;
  if (t) {
    parts.push(
      h('dl', { class: 'preview-template' },
        h('dt', { text: 'Template' }), h('dd', { class: 'code template-name', text: t.name }),
        h('dt', { text: 'Language' }), h('dd', { class: 'code template-language', text: t.language }),
        t.header ? [h('dt', { text: 'Header' }), h('dd', { text: t.header })] : ''),
      h('h4', { text: 'Body' }),
      h('pre', { class: 'message template-body', dir, lang, text: t.body }),
      h('h4', { text: 'Parameters' }),
      h('ol', { class: 'template-parameters' }, t.parameters.map((value) => h('li', { dir, lang, text: value }))),
      h('h4', { text: 'As the passenger reads it' }),
    );
  }
  if (!c.html) parts.push(h('pre', { class: 'message preview-text', dir, lang, text: c.text }));
  if (p.sms) parts.push(h('p', { class: 'muted preview-sms', text: `${p.sms.segments} ${p.sms.encoding} segment(s); budget ${p.sms.budget}` }));
  return h('div', { class: 'preview', id, dataset: { channel: p.channel, locale: p.locale } }, parts);
}
