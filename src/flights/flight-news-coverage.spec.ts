import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/app-config';
import { projectPath } from '../config/project-root';
import { formatLocalTime } from '../rendering/local-time';
import type { MessageCatalogs } from '../rendering/message-catalogs';
import type { RenderedText } from '../rendering/rendered-content';
import { cityName, MESSAGE_VALUES } from '../rendering/message-values';
import { createTemplateRenderer } from '../rendering/template-renderer.service';
import { templateCreations } from '../rendering/whatsapp-template-export';
import { whatsappParameter } from '../rendering/whatsapp-template-rules';
import type { NotificationType } from '../vocabulary/notification-types';
import type { FlightView, RenderContext } from '../vocabulary/render-context';
import { detectFlightChanges, type FlightSnapshot } from './flight-change-detector';
import { coalesceNews, factsOf, newsOfChange, newsOfContext, type FlightNews, type NewsReason } from './flight-news';

/**
 * Every message the flight-news planner can make has an exported WhatsApp template that tells all of its
 * facts. Sequences of flight snapshots (delays, earlier departures, gate and terminal moves, boarding,
 * cancellation, diversion, arrival, reasons and delay codes) go through the same steps as
 * FlightStatusEventHandler — detectFlightChanges, newsOfChange, coalesceNews with what is still pending,
 * newsOfContext of what was stored — and each message, as every kind it may be sent as, is rendered in
 * every catalog. Its (name, language) must be among the exported templates, and its WhatsApp text must
 * tell each fact the e-mail tells.
 */

const THRESHOLD = 15;
const SCHEDULED = '2026-12-01T07:35:00Z';
const at = (minutes: number) => new Date(Date.parse(SCHEDULED) + minutes * 60_000).toISOString().replace('.000Z', 'Z');
const identity = { code: 'KL1234', carrier: 'KL', flightNumber: '1234', departureDate: '2026-12-01', origin: 'AMS', destination: 'GIG' };

/** A small deterministic generator (mulberry32): the same sequences on every run, no flaky cases. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
}

/** Reasons as producers send them; 'CATALOG' stands for the language of the catalog the message is rendered in. */
const REASONS: readonly NewsReason[] = [
  {},
  { reason: 'Late arrival of the incoming aircraft', reasonLanguage: 'en' },
  { reason: 'Late arrival of the incoming aircraft', reasonLanguage: 'CATALOG' },
  { reason: 'Retard de l’avion à l’arrivée', reasonLanguage: 'fr' },
  { reason: 'Crew\n  rest   rules', reasonLanguage: 'CATALOG' },
  { delayCode: '93' },
  { delayCode: '71', reason: 'Snow at Amsterdam', reasonLanguage: 'CATALOG' },
];

/** A message the planner made: the kinds it may be sent as (a lane takes the first it subscribes to) and its facts. */
interface Planned {
  kinds: NotificationType[];
  context: Omit<RenderContext, 'type' | 'locale'>;
}

function flightOf(snapshot: FlightSnapshot, extra: Partial<FlightView>): FlightView {
  const view: FlightView = { ...identity, scheduledDeparture: snapshot.scheduledDeparture, scheduledArrival: '2026-12-01T19:35:00Z', status: snapshot.status, ...extra };
  for (const field of ['estimatedDeparture', 'departureGate', 'departureTerminal', 'baggageBelt', 'divertedTo'] as const) {
    const value = snapshot[field];
    if (value) view[field] = value;
  }
  return view;
}

