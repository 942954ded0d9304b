import type { NotificationType } from '../vocabulary/notification-types';
import type { RenderContext } from '../vocabulary/render-context';
import type { MessageCatalogs } from './message-catalogs';
import { FOOTER_KEY, GREETING_KEY, MESSAGE_DEFINITIONS, type MessageDefinition, type MessageLine } from './message-definitions';
import { MESSAGE_VALUES, type ArgumentValue, type ValueScope } from './message-values';

/**
 * A message as composed from its definition and a catalog, before any channel's layout: every
 * argument stands as a marker (ARG_OPEN index ARG_CLOSE) with its value kept aside, and emphasis as
 * EMPHASIS markers, so each channel can escape, emphasise or turn arguments into template parameters.
 */
export interface ComposedMessage {
  type: NotificationType;
  catalogLocale: string;
  dir: 'ltr' | 'rtl';
  subject: string;
  greeting: string;
  lines: { fact: string; text: string }[];
  closing: string;
  details: { label: string; value: string }[];
  footer: string;
  /** The optional facts told, in line order: with the type they name the WhatsApp template. */
  facts: string[];
  values: ArgumentValue[];
}

export const ARG_OPEN = '\uE000';
export const ARG_CLOSE = '\uE001';
export const EMPHASIS_OPEN = '\uE002';
export const EMPHASIS_CLOSE = '\uE003';
const MARKER = /\uE000(\d+)\uE001/g;

/** Composes a notification's message in the catalog its locale reads. */
export function composeMessage(catalogs: MessageCatalogs, type: NotificationType, locale: string, context: RenderContext, channel: string): ComposedMessage {
  const definition = MESSAGE_DEFINITIONS[type];
  const catalogLocale = catalogs.catalogLocale(locale);
  const scope: ValueScope = { context, catalogs, catalogLocale, formatLocale: formattingLocale(locale, catalogLocale), channel };
  const values: ArgumentValue[] = [];
  const computed = new Map<string, ArgumentValue | undefined>();
  const valueOf = (arg: string): ArgumentValue | undefined => {
    if (!computed.has(arg)) {
      const compute = MESSAGE_VALUES[arg];
      if (!compute) throw new Error(`message argument {${arg}} is not a known value`);
      computed.set(arg, compute(scope));
    }
    return computed.get(arg);
  };
  const message = (key: string): string => {
    const args: Record<string, string | number> = {};
    for (const arg of catalogs.argumentsOf('messages', key)) {
      const value = valueOf(arg);
      if (value === undefined) throw new Error(`${type}: message ${key} needs {${arg}}, which this notification does not have`);
      values.push(value);
      args[arg] = `${ARG_OPEN}${values.length - 1}${ARG_CLOSE}`;
    }
    return catalogs.format(catalogLocale, 'messages', channelKey(catalogs, catalogLocale, key, channel), args, {
      b: (chunks) => `${EMPHASIS_OPEN}${chunks}${EMPHASIS_CLOSE}`,
    });
  };
  const lines = shownLines(definition.lines, context);
  return {
    type,
    catalogLocale,
    dir: catalogs.direction(catalogLocale),
    subject: message(firstShown(definition.subject, context, type).key),
    greeting: message(GREETING_KEY),
    lines: lines.map((line) => ({ fact: line.fact, text: message(line.key) })),
    closing: message(firstShown(definition.closing, context, type).key),
    details: detailRows(definition, context, message, valueOf, values),
    footer: message(FOOTER_KEY),
    facts: lines.filter((line) => line.when).map((line) => line.fact),
    values,
  };
}

/** Which lines a context shows: those without a condition, and those whose condition holds (first of a group). */
export function shownLines(lines: readonly MessageLine[], context: RenderContext): MessageLine[] {
  const groups = new Set<string>();
  return lines.filter((line) => {
    if (line.when && !line.when(context)) return false;
    if (line.group) {
      if (groups.has(line.group)) return false;
      groups.add(line.group);
    }
    return true;
  });
}

/**
 * Replaces argument markers with their values as `render` shapes them, and emphasis markers with
 * the channel's emphasis; `literal` escapes the catalog's own text (HTML) and is applied first.
 */
export function finish(
  text: string,
  values: readonly ArgumentValue[],
  style: { literal?: (text: string) => string; value: (value: ArgumentValue, index: number) => string; emphasis: (text: string) => string },
): string {
  const literal = style.literal ? style.literal(text) : text;
  return literal
    .replace(MARKER, (_m, index: string) => style.value(values[Number(index)], Number(index)))
    .replace(/\uE002([\s\S]*?)\uE003/g, (_m, inner: string) => style.emphasis(inner));
}

/** A message's ".sms" wording when the channel is SMS and the catalog has one. */
function channelKey(catalogs: MessageCatalogs, catalogLocale: string, key: string, channel: string): string {
  return channel === 'sms' && catalogs.has(catalogLocale, 'messages', `${key}.sms`) ? `${key}.sms` : key;
}

function firstShown(lines: readonly MessageLine[], context: RenderContext, type: NotificationType): MessageLine {
  const line = lines.find((l) => !l.when || l.when(context));
  if (!line) throw new Error(`${type}: no subject or closing applies to this notification`);
  return line;
}

function detailRows(
  definition: MessageDefinition,
  context: RenderContext,
  message: (key: string) => string,
  valueOf: (arg: string) => ArgumentValue | undefined,
  values: ArgumentValue[],
): ComposedMessage['details'] {
  const rows: ComposedMessage['details'] = [];
  for (const row of definition.details) {
    if (row.when && !row.when(context)) continue;
    if ('key' in row.value) {
      rows.push({ label: message(row.label), value: message(row.value.key) });
      continue;
    }
    const value = valueOf(row.value.arg);
    if (value === undefined) continue;
    values.push(value);
    rows.push({ label: message(row.label), value: `${ARG_OPEN}${values.length - 1}${ARG_CLOSE}` });
  }
  return rows;
}

/**
 * Dates follow the passenger's own locale where the catalog speaks their language (pt-PT reading pt
 * gets Portuguese dates, nl-BE Belgian ones), but a fallback catalog is formatted in its own language:
 * no German weekday inside an English sentence.
 */
export function formattingLocale(passengerLocale: string, catalogLocale: string): string {
  const language = (tag: string) => tag.split('-')[0].toLowerCase();
  return language(passengerLocale) === language(catalogLocale) ? passengerLocale : catalogLocale;
}
