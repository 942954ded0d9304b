-- ~300,000 notifications over 30 days (the retention period), for the list-filter plans in
-- docs/list-filter-plans.md. Run on a migrated scratch database: psql -d <scratch> -f seed.sql
-- Distributions are those of an airline's month: most messages delivered or read, few failures, a few types
-- and channels rare (a diversion, partner webhooks), ~100 messages per flight, ~3 per booking.
SELECT setseed(0.42);
INSERT INTO notifications (dedupe_key, type, channel, status, booking_reference, passenger_id, flight_key, locale,
                           recipient, context, content, event_source, event_id, attempts, due_at, provider_message_id,
                           last_error_code, last_error, created_at, updated_at)
SELECT 'seed-' || g,
       t.type, c.channel, s.status,
       upper(substr(md5((g / 3)::text), 1, 6)),
       'P' || (g % 2 + 1),
       'KL' || (1000 + (g / 100) % 100) || '-' || to_char(date '2026-11-01' + ((g / 10000) % 30), 'YYYY-MM-DD'),
       'en',
       CASE WHEN c.channel = 'email' THEN 'p' || g || '@example.com' ELSE '+3161' || lpad((g % 10000000)::text, 7, '0') END,
       jsonb_build_object('passenger', jsonb_build_object('givenName', 'Given' || g, 'surname', 'Surname' || g),
                          'flight', jsonb_build_object('number', 'KL' || (1000 + g % 100), 'gate', 'D' || g % 80)),
       jsonb_build_object('text', repeat('Your flight news, rendered in your language. ', 8)),
       '/booking', 'evt-' || g, 1, created, CASE WHEN s.status IN ('sent', 'delivered', 'read') THEN 'pm-' || g END,
       CASE WHEN s.status = 'failed' THEN (ARRAY['131026', '21211', '550', 'timeout'])[1 + g % 4] END,
       CASE WHEN s.status = 'failed' THEN 'provider refused the message' END,
       created, created
  FROM generate_series(1, 300000) AS g
 CROSS JOIN LATERAL (SELECT timestamptz '2026-11-30 00:00Z' - (g::float8 / 300000) * interval '30 days' AS created,
                            random() AS rt, random() AS rc, random() AS rs) r
 CROSS JOIN LATERAL (SELECT CASE WHEN rt < 0.30 THEN 'booking-confirmation' WHEN rt < 0.45 THEN 'checkin-open'
                                 WHEN rt < 0.57 THEN 'boarding-pass' WHEN rt < 0.72 THEN 'flight-delay'
                                 WHEN rt < 0.82 THEN 'gate-change' WHEN rt < 0.90 THEN 'boarding-started'
                                 WHEN rt < 0.93 THEN 'baggage-belt' WHEN rt < 0.96 THEN 'itinerary-change'
                                 WHEN rt < 0.98 THEN 'booking-cancellation' WHEN rt < 0.9995 THEN 'flight-cancellation'
                                 ELSE 'flight-diversion' END AS type) t
 CROSS JOIN LATERAL (SELECT CASE WHEN rc < 0.50 THEN 'whatsapp' WHEN rc < 0.80 THEN 'email'
                                 WHEN rc < 0.98 THEN 'sms' ELSE 'webhook' END AS channel) c
 CROSS JOIN LATERAL (SELECT CASE WHEN rs < 0.55 THEN 'delivered' WHEN rs < 0.80 THEN 'read' WHEN rs < 0.92 THEN 'sent'
                                 WHEN rs < 0.95 THEN 'failed' WHEN rs < 0.98 THEN 'superseded' WHEN rs < 0.995 THEN 'cancelled'
                                 WHEN rs < 0.999 THEN 'pending' ELSE 'sending' END AS status) s;
VACUUM ANALYZE notifications;