/** One passenger's WhatsApp lane through a sequence of snapshots, as FlightStatusEventHandler plans it. */
function plan(snapshots: readonly (FlightSnapshot & { estimatedArrival?: string })[], why: NewsReason, sendAfter: readonly boolean[]): Planned[] {
  const planned: Planned[] = [];
  let previous: FlightSnapshot | undefined;
  let announced: string | undefined;
  let pending: { type: NotificationType; context: RenderContext } | undefined;
  snapshots.forEach((snapshot, i) => {
    const detected = detectFlightChanges(previous, snapshot, announced, THRESHOLD);
    previous = snapshot;
    announced = detected.announcedDeparture;
    const flight = flightOf(snapshot, snapshot.estimatedArrival ? { estimatedArrival: snapshot.estimatedArrival } : {});
    const incoming = detected.changes.map((change) => newsOfChange(change, flight, why));
    const earlier: FlightNews[] = pending ? [newsOfContext(pending.type, pending.context)].flatMap((n) => n ?? []) : [];
    const merged = pending ? coalesceNews([...earlier, ...incoming], flight, THRESHOLD, why) : incoming.length > 0 ? coalesceNews(incoming, flight, THRESHOLD, why) : undefined;
    if (pending && incoming.length === 0 && merged) {
      // Nothing new and what waits is still true: it stays as it is.
    } else if (merged) {
      const context = {
        ...factsOf(merged),
        passenger: { givenName: 'Maximiliane-Charlotte', surname: 'Vandenberghe' },
        booking: { reference: 'X7K2QP' },
      };
      planned.push({ kinds: merged.kinds, context });
      pending = { type: merged.kinds[0], context: { ...context, type: merged.kinds[0], locale: 'en' } };
    } else {
      pending = undefined;
    }
    // The window closes: what waited is sent, and later news is a message of its own.
    if (sendAfter[i]) pending = undefined;
  });
  return planned;
}

function flightNewsMessages(): Planned[] {
  const pick = generator(20261201);
  const messages: Planned[] = [];
  const gates = [undefined, 'D7', 'E2', 'F9'];
  const terminals = [undefined, '1', '2', '3'];
  const shifts = [undefined, -45, -20, 0, 10, 20, 45, 75, 150, 300];
  for (let n = 0; n < 600; n++) {
    const length = 1 + Math.floor(pick([0, 1, 2, 3, 4, 5]));
    let gate = pick(gates);
    let terminal = pick(terminals);
    const snapshots = Array.from({ length }, () => {
      const status = pick(['SCHEDULED', 'DELAYED', 'DELAYED', 'BOARDING', 'SCHEDULED', 'CANCELLED', 'DIVERTED', 'DEPARTED', 'ARRIVED']);
      const shift = pick(shifts);
      gate = pick([gate, gate, ...gates]);
      terminal = pick([terminal, terminal, ...terminals]);
      return {
        status,
        scheduledDeparture: SCHEDULED,
        ...(shift !== undefined ? { estimatedDeparture: at(shift) } : {}),
        ...(gate ? { departureGate: gate } : {}),
        ...(terminal ? { departureTerminal: terminal } : {}),
        ...(pick([true, false]) ? { estimatedArrival: at(12 * 60 + (shift ?? 0)) } : {}),
        ...(status === 'ARRIVED' && pick([true, true, false]) ? { baggageBelt: pick(['4', '14']) } : {}),
        ...(status === 'DIVERTED' && pick([true, true, false]) ? { divertedTo: pick(['GRU', 'BRU']) } : {}),
      };
    });
    messages.push(...plan(snapshots, pick(REASONS), snapshots.map(() => pick([true, false, false]))));
  }
  // The case of the issue, spelt out: a delay, then a gate move within the news window.
  const delay = { status: 'DELAYED', scheduledDeparture: SCHEDULED, estimatedDeparture: at(75), departureGate: 'E4', departureTerminal: '2' };
  messages.push(...plan([{ status: 'SCHEDULED', scheduledDeparture: SCHEDULED, departureGate: 'E4', departureTerminal: '2' }, delay, { ...delay, departureGate: 'F9' }], REASONS[1], [true, false, false]));
  return messages;
}

