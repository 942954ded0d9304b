/**
 * Every session reads committed data whatever the server's or database's default (a serializable default
 * would make concurrent ingest fail with serialization errors the code does not retry). Set once per
 * connection rather than per transaction: TypeORM turns `transaction('READ COMMITTED', …)` into a second
 * statement, `SET TRANSACTION ISOLATION LEVEL`, one more round trip for every ingest transaction.
 * Options in DATABASE_URL itself take the place of these.
 */
export const SESSION_OPTIONS = '-c default_transaction_isolation=read\\ committed';
