-- 007_incremental_matching: what matching keeps between runs so that a run with new reports re-aligns only
-- the facts they touch (matching/incremental.py). Written only by matching/store.py, in the same transaction as
-- the results of 003; every row carries its story and the run_id of the run that wrote it. A story without a
-- match_state row, or whose signature differs from the current one, is matched in full.

CREATE TABLE match_state (
    story      VARCHAR PRIMARY KEY,
    signature  VARCHAR NOT NULL,
    mode       VARCHAR NOT NULL,
    reason     VARCHAR,
    articles   INTEGER NOT NULL,
    claims     INTEGER NOT NULL,
    run_id     VARCHAR NOT NULL,
    matched_at TIMESTAMP NOT NULL
);

-- No keys or indexes below: rows are replaced per story or per fact by one writer, and the lookups filter
-- on story first (DuckDB's zone maps serve them); index maintenance would only slow the full writes.

CREATE TABLE match_sentences (
    story        VARCHAR NOT NULL,
    article_id   VARCHAR NOT NULL,
    sentence_key BIGINT NOT NULL,
    run_id       VARCHAR NOT NULL,
    matched_at   TIMESTAMP NOT NULL
);

CREATE TABLE match_subjects (
    story         VARCHAR NOT NULL,
    subject       VARCHAR NOT NULL,
    surface       VARCHAR,
    subject_known BOOLEAN NOT NULL,
    canonical     VARCHAR NOT NULL,
    known         BOOLEAN NOT NULL,
    method        VARCHAR NOT NULL,
    score         DOUBLE NOT NULL,
    run_id        VARCHAR NOT NULL,
    matched_at    TIMESTAMP NOT NULL
);

CREATE TABLE fact_nodes (
    fact_id          VARCHAR NOT NULL,
    story            VARCHAR NOT NULL,
    key_group        VARCHAR NOT NULL,
    value_low        DOUBLE,
    value_high       DOUBLE,
    first_article_id VARCHAR NOT NULL,
    first_span_start INTEGER NOT NULL,
    first_claim_id   VARCHAR NOT NULL,
    claims           INTEGER NOT NULL,
    earliest         TIMESTAMP,
    rep_claim_id     VARCHAR NOT NULL,
    node             INTEGER NOT NULL,
    comparison_group VARCHAR NOT NULL,
    first_seen       TIMESTAMP,
    step             INTEGER,
    role             VARCHAR NOT NULL,
    representative   VARCHAR NOT NULL,
    run_id           VARCHAR NOT NULL,
    matched_at       TIMESTAMP NOT NULL
);
