-- The read API's list statement (NotificationQueryRepository.find: filters, newest first, first page of 50)
-- and the replay dry-run count (NotificationQueryRepository.count), one per filter operators use.
-- Values are literals here; the service sends them as parameters ($n), planned the same way (custom plans).
\set list 'SELECT *, (extract(epoch FROM created_at) * 1000000)::bigint::text AS created_micros FROM notifications'
\set page 'ORDER BY created_at DESC, id DESC LIMIT 50'
\echo '### no filter'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) :list :page;
\echo '### type = booking-confirmation (30% of rows)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) :list WHERE type = 'booking-confirmation' :page;
\echo '### type = flight-diversion (0.05% of rows)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) :list WHERE type = 'flight-diversion' :page;
\echo '### channel = whatsapp (50%)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) :list WHERE channel = 'whatsapp' :page;
\echo '### channel = webhook (2%)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) :list WHERE channel = 'webhook' :page;
\echo '### channel with no rows (webhook where no partner is configured)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) :list WHERE channel = 'none' :page;
\echo '### status = failed (3%)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) :list WHERE status = 'failed' :page;
\echo '### status = delivered (55%)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) :list WHERE status = 'delivered' :page;
\echo '### status = pending (0.4%)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) :list WHERE status = 'pending' :page;
\echo '### status = sending (0.1%)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) :list WHERE status = 'sending' :page;
\echo '### flight = KL1042-2026-11-20'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) :list WHERE flight_key = 'KL1042-2026-11-20' :page;
\echo '### booking = one booking reference'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) :list WHERE booking_reference = :'booking' :page;
\echo '### time: one hour a week ago'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) :list WHERE created_at >= '2026-11-23 10:00Z' AND created_at < '2026-11-23 11:00Z' :page;
\echo '### type + channel + status: flight-delay on sms, failed'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) :list WHERE type = 'flight-delay' AND channel = 'sms' AND status = 'failed' :page;
\echo '### type + channel: gate-change on webhook'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) :list WHERE type = 'gate-change' AND channel = 'webhook' :page;
\echo '### replay dry run: count failed gate-change in the last day'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT count(*)::int AS n FROM notifications WHERE type = 'gate-change' AND status = 'failed' AND created_at >= '2026-11-29 00:00Z';
\echo '### replay dry run: count failed on whatsapp (default status), all time'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT count(*)::int AS n FROM notifications WHERE channel = 'whatsapp' AND status = 'failed';
\echo '### count: type = flight-diversion'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT count(*)::int AS n FROM notifications WHERE type = 'flight-diversion';
