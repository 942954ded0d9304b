import type { NotificationType } from '../vocabulary/notification-types';
import type { RenderContext } from '../vocabulary/render-context';

/**
 * One sentence or line of a message: a catalog key (namespace "messages") and when it is told. Each
 * line tells one fact; a WhatsApp template is generated per combination of the lines a message can
 * show, so every fact a notification carries reaches the passenger on every channel.
 */
export interface MessageLine {
  /** Names the fact; template names are built from these (lower case, digits, underscores). */
  fact: string;
  key: string;
  /** Absent: always told. Lines with the same `group` are alternatives: at most one of them is told. */
  when?: (context: RenderContext) => boolean;
  group?: string;
  /** Told only when this argument has a value in the message's language (a reason the passenger can read). */
  ifValue?: string;
  /** Channels that leave this line out (SMS and push carry no attachment to speak of). */
  notOn?: readonly string[];
  /**
   * The argument holding a URL: the line's words are then the text of a link to it, which e-mail lays out as a
   * button (templates/email.hbs) and its text part as "words (URL)".
   */
  link?: string;
}

/** A row of the e-mail's detail table: a label key and the argument whose value it shows. */
export interface DetailRow {
  label: string;
  /** A message key formatting the value (with arguments), or a bare argument name. */
  value: { key: string } | { arg: string };
  when?: (context: RenderContext) => boolean;
}

export interface MessageDefinition {
  type: NotificationType;
  /** E-mail subject: the first line whose `when` holds. */
  subject: MessageLine[];
  /** Greeting, then these, then the closing: the body every channel tells (SMS leaves greeting and closing out). */
  lines: MessageLine[];
  closing: MessageLine[];
  details: DetailRow[];
  /** The notification carries the boarding pass PDF (a WhatsApp template with a document header). */
  document?: boolean;
  /** What every notification of this type has (the planner guarantees it); combinations without it are not generated. */
  applies?: (context: RenderContext) => boolean;
}

const delayed = (c: RenderContext) => !!c.delay && !c.delay.earlier;
const earlier = (c: RenderContext) => !!c.delay?.earlier;
const gateMoved = (c: RenderContext) => !!c.previous?.departureGate && !!c.flight?.departureGate;
const terminalMoved = (c: RenderContext) => !!c.previous?.departureTerminal && !!c.flight?.departureTerminal;
const hasReason = (c: RenderContext) => !!c.delayCode || (!!c.reason && !!c.reasonLanguage);

/** The changes flight news may carry besides its own: a delay, a gate or terminal move, a reason. */
const delayLines = (prefix: string): MessageLine[] => [
  { fact: 'delayed', key: `${prefix}.delayed`, when: delayed, group: 'departure' },
  { fact: 'earlier', key: `${prefix}.earlier`, when: earlier, group: 'departure' },
];
const moveLines: MessageLine[] = [
  { fact: 'gate', key: 'news.gate-moved', when: gateMoved },
  { fact: 'terminal', key: 'news.terminal-moved', when: terminalMoved },
];
const reasonLine: MessageLine = { fact: 'reason', key: 'news.reason', when: hasReason, ifValue: 'reason' };

const route: DetailRow = { label: 'label.route', value: { key: 'value.route' } };
const flightRow: DetailRow = { label: 'label.flight', value: { arg: 'flight' } };
const dateRow: DetailRow = { label: 'label.date', value: { arg: 'date' } };
const departureRow: DetailRow = { label: 'label.departure', value: { arg: 'time' } };
const gateRow: DetailRow = { label: 'label.gate', value: { arg: 'gate' }, when: (c) => !!(c.checkin?.gate ?? c.flight?.departureGate) };
const terminalRow: DetailRow = { label: 'label.terminal', value: { arg: 'terminal' }, when: (c) => !!c.flight?.departureTerminal };
const flightRows = [flightRow, route, dateRow, departureRow];