/** The other types, with the facts their producers may or may not give. */
function otherMessages(): Planned[] {
  const base = { passenger: { givenName: 'Luc', surname: 'Desmarais' }, booking: { reference: 'X7K2QP' } };
  const flight: FlightView = { ...identity, scheduledDeparture: SCHEDULED, scheduledArrival: '2026-12-01T19:35:00Z' };
  const segment = { code: 'KL1234', origin: 'AMS', destination: 'GIG', departureDate: '2026-12-01', scheduledDeparture: SCHEDULED, scheduledArrival: '2026-12-01T19:35:00Z' };
  const messages: Planned[] = [];
  for (const segments of [[segment], [segment, { ...segment, code: 'KL1235', origin: 'GIG', destination: 'AMS', scheduledDeparture: at(14 * 24 * 60) }]]) {
    messages.push({ kinds: ['booking-confirmation'], context: { ...base, segments } }, { kinds: ['itinerary-change'], context: { ...base, segments } });
  }
  for (const reasoned of REASONS) messages.push({ kinds: ['booking-cancellation'], context: { ...base, ...reasoned } });
  for (const gate of [undefined, 'D7']) {
    for (const checkinGate of [undefined, 'F9']) {
      for (const terminal of [undefined, '2']) {
        for (const boarding of [{}, { boardingTime: at(-30) }, { boardingTime: at(-30), boardingGroup: '3' }, { boardingGroup: '2' }]) {
          messages.push({
            kinds: ['boarding-pass'],
            context: {
              ...base,
              flight: { ...flight, ...(gate ? { departureGate: gate } : {}), ...(terminal ? { departureTerminal: terminal } : {}) },
              checkin: { seat: '32A', sequenceNumber: 142, compartment: 'Y', ...boarding, ...(checkinGate ? { gate: checkinGate } : {}) },
            },
          });
        }
      }
    }
  }
  messages.push({ kinds: ['checkin-open'], context: { ...base, flight } });
  return messages;
}

describe('every message the planner can make has an exported WhatsApp template telling all of its facts', () => {
  const renderer = createTemplateRenderer({ templatesDir: projectPath('templates'), catalogsDir: projectPath('catalogs'), smsSegmentBudget: loadConfig({}).SMS_SEGMENT_BUDGET, wechatTemplatesFile: projectPath(loadConfig({}).WECHAT_TEMPLATES_FILE) });
  let exported: Set<string>;

  beforeAll(() => {
    Logger.overrideLogger(false);
    renderer.load();
    exported = new Set(templateCreations(renderer).map((c) => `${c.name}|${c.language}`));
  });

  it('covers every combination of flight news and every other type, in every catalog', () => {
    const catalogs = renderer.messageCatalogs();
    const unique = new Map<string, { type: NotificationType; context: Omit<RenderContext, 'type' | 'locale'> }>();
    for (const { kinds, context } of [...flightNewsMessages(), ...otherMessages()]) {
      for (const type of kinds) unique.set(JSON.stringify([type, context]), { type, context });
    }
    const missing: string[] = [];
    const untold: string[] = [];
    const failed: string[] = [];
    const checked = new Map<string, number>();
    const used = new Set<string>();

    for (const locale of catalogs.locales()) {
      for (const { type, context: facts } of unique.values()) {
        const context: RenderContext = { ...facts, type, locale, ...(facts.reasonLanguage === 'CATALOG' ? { reasonLanguage: locale } : {}) };
        let whatsapp: RenderedText;
        try {
          whatsapp = renderer.render(type, 'whatsapp', locale, context);
        } catch (error) {
          failed.push(`${(error as Error).message} (facts ${JSON.stringify(facts)})`);
          continue;
        }
        const template = whatsapp.whatsappTemplate;
        const key = template ? `${template.name}|${template.language}` : `no template form|${locale}`;
        used.add(key);
        if (!exported.has(key)) missing.push(`${type} in ${locale}: ${key} is not exported (facts ${JSON.stringify(facts)})`);
        let emailText: string | undefined;
        try {
          const email = renderer.render(type, 'email', locale, context);
          emailText = squeeze(`${email.subject}\n${email.text}`);
        } catch {
          // Whether every combination renders as e-mail is the catalog checks' question (contentProblems and
          // the catalog specs); here the planner's facts stand on their own.
        }
        const filled = squeeze(template ? template.body.replace(/\{\{(\d+)\}\}/g, (_m, n: string) => template.parameters[Number(n) - 1]) : '');
        expect(filled).toBe(squeeze(whatsapp.text)); // the text is the template filled in

        for (const [fact, value] of factValues(type, context, locale, catalogs)) {
          checked.set(fact, (checked.get(fact) ?? 0) + 1);
          const shown = squeeze(value);
          // The e-mail tells it (so the check below is about a fact the passenger is told elsewhere) …
          if (emailText !== undefined && !emailText.includes(shown)) untold.push(`${type} in ${locale}: the e-mail does not tell ${fact} "${shown}"`);
          // … and so must WhatsApp.
          if (!filled.includes(shown)) untold.push(`${type} in ${locale}: WhatsApp (${template?.name}) does not tell ${fact} "${shown}" — it says: ${filled}`);
        }
      }
    }
    expect(failed).toEqual([]);
    expect(missing).toEqual([]);
    expect(untold).toEqual([]);
    // Not vacuous: every kind of fact was checked, many times.
    for (const fact of ['flight', 'new time', 'delay', 'gate', 'previous gate', 'terminal', 'previous terminal', 'arrival time', 'belt', 'diverted to', 'reason', 'seat', 'boarding time']) {
      expect({ fact, checked: (checked.get(fact) ?? 0) > catalogs.locales().length }).toEqual({ fact, checked: true });
    }
    // The planner's messages need fewer templates than are exported (each combination of facts has one).
    expect(used.size).toBeLessThanOrEqual(exported.size);
  });
});

