import { Client, Pool } from 'pg';
import { createDataSource } from '../../src/database/data-source';
import { runMigrationsLocked } from '../../src/database/migrator';
import type { BenchSettings } from './settings';

/** A database URL on the bench's PostgreSQL server. */
export function databaseUrl(settings: BenchSettings, name: string): string {
  const url = new URL(settings.pgUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(settings: BenchSettings, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl(settings, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A scenario's own database, with a small pool for the bench's own queries. */
export class BenchDatabase {
  readonly pool: Pool;

  constructor(
    readonly name: string,
    readonly url: string,
  ) {
    this.pool = new Pool({ connectionString: url, max: 4, application_name: 'notifier-bench' });
    // An idle connection closed by the server (a restart by someone's fault test): the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  async one<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> {
    return (await this.query<T>(sql, params))[0];
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * `<prefix>_template` is migrated once per run; each scenario gets `<prefix>_<label>`, recreated from it
 * (CREATE DATABASE … TEMPLATE), so every scenario starts from the same empty, migrated schema.
 */
export class BenchDatabases {
  private readonly created = new Set<string>();
  private readonly template: string;

  constructor(private readonly settings: BenchSettings) {
    if (!/^[a-z_][a-z0-9_]*$/.test(settings.databasePrefix)) throw new Error(`bad database prefix ${settings.databasePrefix}`);
    this.template = `${settings.databasePrefix}_template`;
  }

  async prepareTemplate(): Promise<void> {
    await admin(this.settings, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${this.template} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${this.template}`);
    });
    const dataSource = await createDataSource(databaseUrl(this.settings, this.template), 2).initialize();
    try {
      await runMigrationsLocked(dataSource);
    } finally {
      await dataSource.destroy();
    }
  }

  async create(label: string): Promise<BenchDatabase> {
    const name = `${this.settings.databasePrefix}_${label.replace(/[^a-z0-9]+/g, '_')}`;
    await admin(this.settings, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${name} TEMPLATE ${this.template}`);
    });
    this.created.add(name);
    return new BenchDatabase(name, databaseUrl(this.settings, name));
  }

  async drop(db: BenchDatabase): Promise<void> {
    await db.close().catch(() => undefined);
    if (this.settings.keepDatabases) return;
    await admin(this.settings, (c) => c.query(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`));
    this.created.delete(db.name);
  }

  async dispose(): Promise<void> {
    if (this.settings.keepDatabases) return;
    await admin(this.settings, async (c) => {
      for (const name of [...this.created, this.template]) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
    this.created.clear();
  }
}

export async function postgresVersion(settings: BenchSettings): Promise<string> {
  return admin(settings, async (c) => (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v);
}
