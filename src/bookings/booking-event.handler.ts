import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnresolvableEventError } from '../common/errors';
import type { BookingCancelledData, BookingSnapshotData, CloudEvent, Contacts } from '../events/event-types';
import { CompletesBatches, HandlesEvents, PreparesBatches } from '../events/handles-events';
import type { EventScope } from '../events/event-scope';
import type { NotificationPlan } from '../notifications/notification-plan';
import { NotificationPlanner } from '../notifications/notification-planner.service';
import { NotificationRepository } from '../notifications/notification.repository';
import { isChannel, type Channel } from '../vocabulary/notification-types';
import type { PassengerRecord, SegmentRecord } from '../vocabulary/booking-records';
import { flightKey } from '../vocabulary/booking-records';
import { toSegmentView } from '../vocabulary/segment-view';
import { BookingRepository } from './booking.repository';
import type { UnusableContact } from '../vocabulary/unusable-contact';
import { checkContact } from './contact-check';
import { PipelineMetrics } from '../metrics/pipeline-metrics';

/** booking.confirmed, booking.changed and booking.cancelled: keep the snapshot, tell what changed. */
@Injectable()
export class BookingEventHandler {
  private readonly logger = new Logger(BookingEventHandler.name);

  constructor(
    private readonly bookings: BookingRepository,
    private readonly notifications: NotificationRepository,
    private readonly planner: NotificationPlanner,
    private readonly metrics: PipelineMetrics,
  ) {}

  /**
   * Booking and check-in events each lock their booking first: for a batch, all of them in one statement; and
   * the batch's snapshots are written together (docs/decisions/0036).
   */
  @PreparesBatches()
  async beginBatch(m: EntityManager, scope: EventScope): Promise<void> {
    await this.bookings.beginBatch(m, scope.bookings);
  }

  @CompletesBatches()
  async endBatch(m: EntityManager): Promise<void> {
    await this.bookings.endBatch(m);
  }

  @HandlesEvents('booking.confirmed', 'booking.changed')
  async applySnapshot(m: EntityManager, event: CloudEvent<BookingSnapshotData>): Promise<NotificationPlan[]> {
    const reference = event.data.bookingReference;
    const existing = await this.bookings.lockBooking(m, reference);
    if (existing?.purged) {
      // Erased on request or by retention: a late snapshot must not bring the personal data back.
      this.logger.log(`ignored ${event.type} ${event.id} for ${reference}: its personal data was erased`);
      return [];
    }
    if (existing && existing.snapshotTime.getTime() > Date.parse(event.time)) {
      // An older snapshot arriving late: the state we hold is newer, so it changes nothing.
      this.logger.log(`ignored ${event.type} ${event.id} for ${reference}: older than the stored snapshot`);
      return [];
    }
    const passengers = toPassengers(event.data);
    this.reportUnusable(reference, passengers);
    const segments = toSegments(event.data);
    const { passengers: before, segments: segmentsBefore } = existing ? await this.bookings.findContents(m, reference) : { passengers: [], segments: [] };

    await this.bookings.storeSnapshot(m, reference, event.time, passengers, segments);
    await this.cancelWithdrawnConsents(m, reference, before, passengers);

    const facts = { segments: segments.map(toSegmentView) };
    const firstFlight = segments[0] ? flightKey(segments[0]) : undefined;
    if (event.type === 'booking.confirmed') {
      return passengers.flatMap((p) => this.planner.plan('booking-confirmation', event, p, facts, firstFlight));
    }
    if (existing && itineraryChanged(segmentsBefore, segments)) {
      return passengers.flatMap((p) => this.planner.plan('itinerary-change', event, p, facts, firstFlight));
    }
    return [];
  }

  @HandlesEvents('booking.cancelled')
  async applyCancellation(m: EntityManager, event: CloudEvent<BookingCancelledData>): Promise<NotificationPlan[]> {
    const reference = event.data.bookingReference;
    const existing = await this.bookings.lockBooking(m, reference);
    if (!existing) throw new UnresolvableEventError(`booking ${reference} is not known`);
    if (existing.status === 'cancelled') return [];
    const { reason, reasonLanguage } = event.data;
    await this.bookings.markCancelled(m, reference, reason, reasonLanguage);
    await this.notifications.cancelPending(m, reference, 'booking cancelled');
    const passengers = await this.bookings.findPassengers(m, reference);
    // The free text and its language stay together: the renderer shows the text only to readers of that language.
    const facts = reason ? { reason, ...(reasonLanguage ? { reasonLanguage } : {}) } : {};
    return passengers.flatMap((p) => this.planner.plan('booking-cancellation', event, p, facts));
  }

