import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DeliveryChannel, NotificationType } from '../vocabulary/notification-types';
import type { RenderContext } from '../vocabulary/render-context';
import { NEWS_PRIORITY } from './flight-news';
import { keysMatchFew } from '../notifications/notification-keys';
import { NOTIFICATION_WITH_CONTEXT } from '../notifications/notification-records';

/** A flight-news notification still waiting to be sent. */
export interface PendingFlightNews {
  id: string;
  type: NotificationType;
  channel: DeliveryChannel;
  recipient: string;
  bookingReference: string;
  passengerId: string;
  context: RenderContext;
  dueAt: Date;
}

/** The flight-news side of the notifications table, for coalescing. */
@Injectable()
export class FlightNewsRepository {
  /**
   * The pending news of one flight, oldest first, locked: the dispatcher (SKIP LOCKED) will not claim
   * them while this transaction decides whether they are superseded. Callers hold the flight's
   * flight_status row lock, so no other snapshot of the flight adds news meanwhile.
   */
  async lockPending(m: EntityManager, flightKey: string): Promise<PendingFlightNews[]> {
    const rows: {
      id: string;
      type: NotificationType;
      channel: DeliveryChannel;
      recipient: string;
      booking_reference: string;
      passenger_id: string;
      context: RenderContext;
      due_at: Date;
    }[] = await m.query(
      `SELECT n.id, n.type, n.channel, n.recipient, n.booking_reference, n.passenger_id, c.context, n.due_at
         FROM ${NOTIFICATION_WITH_CONTEXT}
        WHERE ${keysMatchFew('flight_key = $1 AND type = ANY($2)', 'n')} AND n.status = 'pending'
        ORDER BY n.created_at, n.id
          FOR UPDATE OF n`,
      [flightKey, [...NEWS_PRIORITY]],
    );
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      channel: r.channel,
      recipient: r.recipient,
      bookingReference: r.booking_reference,
      passengerId: r.passenger_id,
      context: r.context,
      dueAt: r.due_at,
    }));
  }

  /** The database's clock (the transaction's start): due times must agree with the dispatcher's `now()`. */
  async now(m: EntityManager): Promise<Date> {
    const rows: { now: Date }[] = await m.query(`SELECT now() AS now`);
    return rows[0].now;
  }
}
