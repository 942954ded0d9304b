import { Client } from 'pg';
import { adminUrl } from './servers';

/** Drops the template and every database cloned from it in this run. */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.NOTIFIER_TEST_RUN;
  const template = process.env.NOTIFIER_TEST_TEMPLATE;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    const rows = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
      [template, `notifier_t_${run}_%`],
    );
    for (const { datname } of rows.rows) {
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}