const always = (fact: string, key: string): MessageLine => ({ fact, key });
/** Lines only e-mail tells: links and facts the template channels' approved forms do not have. */
const ONLY_EMAIL = ['sms', 'whatsapp', 'messenger', 'wechat', 'push'] as const;

export const MESSAGE_DEFINITIONS: Readonly<Record<NotificationType, MessageDefinition>> = {
  'booking-confirmation': {
    type: 'booking-confirmation',
    subject: [always('subject', 'booking-confirmation.subject')],
    lines: [always('confirmed', 'booking-confirmation.confirmed'), always('segments', 'booking.segments')],
    closing: [always('closing', 'booking-confirmation.closing')],
    details: [],
  },
  'itinerary-change': {
    type: 'itinerary-change',
    subject: [always('subject', 'itinerary-change.subject')],
    lines: [always('changed', 'itinerary-change.changed'), always('segments', 'booking.segments'), { fact: 'check', key: 'itinerary-change.check', notOn: ['sms'] }],
    closing: [always('closing', 'common.closing.questions')],
    details: [],
  },
  'booking-cancellation': {
    type: 'booking-cancellation',
    subject: [always('subject', 'booking-cancellation.subject')],
    lines: [always('cancelled', 'booking-cancellation.cancelled'), reasonLine],
    closing: [always('closing', 'common.closing.questions')],
    details: [],
  },
  'boarding-pass': {
    type: 'boarding-pass',
    subject: [always('subject', 'boarding-pass.subject')],
    lines: [
      always('checked_in', 'boarding-pass.checked-in'),
      always('seat', 'boarding-pass.seat'),
      { fact: 'boarding_time', key: 'boarding-pass.boarding-time', when: (c) => !!c.checkin?.boardingTime },
      { fact: 'group', key: 'boarding-pass.group', when: (c) => !!c.checkin?.boardingGroup },
      { fact: 'gate', key: 'boarding-pass.gate', when: (c) => !!(c.checkin?.gate ?? c.flight?.departureGate) },
      { fact: 'terminal', key: 'boarding-pass.terminal', when: (c) => !!c.flight?.departureTerminal },
      // Messenger sends the PDF only inside the 24-hour window (its utility templates carry no file), WeChat and push never.
      { fact: 'attached', key: 'boarding-pass.attached', notOn: ['sms', 'messenger', 'wechat', 'push'] },
      // When the pass was issued (docs/decisions/0034): e-mail, like the PDF; the template channels keep their approved forms.
      { fact: 'issued', key: 'boarding-pass.issued', ifValue: 'issuedAt', notOn: ONLY_EMAIL },
      // The wallet buttons (docs/decisions/0034). The save link (0032) is a signed JWT of 2-3 kB: past SMS's segment budget,
      // push's 4 kB, and a WhatsApp, Messenger or WeChat template body's limits. E-mail carries both; the read API shows them.
      { fact: 'apple_wallet', key: 'boarding-pass.apple-wallet', ifValue: 'appleWalletUrl', link: 'appleWalletUrl', notOn: ONLY_EMAIL },
      { fact: 'google_wallet', key: 'boarding-pass.google-wallet', ifValue: 'googleWalletUrl', link: 'googleWalletUrl', notOn: ONLY_EMAIL },
    ],
    closing: [always('closing', 'common.closing.good-flight')],
    details: [...flightRows, { label: 'label.seat', value: { arg: 'seat' } }, { label: 'label.sequence', value: { arg: 'sequence' } }, gateRow, terminalRow],
    document: true,
  },
  'flight-delay': {
    type: 'flight-delay',
    applies: (c) => !!c.delay,
    subject: [
      { fact: 'earlier', key: 'flight-delay.subject.earlier', when: earlier },
      always('delayed', 'flight-delay.subject.delayed'),
    ],
    lines: [
      ...delayLines('flight-delay'),
      ...moveLines,
      { fact: 'arrival', key: 'flight-delay.arrival', when: (c) => !!c.flight?.estimatedArrival },
      reasonLine,
    ],
    closing: [
      { fact: 'closing', key: 'flight-delay.closing.earlier', when: earlier, group: 'closing' },
      { fact: 'closing', key: 'common.closing.sorry', when: (c) => !earlier(c), group: 'closing' },
    ],
    details: [
      flightRow,
      route,
      dateRow,
      { label: 'label.scheduled-departure', value: { arg: 'scheduledTime' } },
      { label: 'label.new-departure', value: { arg: 'time' } },
      { label: 'label.previous-departure', value: { arg: 'previousTime' }, when: (c) => !!c.previous?.estimatedDeparture },
      gateRow,
      terminalRow,
    ],
  },
  'gate-change': {
    type: 'gate-change',
    applies: (c) => gateMoved(c) || terminalMoved(c),
    subject: [
      { fact: 'subject', key: 'gate-change.subject', when: (c) => !!c.flight?.departureGate },
      always('subject', 'gate-change.subject.terminal'),
    ],
    lines: [always('intro', 'gate-change.intro'), ...moveLines, ...delayLines('news'), reasonLine],
    closing: [always('closing', 'common.closing.good-flight')],
    details: [...flightRows, gateRow, terminalRow],
  },
  'boarding-started': {
    type: 'boarding-started',
    subject: [always('subject', 'boarding-started.subject')],
    lines: [
      always('boarding', 'boarding-started.boarding'),
      { fact: 'gate', key: 'news.gate-moved', when: gateMoved, group: 'gate' },
      { fact: 'go_to_gate', key: 'boarding-started.go-to-gate', when: (c) => !gateMoved(c) && !!c.flight?.departureGate, group: 'gate' },
      { fact: 'check_screens', key: 'boarding-started.check-screens', when: (c) => !c.flight?.departureGate, group: 'gate' },
      moveLines[1],
      ...delayLines('news'),
      reasonLine,
    ],
    closing: [always('closing', 'common.closing.good-flight')],
    details: [...flightRows, gateRow, terminalRow],
  },
  'flight-cancellation': {
    type: 'flight-cancellation',
    subject: [always('subject', 'flight-cancellation.subject')],
    lines: [always('cancelled', 'flight-cancellation.cancelled'), reasonLine, always('rebooking', 'flight-cancellation.rebooking')],
    closing: [always('closing', 'common.closing.sorry')],
    details: [flightRow, route, { label: 'label.date', value: { arg: 'scheduledDate' } }, { label: 'label.scheduled-departure', value: { arg: 'scheduledTime' } }],
  },
  'flight-diversion': {
    type: 'flight-diversion',
    subject: [always('subject', 'flight-diversion.subject')],
    lines: [
      { fact: 'diverted_to', key: 'flight-diversion.diverted-to', when: (c) => !!c.flight?.divertedTo, group: 'diverted' },
      { fact: 'diverted', key: 'flight-diversion.diverted', when: (c) => !c.flight?.divertedTo, group: 'diverted' },
      reasonLine,
      always('onward', 'flight-diversion.onward'),
    ],
    closing: [always('closing', 'common.closing.sorry')],
    details: [flightRow, route],
  },
  'baggage-belt': {
    type: 'baggage-belt',
    subject: [always('subject', 'baggage-belt.subject')],
    lines: [always('welcome', 'baggage-belt.welcome'), always('belt', 'baggage-belt.belt')],
    closing: [always('closing', 'baggage-belt.closing')],
    details: [],
  },
  'checkin-open': {
    type: 'checkin-open',
    subject: [always('subject', 'checkin-open.subject')],
    lines: [always('open', 'checkin-open.open'), always('check_in_now', 'checkin-open.check-in-now')],
    closing: [always('closing', 'common.closing.good-flight')],
    details: flightRows,
  },
};

/** The greeting every message but SMS opens with, and the booking line e-mails end with. */
export const GREETING_KEY = 'common.greeting';
export const FOOTER_KEY = 'common.footer.booking';
