import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/database/data-source';
import { SESSION_OPTIONS } from '../src/database/session-options';
import { createTestEnvironment, TestEnvironment } from './support/test-app';

/** What every session of the service sets (src/database/session-options.ts). */
const SESSION_SETTINGS = `SELECT current_setting('transaction_isolation') AS level, current_setting('random_page_cost') AS cost, current_setting('jit') AS jit`;

describe("the service's database sessions (PostgreSQL)", () => {
  let environment: TestEnvironment;
  let dataSource: DataSource | undefined;

  beforeAll(async () => {
    environment = await createTestEnvironment();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await environment?.dispose();
  });

  it('read committed data in every transaction even where the database defaults to serializable, set once per connection', async () => {
    const url = environment.env.DATABASE_URL;
    const name = new URL(url).pathname.slice(1);
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${name} SET default_transaction_isolation = 'serializable'`);
      // A connection that brings nothing of its own gets the database's default: the setting is in force.
      const plain = new Client({ connectionString: url });
      await plain.connect();
      const { rows } = await plain.query<{ level: string }>(`SELECT current_setting('transaction_isolation') AS level`);
      await plain.end();
      expect(rows[0].level).toBe('serializable');

      dataSource = await createDataSource(url, 2).initialize();
      // A transaction as the ingestor opens it: no isolation level named, so TypeORM sends no SET TRANSACTION.
      const session = await dataSource.transaction(async (m) => {
        const found: { level: string; cost: string; jit: string }[] = await m.query(SESSION_SETTINGS);
        return found[0];
      });
      // And plans its lookups for data in memory or on SSD (decision 0043), never compiling them (decision 0055).
      expect(session).toEqual({ level: 'read committed', cost: '1.1', jit: 'off' });
      // The dispatcher's own connections (claims and write-backs are single statements, still subject to it).
      const dispatch = new Client({ connectionString: url, options: SESSION_OPTIONS });
      await dispatch.connect();
      const own = await dispatch.query<{ level: string; cost: string; jit: string }>(SESSION_SETTINGS);
      await dispatch.end();
      expect(own.rows[0]).toEqual({ level: 'read committed', cost: '1.1', jit: 'off' });
    } finally {
      await admin.query(`ALTER DATABASE ${name} RESET default_transaction_isolation`);
      await admin.end();
    }
  });
});
