import type { EntityManager } from 'typeorm';
import { BookingRepository } from '../src/bookings/booking.repository';
import { RetentionRepository } from '../src/privacy/retention.repository';
import { planNodes, sequentiallyScanned, watchingStatements, type PlanNode, type SentStatement } from './support/statements';
import { useTestService } from './support/use-test-service';

/**
 * A passenger found by a contact — a STOP reply's consent withdrawal, erasure keeping a contact's bookkeeping while
 * another booking names it — goes through the passengers_contacts index, never a read of every passenger
 * (docs/decisions/0055).
 */
describe('passengers found by a contact', () => {
  const service = useTestService({ CONSUMER_ENABLED: 'false', DISPATCHER_ENABLED: 'false', SCHEDULER_ENABLED: 'false' });

  beforeAll(async () => {
    // Enough passengers that reading all of them is a plan PostgreSQL would only choose without an index to use.
    await service.db.query(`INSERT INTO bookings (booking_reference, snapshot_time) SELECT 'CX' || i, now() FROM generate_series(1, 3000) i`);
    await service.db.query(
      `INSERT INTO passengers (booking_reference, passenger_id, given_name, surname, locale, contacts)
       SELECT 'CX' || i, 'P1', 'Anna', 'Jansen', 'nl',
              jsonb_build_object('whatsapp', '+3161' || lpad(i::text, 7, '0'), 'email', 'cx' || i || '@example.com', 'push', 'acct-' || i)
         FROM generate_series(1, 3000) i`,
    );
    await service.db.query(
      `INSERT INTO consents (booking_reference, passenger_id, channel, granted, preference)
       SELECT 'CX' || i, 'P1', c.channel, true, c.preference FROM generate_series(1, 3000) i, (VALUES ('whatsapp', 0), ('email', 1)) AS c(channel, preference)`,
    );
    await service.db.query(`ANALYZE bookings, passengers, consents`);
  });

  /** The statements `work` runs whose text matches `pattern`, rolled back, each with its parameters. */
  async function statementsOf(pattern: RegExp, work: (m: EntityManager) => Promise<unknown>): Promise<SentStatement[]> {
    const seen: SentStatement[] = [];
    const runner = service.db.createQueryRunner();
    try {
      await runner.startTransaction();
      await watchingStatements(
        (sql, parameters) => {
          if (pattern.test(sql)) seen.push({ sql, parameters });
        },
        () => work(runner.manager),
      );
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    return seen;
  }

  const usesContactsIndex = (plan: PlanNode[]) => plan.some((n) => n['Index Name'] === 'passengers_contacts');

  it('withdraws consent for a STOP reply through the index, and from that passenger only', async () => {
    const bookings = service.app.get(BookingRepository);
    const [statement] = await statementsOf(/contacts @>/, async (m) => {
      expect(await bookings.withdrawConsentByContact(m, 'whatsapp', '+31610001234')).toBe(1);
    });
    const plan = await planNodes(service.db, statement);
    expect(usesContactsIndex(plan)).toBe(true);
    expect(sequentiallyScanned(plan)).not.toContain('passengers');
  });

  it("erases a booking, asking through the index whether another booking names each of its contacts", async () => {
    const retention = service.app.get(RetentionRepository);
    const statements = await statementsOf(/contacts @>/, (m) => retention.erase(m, 'CX42'));
    expect(statements).toHaveLength(2);
    for (const statement of statements) {
      const plan = await planNodes(service.db, statement);
      expect(usesContactsIndex(plan)).toBe(true);
      expect(sequentiallyScanned(plan)).not.toContain('passengers');
    }
  });
});
