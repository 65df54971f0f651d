-- 012_fetch_requests: a fetches row per HTTP request tried, not per URL (sources/http.py FetchResult.requests):
-- each retry, each redirect hop and the robots.txt requests a fetch needed, plus one row for each URL not sent
-- because its host was given up (sources/adapters/base.py). Rows loaded before this migration were one per
-- URL fetched: they read as purpose 'url', attempt 1, hop 0.
--   purpose  url | robots | skipped (nothing sent: the host stopped answering earlier in the run)
--   attempt  1-based attempt of the URL the request belongs to; 0 when nothing was sent
--   hop      0 = the URL itself, n = the n-th redirect followed (its URL is hop n-1's final_url)
ALTER TABLE fetches ADD COLUMN purpose VARCHAR DEFAULT 'url';
ALTER TABLE fetches ADD COLUMN attempt INTEGER DEFAULT 1;
ALTER TABLE fetches ADD COLUMN hop INTEGER DEFAULT 0;
