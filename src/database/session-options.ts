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
 * Options in DATABASE_URL itself take the place of these.
 */
export const SESSION_OPTIONS = '-c default_transaction_isolation=read\\ committed -c random_page_cost=1.1';
