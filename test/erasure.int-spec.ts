import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudEvent } from '../src/events/event-types';
import { bookingSnapshot, checkinCompleted, passenger, segment } from '../src/demo/sample-events';
import { CustomerServiceWindowRepository } from '../src/channels/customer-service-window.repository';
import { AuditService } from '../src/ops/audit/audit.service';
import { Clock } from '../src/scheduling/clock';
import { RetentionService } from '../src/privacy/retention.service';
import { count, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

/** A passenger whose every value is distinctive, so a search for it finds only her. */
function person(n: number) {
  return {
    givenName: `Xanthippe${'QZ'[n]}`,
    surname: `Quernbrook${'QZ'[n]}`,
    phone: `+3165550123${n}`,
    email: `xanthippe.quernbrook${n}@example.org`,
  };
}

describe('erasure: nothing of the passenger is left anywhere, counts stay', () => {
  const service = useTestService({ RETENTION_DAYS: '30' });

  const applied = (event: CloudEvent<unknown>) =>
    waitFor(async () => (await count(service.db, `SELECT 1 FROM inbox_events WHERE event_id = $1`, [event.id])) === 1, 15_000, `event ${event.id}`);
  const settled = () => waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE status IN ('pending', 'sending')`)) === 0, 20_000, 'sends');
  const aggregates = (): Promise<{ status: string; channel: string; type: string; n: number }[]> =>
    service.db.query(`SELECT status, channel, type, count(*)::int AS n FROM notifications GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);

  /** Every base table, every row cast to text (and every bytea column decoded), searched case-insensitively. */
  async function tablesHolding(values: string[]): Promise<string[]> {
    const patterns = values.map((v) => `%${v.replace(/^\+/, '')}%`);
    const tables: { table_name: string }[] = await service.db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['parked_events', 'audit_log', 'replays', 'notification_events']));
    const holding: string[] = [];
    for (const { table_name: table } of tables) {
      const byteaColumns: { column_name: string }[] = await service.db.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND data_type = 'bytea'`,
        [table],
      );
      const decoded = byteaColumns.map((c) => ` || ' ' || coalesce(encode(t."${c.column_name}", 'escape'), '')`).join('');
      const n = await count(service.db, `SELECT 1 FROM "${table}" t WHERE (t::text${decoded}) ILIKE ANY($1::text[])`, [patterns]);
      if (n > 0) holding.push(table);
    }
    return holding;
  }

  /** Files in the sandbox outbox whose bytes hold any of the values. */
  function outboxFilesHolding(values: string[]): string[] {
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else {
          const text = readFileSync(path, 'latin1').toLowerCase();
          if (values.some((v) => text.includes(v.replace(/^\+/, '').toLowerCase()))) found.push(path);
        }
      }
    };
    walk(service.config.OUTBOX_DIR);
    return found;
  }

  /** A booking on three channels, checked in (boarding passes with PDF and QR), and a malformed change of it that is parked. */
  async function bookAndPark(ref: string, who: ReturnType<typeof person>, flight: ReturnType<typeof segment>): Promise<string> {
    const pax = passenger({
      passengerId: 'P1',
      givenName: who.givenName,
      surname: who.surname,
      contacts: { whatsapp: who.phone, sms: who.phone, email: who.email },
      consents: [{ channel: 'whatsapp', granted: true }, { channel: 'sms', granted: true }, { channel: 'email', granted: true }],
    });
    const booking = bookingSnapshot('booking.confirmed', { bookingReference: ref, passengers: [pax], segments: [flight] });
    await service.publisher.publish(booking.type, booking);
    await applied(booking);
    const checkin = checkinCompleted({ bookingReference: ref, passengerId: 'P1', segmentId: 'SEG-1', seat: '12C', sequenceNumber: 42, compartment: 'Y', checkedInAt: '2026-11-30T06:00:00Z' });
    await service.publisher.publish(checkin.type, checkin);
    await applied(checkin);
    // The same booking changed without the passenger's locale (a structural fault: an unusable contact alone
    // no longer parks a booking, docs/decisions/0013): parked, its body full of her data.
    const broken = bookingSnapshot('booking.changed', {
      bookingReference: ref,
      passengers: [{ ...pax, locale: undefined as unknown as string, contacts: { whatsapp: who.phone, sms: who.phone, email: who.email } }],
      segments: [flight],
    });
    await service.publisher.publish(broken.type, broken);
    const parked = await waitFor(async () => {
      const rows: { id: string }[] = await service.db.query(`SELECT id FROM parked_events WHERE event_id = $1`, [broken.id]);
      return rows[0]?.id;
    });
    await settled();
    return parked;
  }

  it('erases a booking on request from every table and the outbox: notifications, timeline, parked events, audit, replays, windows', async () => {
    const who = person(0);
    const values = [who.givenName, who.surname, who.phone, who.email];
    const flight = segment({ flightNumber: '7301', departureDate: '2026-12-02', scheduledDeparture: '2026-12-02T07:35:00Z', scheduledArrival: '2026-12-02T08:50:00Z' });
    const parkedId = await bookAndPark('ERAS01', who, flight);

    // Operator actions about her: a replay of one message, a bulk replay filtered on her booking, a consent change.
    const [first]: { id: string }[] = await service.db.query(`SELECT id FROM notifications WHERE booking_reference = 'ERAS01' ORDER BY created_at LIMIT 1`);
    await service.http().post(`/api/notifications/${first.id}/replay`).send({ force: true }).expect(200);
    const job = await service.http().post('/api/replays').send({ bookingReference: 'ERAS01', status: 'delivered', force: true }).expect(202);
    await waitFor(async () => ((await service.http().get(`/api/replays/${job.body.id}`).expect(200)).body.status === 'done' ? true : undefined));
    await settled();
    await service.http().put('/api/bookings/ERAS01/passengers/P1/consents/sms').send({ granted: false }).expect(200);
    // An audit detail that carries her data (a corrected event, a recipient), as a re-drive's may.
    const [parkedBody]: { body: Buffer }[] = await service.db.query(`SELECT body FROM parked_events WHERE id = $1`, [parkedId]);
    await service.app.get(AuditService).record({ actor: 'op', role: 'operator' }, 'dead-letter.redrive', {
      target: parkedId,
      detail: { outcome: 'parked', event: JSON.parse(parkedBody.body.toString('utf8')), recipient: who.phone },
    });
    // She wrote to us on WhatsApp: a customer-service window keyed by her number.
    await service.app.get(CustomerServiceWindowRepository).open('whatsapp', who.phone, new Date());

    const before = await aggregates();
    const holdingBefore = await tablesHolding(values);
    // The search works: it finds her where she is.
    expect(holdingBefore).toEqual(expect.arrayContaining(['passengers', 'notifications', 'parked_events', 'audit_log', 'customer_service_windows']));
    expect(outboxFilesHolding(values).length).toBeGreaterThan(0);

    const erased = await service.http().post('/api/bookings/ERAS01/erase').expect(200);
    expect(erased.body).toMatchObject({ bookingReference: 'ERAS01', passengers: 1, parkedEvents: 1, auditEntries: 1, alreadyPurged: false });
    expect(erased.body.outboxFiles).toBeGreaterThan(0);

    expect(await tablesHolding(values)).toEqual([]);
    expect(outboxFilesHolding(values)).toEqual([]);
    const files = readdirSync(service.config.OUTBOX_DIR, { recursive: true }).map(String);
    const ids: { id: string }[] = await service.db.query(`SELECT id FROM notifications WHERE booking_reference = 'ERAS01'`);
    expect(files.filter((f) => ids.some((n) => f.includes(n.id)))).toEqual([]);

    // Counts and ids stay: notifications by status/channel/type, the parked event with its reason, size and hash, the audit trail.
    expect(await aggregates()).toEqual(before);
    const [parked] = await service.db.query(`SELECT reason_code, body_bytes, octet_length(body)::int AS kept, erased_at FROM parked_events WHERE id = $1`, [parkedId]);
    expect(parked).toMatchObject({ reason_code: 'bad-data', kept: 0, erased_at: expect.any(Date) });
    expect(parked.body_bytes).toBeGreaterThan(100);
    const audit = (await service.http('viewer').get('/api/audit').query({ limit: 100 }).expect(200)).body.items as { action: string; target: string }[];
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['booking.erase', 'replay.one', 'replay.bulk', 'consent.change', 'dead-letter.redrive']));
    expect(audit.find((a) => a.action === 'dead-letter.redrive')?.target).toBe(parkedId);

    // Its erased body cannot be re-driven as it is.
    const refused = await service.http().post(`/api/dead-letters/${parkedId}/redrive`).send({}).expect(409);
    expect(refused.body.message).toMatch(/erased/);
  });

  it('the hourly retention purge erases the same way', async () => {
    const who = person(1);
    const values = [who.givenName, who.surname, who.phone, who.email];
    const flight = segment({ flightNumber: '7302', departureDate: '2026-12-03', scheduledDeparture: '2026-12-03T07:35:00Z', scheduledArrival: '2026-12-03T08:50:00Z' });
    await bookAndPark('PURG01', who, flight);
    expect(await tablesHolding(values)).toEqual(expect.arrayContaining(['passengers', 'parked_events']));
    expect(outboxFilesHolding(values).length).toBeGreaterThan(0);

    jest.spyOn(service.app.get(Clock), 'now').mockReturnValue(new Date('2027-01-03T09:00:00Z')); // 31 days after landing
    expect(await service.app.get(RetentionService).run()).toMatchObject({ ran: true, affected: 1 });

    expect(await tablesHolding(values)).toEqual([]);
    expect(outboxFilesHolding(values)).toEqual([]);
  });
});
