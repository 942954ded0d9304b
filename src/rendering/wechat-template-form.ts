import type { NotificationType } from '../vocabulary/notification-types';
import type { RenderContext } from '../vocabulary/render-context';
import { DEFAULT_LOCALE } from './locale-fallback';
import type { MessageCatalogs } from './message-catalogs';
import { composeMessage } from './message-composer';
import { MESSAGE_DEFINITIONS } from './message-definitions';
import { cityName, MESSAGE_VALUES, type ArgumentValue } from './message-values';
import type { WeChatTemplateContent } from './rendered-content';
import { fitKeyword, wechatTime } from './wechat-keyword-rules';
import type { WeChatAlternative, WeChatTemplateMap } from './wechat-templates';

export const WECHAT_NAMESPACE = 'wechat';

type Scope = { context: RenderContext; catalogs: MessageCatalogs; catalogLocale: string };

/**
 * Values in the forms WeChat's keywords take, beside the message values: times as `time` keywords want them
 * (the airport's local date and 24-hour time), flight codes joined without spaces for `character_string`.
 */
export const WECHAT_ARGUMENTS: Readonly<Record<string, (s: Scope) => string | undefined>> = {
  departureAt: ({ context: c }) => (c.flight ? wechatTime(c.flight.estimatedDeparture ?? c.flight.scheduledDeparture, c.flight.origin) : undefined),
  scheduledDepartureAt: ({ context: c }) => (c.flight ? wechatTime(c.flight.scheduledDeparture, c.flight.origin) : undefined),
  arrivalAt: ({ context: c }) => (c.flight?.estimatedArrival ? wechatTime(c.flight.estimatedArrival, c.flight.destination) : undefined),
  segmentFlights: ({ context: c }) => (c.segments?.length ? c.segments.map((s) => s.code).join(',') : undefined),
  firstOrigin: (s) => (s.context.segments?.[0] ? cityName(s.context.segments[0].origin, s) : undefined),
  firstDestination: (s) => (s.context.segments?.[0] ? cityName(s.context.segments[0].destination, s) : undefined),
  firstDepartureAt: ({ context: c }) => (c.segments?.[0] ? wechatTime(c.segments[0].scheduledDeparture, c.segments[0].origin) : undefined),
};

/** The catalog the WeChat form is worded in: the passenger's when the file names a template for it, else English. */
export function wechatLocale(templates: WeChatTemplateMap, type: NotificationType, catalogLocale: string): string {
  return templates[type].templateIds[catalogLocale] ? catalogLocale : DEFAULT_LOCALE;
}

/**
 * A notification as a WeChat template message: the template id for its type and language, and each keyword's
 * value from the first alternative the message can fill (wechat-templates.ts). Every fact the message tells
 * must reach a keyword, or rendering fails (start-up renders every combination, so it fails there first).
 */
export function renderWeChatForm(templates: WeChatTemplateMap, catalogs: MessageCatalogs, type: NotificationType, locale: string, context: RenderContext): WeChatTemplateContent {
  const template = templates[type];
  const formLocale = wechatLocale(templates, type, catalogs.catalogLocale(locale));
  // The passenger's own locale formats the values when the form is in their language; English otherwise.
  const message = composeMessage(catalogs, type, formLocale === DEFAULT_LOCALE && catalogs.catalogLocale(locale) !== DEFAULT_LOCALE ? DEFAULT_LOCALE : locale, context, 'wechat');
  const catalogLocale = message.shape.catalogLocale;
  const scope: Scope = { context, catalogs, catalogLocale };
  const told = new Set(message.shape.facts);
  const carried = new Set<string>();
  const argument = (arg: string): string | undefined => {
    const wechat = WECHAT_ARGUMENTS[arg];
    const value: ArgumentValue | undefined = wechat ? wechat(scope) : message.value(arg);
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value.join(', ') : String(value);
  };
  const fill = (alt: WeChatAlternative): string | undefined => {
    if (alt.facts && !alt.facts.every((f) => told.has(f))) return undefined;
    if (alt.arg) return argument(alt.arg);
    const values: Record<string, string> = {};
    for (const arg of catalogs.argumentsOf(WECHAT_NAMESPACE, alt.key as string)) {
      const value = argument(arg);
      if (value === undefined) return undefined;
      values[arg] = value;
    }
    return catalogs.format(catalogLocale, WECHAT_NAMESPACE, alt.key as string, values);
  };
  const keywords = Object.entries(template.keywords).map(([keyword, alternatives]) => {
    for (const alt of alternatives) {
      const value = fill(alt);
      if (value === undefined) continue;
      for (const fact of alt.facts ?? []) carried.add(fact);
      return { keyword, value: fitKeyword(keyword, value) };
    }
    throw new Error(`WeChat keyword ${keyword} has no alternative this message can fill (facts told: ${[...told].join(', ') || 'none'})`);
  });
  const lost = [...told].filter((fact) => !carried.has(fact));
  if (lost.length > 0) throw new Error(`WeChat template for ${type} carries no keyword for ${lost.join(', ')}`);
  return { templateId: template.templateIds[formLocale], title: template.title[formLocale] ?? template.title[DEFAULT_LOCALE] ?? type, locale: formLocale, keywords };
}

/** Facts, arguments and catalog keys the file names that the definitions and catalogs do not have. */
export function wechatMappingProblems(templates: WeChatTemplateMap, catalogs: MessageCatalogs): string[] {
  const problems: string[] = [];
  for (const [type, template] of Object.entries(templates) as [NotificationType, WeChatTemplateMap[NotificationType]][]) {
    const facts = new Set(MESSAGE_DEFINITIONS[type].lines.filter((l) => l.when).map((l) => l.fact));
    for (const locale of Object.keys(template.templateIds)) {
      if (!catalogs.locales().includes(locale)) problems.push(`${type}: templateIds.${locale} names no catalog`);
      else if (!catalogs.hasNamespace(locale, WECHAT_NAMESPACE)) problems.push(`${type}: templateIds.${locale} but catalogs/${locale}/${WECHAT_NAMESPACE}.json is missing`);
    }
    for (const [keyword, alternatives] of Object.entries(template.keywords)) {
      for (const alt of alternatives) {
        for (const fact of alt.facts ?? []) if (!facts.has(fact)) problems.push(`${type}.${keyword}: ${type} has no optional fact "${fact}"`);
        if (alt.arg && !(alt.arg in WECHAT_ARGUMENTS) && !(alt.arg in MESSAGE_VALUES)) problems.push(`${type}.${keyword}: no argument {${alt.arg}}`);
        if (alt.key && !catalogs.has(DEFAULT_LOCALE, WECHAT_NAMESPACE, alt.key)) problems.push(`${type}.${keyword}: no message ${WECHAT_NAMESPACE}:${alt.key}`);
      }
    }
  }
  return problems;
}
