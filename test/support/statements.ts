import { EntityManager, type DataSource } from 'typeorm';

/** A statement as the service sent it through an EntityManager. */
export interface SentStatement {
  sql: string;
  parameters: unknown[];
}

/** One node of an `EXPLAIN (FORMAT JSON)` plan, as far as the tests read it. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Runs `work` while every statement sent through an EntityManager is shown to `seen` first. */
export async function watchingStatements<T>(seen: (sql: string, parameters: unknown[]) => void, work: () => Promise<T>): Promise<T> {
  const original = EntityManager.prototype.query;
  const query = jest.spyOn(EntityManager.prototype, 'query').mockImplementation(function (this: EntityManager, sql: string, parameters?: Parameters<EntityManager['query']>[1]) {
    seen(sql, Array.isArray(parameters) ? parameters : []);
    return original.call(this, sql, parameters);
  });
  try {
    return await work();
  } finally {
    query.mockRestore();
  }
}

/** Every node of the plan PostgreSQL makes for `statement`, depth first: EXPLAIN alone plans it without running it. */
export async function planNodes(db: DataSource, statement: SentStatement): Promise<PlanNode[]> {
  const [row] = (await db.query(`EXPLAIN (FORMAT JSON) ${statement.sql}`, statement.parameters)) as { 'QUERY PLAN': { Plan: PlanNode }[] }[];
  const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
  return nodes(row['QUERY PLAN'][0].Plan);
}

/** The tables a plan reads whole. */
export const sequentiallyScanned = (plan: PlanNode[]): string[] =>
  plan.flatMap((n) => (n['Node Type'] === 'Seq Scan' && n['Relation Name'] ? [n['Relation Name']] : []));
