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

  it('move the contexts of notifications stored before 1764000023000 to their own table, and back on a rollback', async () => {
    const ds = await createDataSource(url, 2).initialize();
    try {
      await runMigrationsLocked(ds);
      await ds.undoLastMigration(); // the passengers' contacts index
      await ds.undoLastMigration(); // the schema before notification_contexts
      const context = { type: 'flight-delay', locale: 'en', booking: { reference: 'MIG001' }, passenger: { givenName: 'Ada', surname: 'Lovelace' } };
      const [{ id }]: { id: string }[] = await ds.query(
        `INSERT INTO notifications (dedupe_key, type, channel, booking_reference, passenger_id, locale, recipient, context, event_source, event_id)
         VALUES ('mig:1', 'flight-delay', 'sms', 'MIG001', 'P1', 'en', '+31612345678', $1, '/test', 'mig:1') RETURNING id`,
        [JSON.stringify(context)],
      );
      expect(await runMigrationsLocked(ds)).toEqual(['NotificationContexts1764000023000', 'PassengerContactsIndex1764000024000']);
      expect(await ds.query(`SELECT context FROM notification_contexts WHERE id = $1`, [id])).toEqual([{ context }]);
      expect(await ds.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'notifications' AND column_name = 'context'`)).toEqual([]);

      await ds.undoLastMigration();
      await ds.undoLastMigration();
      expect(await ds.query(`SELECT context FROM notifications WHERE id = $1`, [id])).toEqual([{ context }]);
      await runMigrationsLocked(ds);
    } finally {
      await ds.destroy();
    }
  });

  it("index the passengers' contacts, and drop the index on a rollback", async () => {
    const ds = await createDataSource(url, 2).initialize();
    const indexed = async () => (await ds.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'passengers_contacts'`)).map((r: { indexdef: string }) => r.indexdef);
    try {
      await runMigrationsLocked(ds);
      expect(await indexed()).toEqual(['CREATE INDEX passengers_contacts ON public.passengers USING gin (contacts jsonb_path_ops)']);
      await ds.undoLastMigration();
      expect(await indexed()).toEqual([]);
      expect(await runMigrationsLocked(ds)).toEqual(['PassengerContactsIndex1764000024000']);
      expect(await indexed()).toHaveLength(1);
    } finally {
      await ds.destroy();
    }
  });
});
