import type { NotificationType } from '../vocabulary/notification-types';
import type { RenderContext } from '../vocabulary/render-context';
import type { MessageCatalogs } from './message-catalogs';
import { FOOTER_KEY, GREETING_KEY, MESSAGE_DEFINITIONS, type MessageLine } from './message-definitions';
import { MESSAGE_VALUES, usesShortWording, type ArgumentValue, type ValueScope } from './message-values';

/**
 * Which parts of its definition one notification shows — the lines, subject, closing and detail rows —
 * decided from its facts without formatting anything. Two notifications of the same shape in the same
 * catalog and channel have the same words; only the argument values differ, so the words are made
 * once (MessageShapes) and the values put in per message.
 */
export interface MessageShape {
  type: NotificationType;
  catalogLocale: string;
  subject: string;
  lines: MessageLine[];
  closing: string;
  /** Detail rows: label key and either a message key or an argument. */
  details: { label: string; value: { key: string } | { arg: string } }[];
  /** The optional facts told, in line order: with the type they name the WhatsApp template. */
  facts: string[];
  /** Identifies the shape within its type, catalog and channel. */
  id: string;
}

/** A notification's shape and the values of its arguments (worked out on demand, once each). */
export interface ComposedMessage {
  shape: MessageShape;
  dir: 'ltr' | 'rtl';
  value(arg: string): ArgumentValue | undefined;
}

export const ARG_OPEN = '\uE000';
export const ARG_CLOSE = '\uE001';
export const EMPHASIS_OPEN = '\uE002';
export const EMPHASIS_CLOSE = '\uE003';

/** Works out what a notification shows in the catalog its locale reads. */
export function composeMessage(catalogs: MessageCatalogs, type: NotificationType, locale: string, context: RenderContext, channel: string): ComposedMessage {
  const definition = MESSAGE_DEFINITIONS[type];
  const catalogLocale = catalogs.catalogLocale(locale);
  const scope: ValueScope = { context, catalogs, catalogLocale, formatLocale: formattingLocale(locale, catalogLocale), channel };
  const computed = new Map<string, ArgumentValue | undefined>();
  const value = (arg: string): ArgumentValue | undefined => {
    if (!computed.has(arg)) {
      const compute = MESSAGE_VALUES[arg];
      if (!compute) throw new Error(`message argument {${arg}} is not a known value`);
      computed.set(arg, compute(scope));
    }
    return computed.get(arg);
  };
  const has = (arg: string) => value(arg) !== undefined;
  const lines = shownLines(definition.lines.filter((l) => !l.notOn?.includes(channel)), context, has);
  const subject = firstShown(definition.subject, context, type).key;
  const closing = firstShown(definition.closing, context, type).key;
  const details = definition.details.filter((row) => (!row.when || row.when(context)) && ('key' in row.value || has(row.value.arg)));
  const id = [subject, closing, ...lines.map((l) => l.key), '|', ...details.map((d) => d.label)].join(' ');
  return {
    shape: { type, catalogLocale, subject, lines, closing, details, facts: lines.filter((l) => l.when).map((l) => l.fact), id },
    dir: catalogs.direction(catalogLocale),
    value,
  };
}

/** Which lines a context shows: those without a condition, and those whose condition holds (first of a group). */
export function shownLines(lines: readonly MessageLine[], context: RenderContext, hasValue: (arg: string) => boolean = () => true): MessageLine[] {
  const groups = new Set<string>();
  return lines.filter((line) => {
    if (line.when && !line.when(context)) return false;
    if (line.ifValue && !hasValue(line.ifValue)) return false;
    if (line.group) {
      if (groups.has(line.group)) return false;
      groups.add(line.group);
    }
    return true;
  });
}

/** The words of a shape, arguments left as markers (ARG_OPEN name ARG_CLOSE) and emphasis as EMPHASIS markers. */
export interface MarkedWords {
  subject: string;
  greeting: string;
  lines: string[];
  /** Lines that are links (MessageLine.link): their words and the argument holding the URL. */
  links: { label: string; arg: string }[];
  closing: string;
  details: { label: string; value: string }[];
  footer: string;
}

export function markedWords(catalogs: MessageCatalogs, shape: MessageShape, channel: string): MarkedWords {
  const message = (key: string) => markedMessage(catalogs, shape.catalogLocale, key, channel);
  return {
    subject: message(shape.subject),
    greeting: message(GREETING_KEY),
    lines: shape.lines.filter((line) => !line.link).map((line) => message(line.key)),
    links: shape.lines.flatMap((line) => (line.link ? [{ label: message(line.key), arg: line.link }] : [])),
    closing: message(shape.closing),
    details: shape.details.map((row) => ({ label: message(row.label), value: 'key' in row.value ? message(row.value.key) : marker(row.value.arg) })),
    footer: message(FOOTER_KEY),
  };
}

export function marker(arg: string): string {
  return `${ARG_OPEN}${arg}${ARG_CLOSE}`;
}

/** A catalog message with its arguments as markers (a message's ".sms" wording on SMS and push where the catalog has one). */
function markedMessage(catalogs: MessageCatalogs, catalogLocale: string, key: string, channel: string): string {
  const chosen = usesShortWording(channel) && catalogs.has(catalogLocale, 'messages', `${key}.sms`) ? `${key}.sms` : key;
  const args: Record<string, string> = {};
  for (const arg of catalogs.argumentsOf('messages', chosen)) args[arg] = marker(arg);
  return catalogs.format(catalogLocale, 'messages', chosen, args, { b: (chunks) => `${EMPHASIS_OPEN}${chunks}${EMPHASIS_CLOSE}` });
}

function firstShown(lines: readonly MessageLine[], context: RenderContext, type: NotificationType): MessageLine {
  const line = lines.find((l) => !l.when || l.when(context));
  if (!line) throw new Error(`${type}: no subject or closing applies to this notification`);
  return line;
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
