import amqp, { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import { bookingSnapshot, passenger, segment } from '../../../src/demo/sample-events';

const contacts = passenger({ passengerId: 'P1' }).contacts;
const STREAM_CONSENTS = (['whatsapp', 'sms'] as const).map((channel) => ({ channel, granted: true, at: '2026-11-20T10:00:00Z' }));

/**
 * A steady stream of booking events, published with confirms through a reconnecting connection (as a
 * well-behaved producer would), each id remembered for the reconciliation.
 */
export class EventStream {
  readonly published: string[] = [];
  private running = false;
  private loop?: Promise<void>;
  private readonly connection: AmqpConnectionManager;
  private readonly channel: ChannelWrapper;
  private n = 0;

  constructor(url: string, private readonly exchange: string, private readonly prefix: string) {
    this.connection = amqp.connect([url], { reconnectTimeInSeconds: 0.5 });
    this.channel = this.connection.createChannel({ confirm: true, publishTimeout: 120_000 });
  }

  start(perSecond: number): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const started = Date.now();
        await Promise.all(Array.from({ length: Math.max(1, Math.round(perSecond / 10)) }, () => this.publishOne()));
        await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - started))));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  private async publishOne(): Promise<void> {
    const i = this.n++;
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: `${this.prefix}${i.toString(36).toUpperCase().padStart(6 - this.prefix.length, '0')}`,
      // WhatsApp and SMS through their contract servers, and the partner webhook: three providers measured.
      // A number of its own per booking for SMS: the in-doubt lookup lists one number's messages of the day, and
      // one number with thousands of messages a day is no passenger's.
      passengers: [passenger({ passengerId: 'P1', contacts: { ...contacts, sms: `+3168${String(i).padStart(7, '0')}` }, consents: STREAM_CONSENTS })],
      segments: [segment({ flightNumber: String(1000 + (i % 50)) })],
    });
    const body = Buffer.from(JSON.stringify(event));
    // Until the broker confirms it: a publish cut off by a broker restart is sent again (same id, so harmless).
    for (;;) {
      try {
        await this.channel.publish(this.exchange, event.type, body, { persistent: true });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    this.published.push(event.id);
  }
}
