import type { CloudEvent, FlightStatusData, Segment } from '../src/events/event-types';
import { bookingSnapshot, flightStatus, passenger, segment } from '../src/demo/sample-events';
import { count, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

const NEWS = `('flight-delay','gate-change','boarding-started','flight-cancellation','flight-diversion','baggage-belt')`;
const at = (base: string, minutes: number) => new Date(Date.parse(base) + minutes * 60_000).toISOString().replace('.000Z', 'Z');

describe('flight news: once, current, never stale (coalescing window 2 s, urgent 1 s)', () => {
  const service = useTestService({ FLIGHT_NEWS_WINDOW_SECONDS: '2', URGENT_NEWS_WINDOW_SECONDS: '1' });

  interface Row {
    id: string;
    passenger_id: string;
    channel: string;
    type: string;
    status: string;
    due_at: Date;
    created_at: Date;
    text: string | null;
  }
  const newsOf = (ref: string): Promise<Row[]> =>
    service.db.query(
      `SELECT id, passenger_id, channel, type, status, due_at, created_at, coalesce(content->>'text', '') AS text
         FROM notifications WHERE booking_reference = $1 AND type IN ${NEWS} ORDER BY created_at, id`,
      [ref],
    );
  const sent = async (ref: string) => (await newsOf(ref)).filter((r) => r.status === 'sent' || r.status === 'delivered');
  const applied = (event: CloudEvent<unknown>) =>
    waitFor(async () => (await count(service.db, `SELECT 1 FROM inbox_events WHERE event_id = $1`, [event.id])) === 1, 60_000, `event ${event.id}`);

  async function book(ref: string, seg: Segment, twoChannels = true): Promise<void> {
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: ref,
      passengers: [
        passenger({
          passengerId: 'P1',
          contacts: { whatsapp: '+31611111111', email: `${ref.toLowerCase()}@example.com` },
          consents: twoChannels ? [{ channel: 'whatsapp', granted: true }, { channel: 'email', granted: true }] : [{ channel: 'whatsapp', granted: true }],
        }),
        passenger({ passengerId: 'P2', givenName: 'Anna', contacts: { whatsapp: '+31622222222' }, consents: [{ channel: 'whatsapp', granted: true }] }),
      ],
      segments: [seg],
    });
    await service.publisher.publish(event.type, event);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = $1 AND status = 'delivered'`, [ref])) === (twoChannels ? 3 : 2));
  }

  async function publishAll(events: CloudEvent<FlightStatusData>[]): Promise<void> {
    for (const e of events) await service.publisher.publish(e.type, e);
    for (const e of events) await applied(e);
  }

  it('turns a burst of 10 snapshots into one message per passenger and channel, with the final state, due when the first news was', async () => {
    const seg = segment({ flightNumber: '6001' });
    await book('BURST1', seg);
    const burst = Array.from({ length: 10 }, (_, i) => {
      const v = i + 1;
      return flightStatus(seg, v, {
        status: 'DELAYED',
        estimatedDeparture: at(seg.scheduledDeparture, 15 * v),
        departureGate: v < 4 ? 'D7' : v < 8 ? 'E2' : 'F4',
        departureTerminal: v < 8 ? '2' : '3',
        reason: 'late inbound aircraft',
      });
    });
    // The last snapshot is redelivered too: the inbox makes it harmless.
    await publishAll([...burst, burst[9]]);

    await waitFor(async () => (await sent('BURST1')).length === 3, 60_000, 'three flight-news messages');
    await new Promise((r) => setTimeout(r, 2_500)); // any straggler would be due by now
    const rows = await newsOf('BURST1');
    const out = await sent('BURST1');
    expect(out.map((r) => `${r.passenger_id}/${r.channel}/${r.type}`).sort()).toEqual(['P1/email/flight-delay', 'P1/whatsapp/flight-delay', 'P2/whatsapp/flight-delay']);
    // Everything else was superseded (the consumer may take a burst out of order; older versions change nothing).
    const kept = new Set(out.map((r) => r.id));
    expect(rows.filter((r) => !kept.has(r.id)).map((r) => r.status)).toEqual(rows.filter((r) => !kept.has(r.id)).map(() => 'superseded'));

    // The final state: 150 minutes late (08:35 in Amsterdam + 150 min = 11:05), gate F4 (was D7), terminal 3.
    const whatsapp = out.find((r) => r.passenger_id === 'P2');
    expect(whatsapp?.text).toContain('150 minutes');
    expect(whatsapp?.text).toContain('11:05');
    expect(whatsapp?.text).toContain('F4');
    expect(whatsapp?.text).toContain('was D7');
    const [context] = await service.db.query(`SELECT context FROM notification_contexts WHERE id = $1`, [whatsapp?.id]);
    expect(context.context).toMatchObject({
      delay: { minutes: 150, earlier: false },
      previous: { estimatedDeparture: seg.scheduledDeparture, departureGate: 'D7', departureTerminal: '2' },
      flight: { departureGate: 'F4', departureTerminal: '3' },
    });

    // The window ran from the first news: the surviving message kept the first one's due time.
    const first = rows.find((r) => r.passenger_id === 'P2');
    expect(whatsapp?.due_at.getTime()).toBe(first?.due_at.getTime());
    expect((first?.due_at.getTime() ?? 0) - (first?.created_at.getTime() ?? 0)).toBeGreaterThanOrEqual(1_900);
  });

  it('ignores versions older than or equal to the one applied, and applies newer ones in order', async () => {
    const seg = segment({ flightNumber: '6002' });
    await book('ORDER1', seg, false);
    const v3 = flightStatus(seg, 3, { status: 'DELAYED', estimatedDeparture: at(seg.scheduledDeparture, 45) });
    const v2 = flightStatus(seg, 2, { status: 'CANCELLED' });
    const v3again = flightStatus(seg, 3, { status: 'DELAYED', estimatedDeparture: at(seg.scheduledDeparture, 45), departureGate: 'Z9' });
    const v5 = flightStatus(seg, 5, { status: 'DELAYED', estimatedDeparture: at(seg.scheduledDeparture, 45), departureGate: 'E5' });
    for (const e of [v3, v2, v3again]) await publishAll([e]); // one at a time: the order is the point here
    const [state] = await service.db.query(`SELECT version, status, snapshot->>'departureGate' AS gate FROM flight_status WHERE flight_number = '6002'`);
    expect(state).toEqual({ version: 3, status: 'DELAYED', gate: 'D7' });
    expect((await newsOf('ORDER1')).map((r) => r.type)).toEqual(['flight-delay', 'flight-delay']);

    await publishAll([v5]);
    await waitFor(async () => (await sent('ORDER1')).length === 2, 60_000, 'the merged messages');
    const out = await sent('ORDER1');
    // v3's delay was still waiting when v5 moved the gate: one message tells both.
    expect(out.map((r) => r.type)).toEqual(['flight-delay', 'flight-delay']);
    expect(out.every((r) => r.text?.includes('E5'))).toBe(true);
    expect(await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'ORDER1' AND type = 'flight-cancellation'`)).toBe(0);
  });

  it('lets a cancellation supersede the delay still waiting: only the cancellation is sent', async () => {
    const seg = segment({ flightNumber: '6003' });
    await book('CANCL1', seg, false);
    const delay = flightStatus(seg, 1, { status: 'DELAYED', estimatedDeparture: at(seg.scheduledDeparture, 60) });
    const gate = flightStatus(seg, 2, { status: 'DELAYED', estimatedDeparture: at(seg.scheduledDeparture, 60), departureGate: 'E9' });
    const cancel = flightStatus(seg, 3, { status: 'CANCELLED', reason: 'storm' });
    await publishAll([delay, gate, cancel]);
    await waitFor(async () => (await sent('CANCL1')).length === 2, 60_000, 'the cancellations');
    await new Promise((r) => setTimeout(r, 2_500));
    const rows = await newsOf('CANCL1');
    expect((await sent('CANCL1')).map((r) => r.type)).toEqual(['flight-cancellation', 'flight-cancellation']);
    expect(rows.filter((r) => r.type !== 'flight-cancellation').every((r) => r.status === 'superseded')).toBe(true);
    const superseded = rows.find((r) => r.type === 'flight-delay');
    const timeline: { kind: string; detail: { reason: string } }[] = await service.db.query(
      `SELECT kind, detail FROM notification_events WHERE notification_id = $1 ORDER BY id`,
      [superseded?.id],
    );
    expect(timeline.map((t) => t.kind)).toEqual(['superseded']);
  });

  it('never retracts what was sent: later news is a message of its own, and news undone in time says nothing', async () => {
    const seg = segment({ flightNumber: '6004' });
    await book('KEEP01', seg, false);
    const delay = flightStatus(seg, 1, { status: 'DELAYED', estimatedDeparture: at(seg.scheduledDeparture, 40) });
    await publishAll([delay]);
    await waitFor(async () => (await sent('KEEP01')).length === 2, 60_000, 'the delay');
    const gate = flightStatus(seg, 2, { status: 'DELAYED', estimatedDeparture: at(seg.scheduledDeparture, 40), departureGate: 'G1' });
    await publishAll([gate]);
    await waitFor(async () => (await sent('KEEP01')).length === 4, 60_000, 'the gate change');
    const out = await sent('KEEP01');
    expect(out.map((r) => r.type)).toEqual(['flight-delay', 'flight-delay', 'gate-change', 'gate-change']);
    expect(out[2].text).not.toContain('delayed');

    // Moved to G2 and straight back to G1 within the window: nothing left to tell.
    await publishAll([
      flightStatus(seg, 3, { status: 'DELAYED', estimatedDeparture: at(seg.scheduledDeparture, 40), departureGate: 'G2' }),
      flightStatus(seg, 4, { status: 'DELAYED', estimatedDeparture: at(seg.scheduledDeparture, 40), departureGate: 'G1' }),
    ]);
    // Boarding, then departed before boarding news went out: stale, not sent.
    await publishAll([
      flightStatus(seg, 5, { status: 'BOARDING', estimatedDeparture: at(seg.scheduledDeparture, 40), departureGate: 'G1' }),
      flightStatus(seg, 6, { status: 'DEPARTED', estimatedDeparture: at(seg.scheduledDeparture, 40), departureGate: 'G1' }),
    ]);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await sent('KEEP01')).toHaveLength(4);
    expect(await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'KEEP01' AND status = 'pending'`)).toBe(0);
  });
});

describe('flight news on a lane that does not take the main type (FIRST_CHANNEL_ONLY_TYPES=flight-delay)', () => {
  const service = useTestService({ FLIGHT_NEWS_WINDOW_SECONDS: '2', FIRST_CHANNEL_ONLY_TYPES: 'flight-delay' });

  it('sends the merged facts as the next type that lane takes', async () => {
    const seg = segment({ flightNumber: '6101' });
    const booking = bookingSnapshot('booking.confirmed', {
      bookingReference: 'LANE01',
      passengers: [passenger({ passengerId: 'P1', contacts: { whatsapp: '+31611116101', email: 'lane@example.com' }, consents: [{ channel: 'email', granted: true }, { channel: 'whatsapp', granted: true }] })],
      segments: [seg],
    });
    await service.publisher.publish(booking.type, booking);
    const known = flightStatus(seg, 1);
    const gate = flightStatus(seg, 2, { departureGate: 'E2' });
    const delay = flightStatus(seg, 3, { status: 'DELAYED', estimatedDeparture: at(seg.scheduledDeparture, 45), departureGate: 'E2' });
    for (const e of [booking, known, gate, delay]) {
      if (e !== booking) await service.publisher.publish(e.type, e);
      await service.publisher.publish(e.type, e);
      await waitFor(async () => (await count(service.db, `SELECT 1 FROM inbox_events WHERE event_id = $1`, [e.id])) === 1);
    }
    const sent = () =>
      service.db.query(
        `SELECT channel, type, content->>'text' AS text FROM notifications
          WHERE booking_reference = 'LANE01' AND type IN ${NEWS} AND status IN ('sent', 'delivered') ORDER BY channel`,
      ) as Promise<{ channel: string; type: string; text: string }[]>;
    await waitFor(async () => (await sent()).length === 2, 60_000, 'two messages');
    const [email, whatsapp] = await sent();
    expect(email).toMatchObject({ channel: 'email', type: 'flight-delay' });
    expect(email.text).toContain('E2');
    expect(whatsapp).toMatchObject({ channel: 'whatsapp', type: 'gate-change' });
    expect(whatsapp.text).toContain('45 minutes');
  });
});
