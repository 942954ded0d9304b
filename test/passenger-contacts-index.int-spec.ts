import { EntityManager } from 'typeorm';
import { BookingRepository } from '../src/bookings/booking.repository';
import { RetentionRepository } from '../src/privacy/retention.repository';
import { useTestService } from './support/use-test-service';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

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
  async function statementsOf(pattern: RegExp, work: (m: EntityManager) => Promise<unknown>): Promise<{ sql: string; parameters: unknown[] }[]> {
    const seen: { sql: string; parameters: unknown[] }[] = [];
    const original = EntityManager.prototype.query;
    const query = jest.spyOn(EntityManager.prototype, 'query').mockImplementation(function (this: EntityManager, sql: string, parameters?: Parameters<EntityManager['query']>[1]) {
      if (pattern.test(sql)) seen.push({ sql, parameters: Array.isArray(parameters) ? parameters : [] });
      return original.call(this, sql, parameters);
    });
    const runner = service.db.createQueryRunner();
    try {
      await runner.startTransaction();
      await work(runner.manager);
    } finally {
      query.mockRestore();
      await runner.rollbackTransaction();
      await runner.release();
    }
    return seen;
  }

  async function planOf(statement: { sql: string; parameters: unknown[] }): Promise<PlanNode[]> {
    // EXPLAIN alone plans the statement without running it.
    const [row] = (await service.db.query(`EXPLAIN (FORMAT JSON) ${statement.sql}`, statement.parameters)) as { 'QUERY PLAN': { Plan: PlanNode }[] }[];
    return nodes(row['QUERY PLAN'][0].Plan);
  }

  const passengerScans = (plan: PlanNode[]) => plan.filter((n) => n['Relation Name'] === 'passengers' && !n['Index Name']).map((n) => n['Node Type']);
  const usesContactsIndex = (plan: PlanNode[]) => plan.some((n) => n['Index Name'] === 'passengers_contacts');

  it('withdraws consent for a STOP reply through the index, and from that passenger only', async () => {
    const bookings = service.app.get(BookingRepository);
    const [statement] = await statementsOf(/contacts @>/, async (m) => {
      expect(await bookings.withdrawConsentByContact(m, 'whatsapp', '+31610001234')).toBe(1);
    });
    const plan = await planOf(statement);
    expect(usesContactsIndex(plan)).toBe(true);
    expect(passengerScans(plan).filter((type) => type === 'Seq Scan')).toEqual([]);
  });

  it("erases a booking, asking through the index whether another booking names each of its contacts", async () => {
    const retention = service.app.get(RetentionRepository);
    const statements = await statementsOf(/contacts @>/, (m) => retention.erase(m, 'CX42'));
    expect(statements).toHaveLength(2);
    for (const statement of statements) {
      const plan = await planOf(statement);
      expect(usesContactsIndex(plan)).toBe(true);
      expect(passengerScans(plan).filter((type) => type === 'Seq Scan')).toEqual([]);
    }
  });
});
