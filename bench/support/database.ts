import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { cloneDatabase, createMigratedDatabase, dropDatabases, withAdmin } from '../../test/support/databases';
import type { BenchSettings } from './settings';

/** The bench's own connections call themselves this, so what they cost PostgreSQL is counted apart from the service's. */
export const BENCH_APPLICATION_NAME = 'notifier-bench';

/** A scenario's own database, with a small pool for the bench's own queries. */
export class BenchDatabase {
  readonly pool: Pool;

  constructor(
    readonly name: string,
    readonly url: string,
  ) {
    this.pool = new Pool({ connectionString: url, max: 4, application_name: BENCH_APPLICATION_NAME });
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
 * (CREATE DATABASE … TEMPLATE, test/support/databases.ts, as the test files get theirs), so every scenario
 * starts from the same empty, migrated schema.
 */
export class BenchDatabases {
  private readonly created = new Set<string>();
  private readonly template: string;

  constructor(private readonly settings: BenchSettings) {
    if (!/^[a-z_][a-z0-9_]*$/.test(settings.databasePrefix)) throw new Error(`bad database prefix ${settings.databasePrefix}`);
    this.template = `${settings.databasePrefix}_template`;
  }

  async prepareTemplate(): Promise<void> {
    await createMigratedDatabase(this.settings.pgUrl, this.template, { replace: true });
  }

  async create(label: string): Promise<BenchDatabase> {
    const name = `${this.settings.databasePrefix}_${label.replace(/[^a-z0-9]+/g, '_')}`;
    const url = await cloneDatabase(this.settings.pgUrl, this.template, name, { replace: true });
    this.created.add(name);
    return new BenchDatabase(name, url);
  }

  async drop(db: BenchDatabase): Promise<void> {
    await db.close().catch(() => undefined);
    if (this.settings.keepDatabases) return;
    await dropDatabases(this.settings.pgUrl, [db.name]);
    this.created.delete(db.name);
  }

  async dispose(): Promise<void> {
    if (this.settings.keepDatabases) return;
    await dropDatabases(this.settings.pgUrl, [...this.created, this.template]);
    this.created.clear();
  }
}

/**
 * The server's version and the glibc malloc settings (`MALLOC_*`) it runs with, on one connection. The settings change
 * PostgreSQL's CPU per statement by 10–30% here (decision 0062). They are read from the postmaster's environment:
 * a backend inherits it but writes its process title over its own copy. Only where the server runs on this machine
 * and its processes are readable to the bench.
 */
export async function postgresServer(settings: BenchSettings): Promise<{ version: string; malloc: string }> {
  const local = ['127.0.0.1', 'localhost', '[::1]', ''].includes(new URL(settings.pgUrl).hostname);
  return withAdmin(settings.pgUrl, async (c) => {
    const { version, pid } = (await c.query<{ version: string; pid: number }>(`SELECT current_setting('server_version') AS version, pg_backend_pid() AS pid`)).rows[0];
    // Read while the connection is open: its backend process ends with it.
    return { version, malloc: local ? mallocSettings(pid) : 'unknown (server on another host)' };
  });
}

function mallocSettings(backendPid: number): string {
  try {
    if (readFileSync(`/proc/${backendPid}/comm`, 'utf8').trim() !== 'postgres') return 'unknown (server in another namespace)';
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm is "postgres", without spaces or parentheses.
    const postmaster = readFileSync(`/proc/${backendPid}/stat`, 'utf8').split(' ')[3];
    const malloc = readFileSync(`/proc/${postmaster}/environ`, 'utf8')
      .split('\0')
      .filter((entry) => entry.startsWith('MALLOC_'));
    return malloc.length > 0 ? malloc.join(' ') : "glibc's defaults";
  } catch {
    return 'unknown (server process not readable)';
  }
}
