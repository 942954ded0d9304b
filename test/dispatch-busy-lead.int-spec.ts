import { ChannelRegistry } from '../src/channels/channel-registry.service';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { ScriptedAdapter } from './support/scripted-adapter';
import { count, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

/** A provider answering after this long: lane 0 stays in its first batch for as long. */
const SLOW_ANSWER_MS = 8_000;

/**
 * Lane 0 of a channel is woken by the NOTIFY of each planning commit; the helper lanes only when lane 0 claims a
 * full batch. Work that arrives while lane 0 sits in a long batch (a slow provider, a cold start) must not wait
 * for that batch to end: a helper lane takes it.
 */
describe('dispatcher: new work while lane 0 is in a long batch', () => {
  const service = useTestService();
  const sms = new ScriptedAdapter('slow-sms').answerAfter(SLOW_ANSWER_MS);

  beforeAll(() => service.app.get(ChannelRegistry).use('sms', sms));

  const book = async (reference: string, flightNumber: string, phone: string) => {
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: reference,
      passengers: [passenger({ passengerId: 'P1', contacts: { sms: phone }, consents: [{ channel: 'sms', granted: true }] })],
      segments: [segment({ flightNumber })],
    });
    await service.publisher.publish(event.type, event);
  };
  const sentTo = (reference: string) => sms.sent.find((s) => s.message.content.text.includes(reference));

  it('sends the second booking while the first is still waiting for the provider', async () => {
    await book('BUSY01', '7401', '+31612340001');
    const first = await waitFor(async () => sentTo('BUSY01'), 15_000, 'the first booking handed to the provider');

    await book('BUSY02', '7402', '+31612340002');
    const second = await waitFor(async () => sentTo('BUSY02'), 15_000, 'the second booking handed to the provider');
    // Lane 0 is still waiting for the first answer: only a helper lane can have sent the second.
    expect(second.at).toBeLessThan(first.at + SLOW_ANSWER_MS);
    expect(sms.sent).toHaveLength(2);

    const sent = `SELECT 1 FROM notifications WHERE booking_reference IN ('BUSY01', 'BUSY02') AND status = 'sent'`;
    await waitFor(async () => (await count(service.db, sent)) === 2, 30_000, 'both written back');
  }, 60_000);
});
