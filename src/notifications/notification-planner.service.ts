import { Injectable } from '@nestjs/common';
import { PLANNING_CONFIG, PlanningConfig, InjectConfig } from '../config/config-slices';
import type { PassengerRecord } from '../vocabulary/booking-records';
import type { RenderContext } from '../vocabulary/render-context';
import type { EventRef, NotificationPlan } from './notification-plan';
import type { Channel, DeliveryChannel, NotificationType } from '../vocabulary/notification-types';

/** What the event handler knows about the news; the planner adds who hears it and where. */
export type NewsFacts = Omit<RenderContext, 'type' | 'locale' | 'passenger' | 'booking'>;

/** The channels a passenger may be reached on: granted consent and a contact, in their order of preference. */
export function reachableChannels(passenger: PassengerRecord): { channel: Channel; recipient: string }[] {
  const result: { channel: Channel; recipient: string }[] = [];
  for (const consent of passenger.consents) {
    const recipient = passenger.contacts[consent.channel];
    if (consent.granted && recipient && !result.some((r) => r.channel === consent.channel)) {
      result.push({ channel: consent.channel, recipient });
    }
  }
  return result;
}

/** One notification per (event, passenger, channel, type): replaying the event yields the same keys. */
export function dedupeKey(event: EventRef, passenger: PassengerRecord, channel: string, type: NotificationType): string {
  return `${event.source}|${event.id}|${passenger.bookingReference}/${passenger.passengerId}|${channel}|${type}`;
}

/** Decides who gets what, on which channels. Pure: no I/O. */
@Injectable()
export class NotificationPlanner {
  private readonly firstChannelOnly: ReadonlySet<NotificationType>;
  private readonly partners: PlanningConfig['PARTNER_WEBHOOKS'];

  constructor(@InjectConfig(PLANNING_CONFIG) config: Pick<PlanningConfig, 'FIRST_CHANNEL_ONLY_TYPES'> & Partial<Pick<PlanningConfig, 'PARTNER_WEBHOOKS'>>) {
    this.firstChannelOnly = new Set(config.FIRST_CHANNEL_ONLY_TYPES);
    this.partners = config.PARTNER_WEBHOOKS ?? [];
  }

  plan(
    type: NotificationType,
    event: EventRef,
    passenger: PassengerRecord,
    facts: NewsFacts,
    flightKey?: string,
  ): NotificationPlan[] {
    let channels = reachableChannels(passenger);
    if (this.firstChannelOnly.has(type)) channels = channels.slice(0, 1);
    const context: RenderContext = {
      ...facts,
      type,
      locale: passenger.locale,
      passenger: {
        givenName: passenger.givenName,
        surname: passenger.surname,
        ...(passenger.title ? { title: passenger.title } : {}),
        ...(type === 'boarding-pass' && passenger.ticketNumber ? { ticketNumber: passenger.ticketNumber } : {}),
      },
      booking: { reference: passenger.bookingReference },
    };
    const toPlan = (channel: DeliveryChannel, recipient: string, keyChannel: string): NotificationPlan => ({
      dedupeKey: dedupeKey(event, passenger, keyChannel, type),
      type,
      channel,
      recipient,
      locale: passenger.locale,
      bookingReference: passenger.bookingReference,
      passengerId: passenger.passengerId,
      flightKey,
      eventSource: event.source,
      eventId: event.id,
      context,
    });
    const messages = channels.map(({ channel, recipient }) => toPlan(channel, recipient, channel));
    // Partners (a CRM, a travel agent) subscribed to this type get the facts by signed webhook. That is the
    // airline's data-processing agreement with them, not a message to the passenger: no consent needed, and
    // the context they receive carries no phone number or e-mail address.
    const forwarded = this.partners
      .filter((partner) => !partner.types || partner.types.includes(type))
      .map((partner) => toPlan('webhook', partner.name, `webhook:${partner.name}`));
    return [...messages, ...forwarded];
  }
}