/** Spaces as a reader sees them: e-mail and WhatsApp break lines differently, parameters fold runs of spaces. */
function squeeze(text: string): string {
  return whatsappParameter(text.replace(/[*\u2068\u2069]/g, ''));
}

/**
 * The facts a message carries, worked out from the planner's output (not from the message definitions),
 * with their values as the passenger reads them in this locale.
 */
function factValues(type: NotificationType, c: RenderContext, locale: string, catalogs: MessageCatalogs): [string, string][] {
  const facts: [string, string][] = [];
  const f = c.flight;
  const timeAt = (instant: string, airport: string) => formatLocalTime(instant, airport, locale);
  if (f) facts.push(['flight', f.code]);
  const flightNews = ['flight-delay', 'gate-change', 'boarding-started'].includes(type);
  if (f && flightNews && c.delay) {
    facts.push(['new time', timeAt(f.estimatedDeparture ?? f.scheduledDeparture, f.origin)]);
    if (!c.delay.earlier) facts.push(['delay', new Intl.NumberFormat(locale).format(Math.abs(c.delay.minutes))]);
  }
  if (f && flightNews && c.previous?.departureGate && f.departureGate) facts.push(['gate', f.departureGate], ['previous gate', c.previous.departureGate]);
  if (f && flightNews && c.previous?.departureTerminal && f.departureTerminal) facts.push(['terminal', f.departureTerminal], ['previous terminal', c.previous.departureTerminal]);
  if (f && type === 'boarding-started' && f.departureGate) facts.push(['gate', f.departureGate]);
  if (f && type === 'flight-delay' && f.estimatedArrival) facts.push(['arrival time', timeAt(f.estimatedArrival, f.destination)]);
  if (f && type === 'baggage-belt' && f.baggageBelt) facts.push(['belt', f.baggageBelt]);
  if (f && type === 'flight-diversion' && f.divertedTo) facts.push(['diverted to', cityName(f.divertedTo, { catalogs: catalogs, catalogLocale: locale })]);
  if (c.checkin) {
    facts.push(['seat', c.checkin.seat]);
    if (c.checkin.boardingTime && f) facts.push(['boarding time', timeAt(c.checkin.boardingTime, f.origin)]);
    const gate = c.checkin.gate ?? f?.departureGate;
    if (gate) facts.push(['gate', gate]);
  }
  if (['booking-confirmation', 'itinerary-change', 'booking-cancellation', 'checkin-open'].includes(type)) facts.push(['booking', c.booking.reference]);
  // The reason the passenger can read: its own rules (a delay code explained, or words in this language).
  const reason = MESSAGE_VALUES.reason({ context: c, catalogs: catalogs, catalogLocale: locale, formatLocale: locale, channel: 'whatsapp' });
  if (reason !== undefined && ['flight-delay', 'gate-change', 'boarding-started', 'flight-cancellation', 'flight-diversion', 'booking-cancellation'].includes(type)) {
    facts.push(['reason', String(reason)]);
  }
  return facts;
}

