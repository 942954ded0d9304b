import { dropDatabases, withAdmin } from './databases';
import { PG_URL, testDatabasePrefix } from './servers';

/** Drops the template and every database cloned from it in this run. */
export default async function globalTeardown(): Promise<void> {
  const template = process.env.NOTIFIER_TEST_TEMPLATE;
  const rows = await withAdmin(PG_URL, (c) =>
    c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`, [template, `${testDatabasePrefix()}%`]),
  );
  await dropDatabases(PG_URL, rows.rows.map((r) => r.datname));
}
