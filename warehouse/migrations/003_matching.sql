-- 003_matching: cross-referencing results, written only by matching/store.py (store_matches), and the
-- views that read them. Every row carries its story and the run_id of the run that wrote it; a re-run
-- replaces a story's rows in one transaction. Every TIMESTAMP is naive UTC.
-- Values are intervals: value_low NULL = the claim has no number; value_high NULL with value_low set =
-- open above ("more than a dozen" = [13, NULL]). For kind event_time, values are minutes since
-- 1970-01-01 UTC.

CREATE TABLE match_voices (
    story        VARCHAR NOT NULL,
    article_id   VARCHAR NOT NULL,
    voice_id     VARCHAR NOT NULL,
    original_id  VARCHAR NOT NULL,
    signal       VARCHAR NOT NULL,
    containment  DOUBLE,
    run_id       VARCHAR NOT NULL,
    matched_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (story, article_id)
);

CREATE TABLE match_entities (
    story      VARCHAR NOT NULL,
    surface    VARCHAR NOT NULL,
    canonical  VARCHAR NOT NULL,
    known      BOOLEAN NOT NULL,
    method     VARCHAR NOT NULL,
    score      DOUBLE NOT NULL,
    run_id     VARCHAR NOT NULL,
    matched_at TIMESTAMP NOT NULL,
    PRIMARY KEY (story, surface)
);

CREATE TABLE facts (
    fact_id    VARCHAR PRIMARY KEY,
    story      VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,
    subject    VARCHAR,
    party      VARCHAR,
    munition   VARCHAR,
    claims     INTEGER NOT NULL,
    voices     INTEGER NOT NULL,
    run_id     VARCHAR NOT NULL,
    matched_at TIMESTAMP NOT NULL
);

CREATE INDEX facts_story ON facts (story);

CREATE TABLE fact_members (
    fact_id          VARCHAR NOT NULL,
    claim_id         VARCHAR NOT NULL,
    story            VARCHAR NOT NULL,
    article_id       VARCHAR NOT NULL,
    voice_id         VARCHAR NOT NULL,
    side             VARCHAR,
    side_source      VARCHAR NOT NULL,
    comparison_group VARCHAR NOT NULL,
    value_low        DOUBLE,
    value_high       DOUBLE,
    published        TIMESTAMP,
    first_seen       TIMESTAMP,
    node             INTEGER NOT NULL,
    step             INTEGER,
    representative   BOOLEAN NOT NULL,
    role             VARCHAR NOT NULL,
    run_id           VARCHAR NOT NULL,
    matched_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (fact_id, claim_id)
);

CREATE INDEX fact_members_story ON fact_members (story);

CREATE TABLE fact_relations (
    relation_id VARCHAR PRIMARY KEY,
    fact_id     VARCHAR NOT NULL,
    story       VARCHAR NOT NULL,
    claim_a     VARCHAR NOT NULL,
    claim_b     VARCHAR NOT NULL,
    relation    VARCHAR NOT NULL,
    level       VARCHAR NOT NULL,
    level_rank  INTEGER NOT NULL,
    scope       VARCHAR NOT NULL,
    group_a     VARCHAR NOT NULL,
    group_b     VARCHAR NOT NULL,
    side_a      VARCHAR,
    side_b      VARCHAR,
    voice_a     VARCHAR NOT NULL,
    voice_b     VARCHAR NOT NULL,
    low_a       DOUBLE,
    high_a      DOUBLE,
    low_b       DOUBLE,
    high_b      DOUBLE,
    run_id      VARCHAR NOT NULL,
    matched_at  TIMESTAMP NOT NULL
);

CREATE INDEX fact_relations_story ON fact_relations (story);
CREATE INDEX fact_relations_fact ON fact_relations (fact_id);

CREATE TABLE fact_verdicts (
    fact_id         VARCHAR PRIMARY KEY,
    story           VARCHAR NOT NULL,
    verdict         VARCHAR NOT NULL,
    consensus_low   DOUBLE,
    consensus_high  DOUBLE,
    spread_low      DOUBLE,
    spread_high     DOUBLE,
    voices          INTEGER NOT NULL,
    sides           INTEGER NOT NULL,
    conflicts       INTEGER NOT NULL,
    updates         INTEGER NOT NULL,
    current_by_side JSON NOT NULL,
    explanation     VARCHAR NOT NULL,
    run_id          VARCHAR NOT NULL,
    matched_at      TIMESTAMP NOT NULL
);

CREATE INDEX fact_verdicts_story ON fact_verdicts (story);

-- Marts --------------------------------------------------------------------------------------------

CREATE VIEW discrepancies AS
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
FROM fact_relations AS r
JOIN facts AS f ON f.fact_id = r.fact_id
LEFT JOIN fact_members AS ma ON ma.fact_id = r.fact_id AND ma.claim_id = r.claim_a
LEFT JOIN fact_members AS mb ON mb.fact_id = r.fact_id AND mb.claim_id = r.claim_b
LEFT JOIN claims AS ca ON ca.claim_id = r.claim_a
LEFT JOIN claims AS cb ON cb.claim_id = r.claim_b
LEFT JOIN articles AS aa ON aa.article_id = ca.article_id
LEFT JOIN articles AS ab ON ab.article_id = cb.article_id
WHERE r.relation = 'conflict';

CREATE VIEW fact_consensus AS
SELECT
    f.fact_id,
    f.story,
    f.kind,
    f.subject,
    f.party,
    f.munition,
    v.verdict,
    v.consensus_low,
    v.consensus_high,
    v.spread_low,
    v.spread_high,
    v.voices,
    v.sides,
    f.claims,
    v.conflicts,
    v.updates,
    v.current_by_side,
    v.explanation,
    v.run_id
FROM facts AS f
JOIN fact_verdicts AS v ON v.fact_id = f.fact_id;

CREATE VIEW fact_timeline AS
SELECT
    m.fact_id,
    f.story,
    f.kind,
    f.subject,
    f.party,
    f.munition,
    m.comparison_group,
    m.side,
    m.step,
    m.step = max(m.step) OVER (PARTITION BY m.fact_id, m.comparison_group) AS latest,
    m.value_low,
    m.value_high,
    c.value_text,
    m.first_seen,
    m.role,
    c.speaker,
    a.outlet,
    m.voice_id,
    m.claim_id,
    m.run_id
FROM fact_members AS m
JOIN facts AS f ON f.fact_id = m.fact_id
LEFT JOIN claims AS c ON c.claim_id = m.claim_id
LEFT JOIN articles AS a ON a.article_id = c.article_id
WHERE m.representative AND m.step IS NOT NULL;
