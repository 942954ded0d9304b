/**
 * "Cancelled" on a cancelled flight's pass, by catalog language (catalogs/<locale>/). The boarding-pass catalogs
 * hold the PDF's labels only; a pass is the one place this word is printed, so it lives beside the pass builder,
 * and a spec checks that every catalog language has it.
 */
export const CANCELLED_WORD: Readonly<Record<string, string>> = {
  ar: 'أُلغيت الرحلة',
  de: 'Annulliert',
  en: 'Cancelled',
  es: 'Cancelado',
  fr: 'Annulé',
  it: 'Cancellato',
  ja: '欠航',
  ko: '결항',
  nl: 'Geannuleerd',
  pt: 'Cancelado',
  'pt-PT': 'Cancelado',
  'zh-Hans': '已取消',
};
