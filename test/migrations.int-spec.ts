import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource } from '../src/database/data-source';
import { ensureDatabaseExists, runMigrationsLocked } from '../src/database/migrator';
import { MIGRATIONS } from '../migrations';
import { adminUrl, databaseUrl } from './support/servers';

describe('migrations at start-up', () => {
  const name = `notifier_t_${process.env.NOTIFIER_TEST_RUN}_mig${randomBytes(3).toString('hex')}`;
  const url = databaseUrl(name);

  afterAll(async () => {
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('are safe when several replicas start at once: applied exactly once, all replicas start', async () => {
    await ensureDatabaseExists(url);
    await ensureDatabaseExists(url); // a second replica finding it there already
    const replicas = await Promise.all([1, 2, 3].map(() => createDataSource(url, 2).initialize()));
    try {
      const applied = await Promise.all(replicas.map((ds) => runMigrationsLocked(ds)));
      expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => new m().name).sort());
      const rows: { name: string }[] = await replicas[0].query(`SELECT name FROM schema_migrations`);
      expect(rows).toHaveLength(MIGRATIONS.length);
      // And the schema works in reverse too, for a rollback.
      for (let i = 0; i < MIGRATIONS.length; i++) await replicas[0].undoLastMigration();
      const left: { n: number }[] = await replicas[0].query(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`,
      );
      expect(left[0].n).toBe(0);
    } finally {
      await Promise.all(replicas.map((ds) => ds.destroy()));
    }
  });
});
