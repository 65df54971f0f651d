-- 008_discrepancy_views: the same two views as 003 and 005 (same columns, same rows), rewritten so that each
-- reads only the claims, articles and members its conflicting pairs name. The first versions joined the whole
-- claims table four times (and articles with their text twice), a cost that grew with every story's size
-- however few discrepancies there were; every run and every report reads these views.

CREATE OR REPLACE VIEW discrepancies AS
WITH conflicts AS (
    SELECT * FROM fact_relations WHERE relation = 'conflict'
),
sides AS (
    SELECT * FROM claims
    WHERE claim_id IN (SELECT claim_a FROM conflicts UNION ALL SELECT claim_b FROM conflicts)
),
side_articles AS (
    SELECT article_id, outlet, published FROM articles WHERE article_id IN (SELECT article_id FROM sides)
),
side_members AS (
    SELECT fact_id, claim_id, first_seen FROM fact_members
    WHERE claim_id IN (SELECT claim_id FROM sides)
)
SELECT
    r.relation_id,
    r.fact_id,
    f.story,
    f.kind,
    f.subject,
    f.party,
    f.munition,
    r.scope,
    r.low_a AS value_low_a,
    r.high_a AS value_high_a,
    ca.value_text AS value_text_a,
    r.low_b AS value_low_b,
    r.high_b AS value_high_b,
    cb.value_text AS value_text_b,
    ca.speaker AS speaker_a,
    cb.speaker AS speaker_b,
    r.side_a,
    r.side_b,
    r.group_a,
    r.group_b,
    aa.outlet AS outlet_a,
    ab.outlet AS outlet_b,
    r.voice_a,
    r.voice_b,
    aa.published AS published_a,
    ab.published AS published_b,
    ma.first_seen AS first_seen_a,
    mb.first_seen AS first_seen_b,
    ca.sentence AS sentence_a,
    cb.sentence AS sentence_b,
    ca.span_start AS span_start_a,
    ca.span_end AS span_end_a,
    cb.span_start AS span_start_b,
    cb.span_end AS span_end_b,
    r.claim_a,
    r.claim_b,
    r.run_id
FROM conflicts AS r
JOIN facts AS f ON f.fact_id = r.fact_id
LEFT JOIN side_members AS ma ON ma.fact_id = r.fact_id AND ma.claim_id = r.claim_a
LEFT JOIN side_members AS mb ON mb.fact_id = r.fact_id AND mb.claim_id = r.claim_b
LEFT JOIN sides AS ca ON ca.claim_id = r.claim_a
LEFT JOIN sides AS cb ON cb.claim_id = r.claim_b
LEFT JOIN side_articles AS aa ON aa.article_id = ca.article_id
LEFT JOIN side_articles AS ab ON ab.article_id = cb.article_id;

CREATE OR REPLACE VIEW discrepancy_review AS
WITH found AS (
    SELECT * FROM discrepancies
),
side_claims AS (
    SELECT * FROM claims WHERE claim_id IN (SELECT claim_a FROM found UNION ALL SELECT claim_b FROM found)
),
side_articles AS (
    SELECT article_id, text, url, title FROM articles WHERE article_id IN (SELECT article_id FROM side_claims)
),
sides AS (
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
    FROM found AS d
    LEFT JOIN side_claims AS ca ON ca.claim_id = d.claim_a
    LEFT JOIN side_claims AS cb ON cb.claim_id = d.claim_b
    LEFT JOIN side_articles AS aa ON aa.article_id = ca.article_id
    LEFT JOIN side_articles AS ab ON ab.article_id = cb.article_id
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
