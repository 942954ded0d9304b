/**
 * What an event weighs in an ingest batch, whose bound (INGEST_BATCH_SIZE) is a weight. A flight's news plans a
 * message for every passenger of the flight — hundreds, against a booking's or a check-in's few — so it weighs a
 * whole batch and is applied in a transaction of its own: its plans commit, are handed to this replica's lanes
 * (docs/decisions/0048) and sent while the next flight is planned. In batches of 64 flights a storm sent nothing
 * until a batch's 19,200 plans had committed, and those went to PostgreSQL pending, to be claimed again
 * (docs/decisions/0058).
 */
export function ingestWeight(routingKey: string, maxBatch: number): number {
  return routingKey.startsWith('flight.') ? maxBatch : 1;
}