  /** Counted and logged (reason only: the value is personal data) each time a snapshot carrying them applies. */
  private reportUnusable(reference: string, passengers: PassengerRecord[]): void {
    for (const p of passengers) {
      for (const u of p.unusableContacts ?? []) {
        this.metrics.unusableContact(u.channel, u.reason);
        this.logger.warn(`booking ${reference} passenger ${p.passengerId}: ${u.channel} contact is unusable (${u.reason}); not sent to`);
      }
    }
  }

  /** A consent granted before and not now stops what is still waiting on that channel. */
  private async cancelWithdrawnConsents(
    m: EntityManager,
    reference: string,
    before: PassengerRecord[],
    after: PassengerRecord[],
  ): Promise<void> {
    for (const old of before) {
      const now = after.find((p) => p.passengerId === old.passengerId);
      for (const consent of old.consents.filter((c) => c.granted)) {
        const still = now?.consents.some((c) => c.channel === consent.channel && c.granted) ?? false;
        if (!still) {
          await this.notifications.cancelPending(m, reference, 'consent withdrawn', {
            passengerId: old.passengerId,
            channel: consent.channel,
          });
        }
      }
    }
  }
}

function toPassengers(data: BookingSnapshotData): PassengerRecord[] {
  return data.passengers.map((p) => ({
    bookingReference: data.bookingReference,
    passengerId: p.passengerId,
    title: p.title ?? undefined,
    givenName: p.givenName,
    surname: p.surname,
    locale: p.locale,
    ticketNumber: p.ticketNumber ?? undefined,
    ...splitContacts(p.contacts ?? {}),
    consents: (p.consents ?? []).filter((c) => isChannel(c.channel)).map((c) => ({ channel: c.channel, granted: c.granted })),
  }));
}

/**
 * A contact that cannot be used stays out of `contacts` (so nothing is ever planned to it) and is recorded
 * with its reason instead: it costs its own channel, never the passenger's other channels or the booking.
 */
function splitContacts(given: Contacts): Pick<PassengerRecord, 'contacts' | 'unusableContacts'> {
  const contacts: PassengerRecord['contacts'] = {};
  const unusableContacts: UnusableContact[] = [];
  for (const [key, value] of Object.entries(given)) {
    const channel = channelOfContact(key);
    if (!channel || typeof value !== 'string') continue; // null: not known
    const check = checkContact(channel, value);
    if (check.usable) contacts[channel] = check.value;
    else unusableContacts.push({ channel, reason: check.reason, detail: check.detail });
  }
  unusableContacts.sort((a, b) => a.channel.localeCompare(b.channel));
  return { contacts, unusableContacts };
}

/** The contract names the app account `app`, the channel that reaches its devices is `push`; the rest share names. */
function channelOfContact(key: string): Channel | undefined {
  if (key === 'app') return 'push';
  return isChannel(key) && key !== 'push' ? key : undefined;
}

function toSegments(data: BookingSnapshotData): SegmentRecord[] {
  return data.segments.map((s) => ({
    bookingReference: data.bookingReference,
    segmentId: s.segmentId,
    carrier: s.carrier,
    flightNumber: s.flightNumber,
    departureDate: s.departureDate,
    origin: s.origin,
    destination: s.destination,
    scheduledDeparture: new Date(s.scheduledDeparture).toISOString(),
    scheduledArrival: new Date(s.scheduledArrival).toISOString(),
    cabin: s.cabin ?? undefined,
  }));
}

/** A segment added, removed, retimed or moved to another flight is itinerary news; a cabin note is not. */
export function itineraryChanged(before: SegmentRecord[], after: SegmentRecord[]): boolean {
  const shape = (s: SegmentRecord) =>
    [s.segmentId, s.carrier, s.flightNumber, s.departureDate, s.origin, s.destination, Date.parse(s.scheduledDeparture), Date.parse(s.scheduledArrival)].join('|');
  const a = before.map(shape).sort();
  const b = after.map(shape).sort();
  return a.length !== b.length || a.some((x, i) => x !== b[i]);
}
