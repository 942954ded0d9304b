import type { PoolClient } from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';

/**
 * A statement the hot path sends many times, under a fixed name. Sent without one, PostgreSQL parses and
 * plans it on every call: for the large set-based statements of ingest that costs about as much as running
 * them (0.5–1 ms of planning against 0.9–2 ms of execution on this VM). Named, each connection parses it
 * once, and after five calls PostgreSQL keeps one generic plan. Only for statements whose best plan cannot
 * depend on their parameters or on how large the tables have grown (inserts driven by their own rows): a
 * generic plan made while a table was small, or blind to a LIMIT, stays bad (docs/decisions/0035).
 * The text must be constant: a name stands for one text on every connection.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

export function preparedStatement(name: string, text: string): PreparedStatement {
  return { name, text };
}

/**
 * Runs a prepared statement in the transaction of `m` (on its connection), or, outside a transaction, as
 * an ordinary query. Failures are logged and thrown as TypeORM's, like every other query of the service.
 */
export async function queryPrepared<T>(m: EntityManager, statement: PreparedStatement, values: unknown[]): Promise<T[]> {
  const runner = m.queryRunner;
  if (!runner) return (await m.query(statement.text, values)) as T[];
  const client = (await runner.connect()) as PoolClient;
  try {
    return (await client.query({ name: statement.name, text: statement.text, values })).rows as T[];
  } catch (error) {
    m.connection.logger.logQueryError(error as Error, statement.text, values, runner);
    throw new QueryFailedError(statement.text, values, error as Error);
  }
}
