-- 005_review: reviewers' verdicts on discrepancies, written only by reports/review.py (record_verdict), and
-- the view that joins each current discrepancy to its latest verdict. Every TIMESTAMP is naive UTC.
--
-- A verdict is keyed by the discrepancy's content, not by run or relation ids, so it survives re-runs:
--   side          = article_id, the claim's value (numbers to 3 decimals, or the event time's start..end),
--                   and the canonical speaker, joined by chr(31)
--   discrepancy_key = first 16 hex of sha256(story, kind, subject, party, munition, the two sides sorted),
--                   joined by chr(30); NULL parts are ''
--   evidence_hash = first 16 hex of sha256 of each side's sentence, value as written and claimed words
--                   (articles.text[span_start:span_end]), in the sides' sorted order
-- reports/review.py mirrors both in Python (discrepancy_key, evidence_hash); a test keeps them equal.
-- A verdict whose evidence_hash differs from the discrepancy's current one means the evidence changed
-- (say, a new extractor version reads the sentence differently): review_state 'changed', re-review it.

CREATE TABLE review_verdicts (
    verdict_id      VARCHAR PRIMARY KEY,
    discrepancy_key VARCHAR NOT NULL,
    evidence_hash   VARCHAR NOT NULL,
    story           VARCHAR NOT NULL,
    verdict         VARCHAR NOT NULL CHECK (verdict IN ('real', 'extraction_error', 'resolved')),
    note            VARCHAR,
    reviewer        VARCHAR NOT NULL,
    reviewed_at     TIMESTAMP NOT NULL,
    relation_id     VARCHAR,
    claim_a         VARCHAR,
    claim_b         VARCHAR,
    run_id          VARCHAR
);

CREATE INDEX review_verdicts_key ON review_verdicts (discrepancy_key);
CREATE INDEX review_verdicts_story ON review_verdicts (story);

CREATE VIEW discrepancy_review AS
WITH sides AS (
    SELECT
        d.*,
        ca.article_id AS article_id_a,
        cb.article_id AS article_id_b,
        ca.sentence_start AS sentence_start_a,
        cb.sentence_start AS sentence_start_b,
        substring(aa.text, d.span_start_a + 1, d.span_end_a - d.span_start_a) AS words_a,
        substring(ab.text, d.span_start_b + 1, d.span_end_b - d.span_start_b) AS words_b,
        ca.hedge AS hedge_a,
        cb.hedge AS hedge_b,
        ca.when_text AS when_text_a,
        cb.when_text AS when_text_b,
        aa.url AS url_a,
        ab.url AS url_b,
        aa.title AS title_a,
        ab.title AS title_b,
        ca.extractor_version AS extractor_version_a,
        cb.extractor_version AS extractor_version_b,
        concat_ws(chr(31), coalesce(ca.article_id, ''),
                  CASE WHEN ca.value_low IS NOT NULL
                       THEN printf('%.3f', ca.value_low) || '..' || coalesce(printf('%.3f', ca.value_high), '')
                       ELSE coalesce(ca.when_start, '') || '..' || coalesce(ca.when_end, '') END,
                  coalesce(ca.speaker, '')) AS side_key_a,
        concat_ws(chr(31), coalesce(cb.article_id, ''),
                  CASE WHEN cb.value_low IS NOT NULL
                       THEN printf('%.3f', cb.value_low) || '..' || coalesce(printf('%.3f', cb.value_high), '')
                       ELSE coalesce(cb.when_start, '') || '..' || coalesce(cb.when_end, '') END,
                  coalesce(cb.speaker, '')) AS side_key_b
    FROM discrepancies AS d
    LEFT JOIN claims AS ca ON ca.claim_id = d.claim_a
    LEFT JOIN claims AS cb ON cb.claim_id = d.claim_b
    LEFT JOIN articles AS aa ON aa.article_id = ca.article_id
    LEFT JOIN articles AS ab ON ab.article_id = cb.article_id
),
evidence AS (
    SELECT
        s.*,
        concat_ws(chr(31), coalesce(s.sentence_a, ''), coalesce(s.value_text_a, ''), coalesce(s.words_a, ''))
            AS evidence_a,
        concat_ws(chr(31), coalesce(s.sentence_b, ''), coalesce(s.value_text_b, ''), coalesce(s.words_b, ''))
            AS evidence_b
    FROM sides AS s
),
keyed AS (
    SELECT
        e.*,
        left(sha256(concat_ws(chr(30), e.story, e.kind, coalesce(e.subject, ''), coalesce(e.party, ''),
                              coalesce(e.munition, ''), least(e.side_key_a, e.side_key_b),
                              greatest(e.side_key_a, e.side_key_b))), 16) AS discrepancy_key,
        left(sha256(CASE WHEN e.side_key_a <= e.side_key_b THEN e.evidence_a || chr(30) || e.evidence_b
                         ELSE e.evidence_b || chr(30) || e.evidence_a END), 16) AS evidence_hash
    FROM evidence AS e
),
latest AS (
    SELECT *
    FROM review_verdicts
    QUALIFY row_number() OVER (PARTITION BY discrepancy_key ORDER BY reviewed_at DESC, verdict_id DESC) = 1
)
SELECT
    k.discrepancy_key,
    k.evidence_hash,
    CASE
        WHEN v.verdict_id IS NULL THEN 'new'
        WHEN v.evidence_hash = k.evidence_hash THEN 'reviewed'
        ELSE 'changed'
    END AS review_state,
    v.verdict,
    v.note,
    v.reviewer,
    v.reviewed_at,
    v.evidence_hash AS reviewed_evidence_hash,
    v.verdict_id,
    k.relation_id,
    k.fact_id,
    k.story,
    k.kind,
    k.subject,
    k.party,
    k.munition,
    k.scope,
    k.value_low_a,
    k.value_high_a,
    k.value_text_a,
    k.value_low_b,
    k.value_high_b,
    k.value_text_b,
    k.when_text_a,
    k.when_text_b,
    k.speaker_a,
    k.speaker_b,
    k.side_a,
    k.side_b,
    k.group_a,
    k.group_b,
    k.outlet_a,
    k.outlet_b,
    k.voice_a,
    k.voice_b,
    k.published_a,
    k.published_b,
    k.first_seen_a,
    k.first_seen_b,
    k.title_a,
    k.title_b,
    k.url_a,
    k.url_b,
    k.hedge_a,
    k.hedge_b,
    k.sentence_a,
    k.sentence_b,
    k.sentence_start_a,
    k.sentence_start_b,
    k.span_start_a,
    k.span_end_a,
    k.span_start_b,
    k.span_end_b,
    k.words_a,
    k.words_b,
    k.article_id_a,
    k.article_id_b,
    k.claim_a,
    k.claim_b,
    k.extractor_version_a,
    k.extractor_version_b,
    k.run_id
FROM keyed AS k
LEFT JOIN latest AS v ON v.discrepancy_key = k.discrepancy_key;
