import { Client } from 'pg';
import { createDataSource } from '../../src/database/data-source';
import { runMigrationsLocked } from '../../src/database/migrator';

/**
 * Databases for tests, the fault suite and the bench on any PostgreSQL server (`serverUrl` names any
 * database on it): one migrated template per run, and a clone of it (CREATE DATABASE … TEMPLATE) for each
 * test file or bench scenario, so each starts from the same empty, migrated schema without migrating again.
 * Names are interpolated into SQL: callers pass names they made themselves, checked here.
 */

const NAME = /^[a-z_][a-z0-9_]*$/;

function checked(name: string): string {
  if (!NAME.test(name)) throw new Error(`bad database name ${name}`);
  return name;
}

/** The URL of database `name` on the server of `serverUrl`. */
export function databaseOn(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `work` on a connection to the server's `postgres` database. */
export async function withAdmin<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseOn(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new database migrated to the current schema, as the service finds it after its first start; `replace` drops one of that name first. */
export async function createMigratedDatabase(serverUrl: string, name: string, options: { replace?: boolean } = {}): Promise<string> {
  await withAdmin(serverUrl, async (c) => {
    if (options.replace) await c.query(`DROP DATABASE IF EXISTS ${checked(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${checked(name)}`);
  });
  const url = databaseOn(serverUrl, name);
  const dataSource = await createDataSource(url, 2).initialize();
  try {
    await runMigrationsLocked(dataSource);
  } finally {
    await dataSource.destroy();
  }
  return url;
}

/** A copy of `template` (a migrated database nobody is connected to) as `name`; `replace` drops one of that name first. */
export async function cloneDatabase(serverUrl: string, template: string, name: string, options: { replace?: boolean } = {}): Promise<string> {
  await withAdmin(serverUrl, async (c) => {
    if (options.replace) await c.query(`DROP DATABASE IF EXISTS ${checked(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${checked(name)} TEMPLATE ${checked(template)}`);
  });
  return databaseOn(serverUrl, name);
}

/** Drops the databases, disconnecting whoever is still on them. */
export async function dropDatabases(serverUrl: string, names: Iterable<string>): Promise<void> {
  await withAdmin(serverUrl, async (c) => {
    for (const name of names) await c.query(`DROP DATABASE IF EXISTS ${checked(name)} WITH (FORCE)`);
  });
}
