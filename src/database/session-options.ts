/**
 * Every session reads committed data whatever the server's or database's default (a serializable default
 * would make concurrent ingest fail with serialization errors the code does not retry). Set once per
 * connection rather than per transaction: TypeORM turns `transaction('READ COMMITTED', …)` into a second
 * statement, `SET TRANSACTION ISOLATION LEVEL`, one more round trip for every ingest transaction.
 *
 * The planner prices a page read out of order at 1.1 rather than PostgreSQL's default 4 (which models a
 * spinning disk with little cache): the service's statements look rows up by key in tables that live in memory
 * or on SSD, the case PostgreSQL's documentation gives 1.1 for (Planner Cost Constants). At 4 a flight's
 * passengers were read by scanning every booking and a flight's pending news by scanning every pending
 * notification (docs/decisions/0043).
 *
 * No JIT compilation: PostgreSQL compiles a statement whose estimated cost passes jit_above_cost, which "is beneficial
 * primarily for long-running CPU-bound queries … For short queries the added overhead of performing JIT compilation
 * will often be higher than the time it can save" (the manual, When to JIT?). The service's statements are short
 * lookups by key whose estimates can still be high: erasure's check whether another booking names a contact took
 * 0.5 ms to run and 266 ms to compile on a million passengers (docs/decisions/0055).
 *
 * Options in DATABASE_URL itself take the place of these.
 */
export const SESSION_OPTIONS = '-c default_transaction_isolation=read\\ committed -c random_page_cost=1.1 -c jit=off';
