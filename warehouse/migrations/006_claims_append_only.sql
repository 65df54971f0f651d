-- Claims are loaded in bulk by one writer that anti-joins on claim_id, so the primary key and the two
-- ART indexes of 001 only slowed every load (index maintenance was most of the insert time: ~0.45 M
-- rows/s with them, several M rows/s without). Uniqueness stays guaranteed by the anti-join in
-- warehouse/load.py; DuckDB's zone maps serve the article_id and kind filters. DuckDB cannot drop a
-- primary key in place, so the table is rebuilt (same columns and NOT NULL constraints).
DROP INDEX IF EXISTS claims_article_id;
DROP INDEX IF EXISTS claims_kind;
CREATE TABLE claims_rebuilt (
    claim_id          VARCHAR NOT NULL,
    article_id        VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,
    munition          VARCHAR,
    party             VARCHAR,
    subject           VARCHAR,
    subject_surface   VARCHAR,
    subject_known     BOOLEAN NOT NULL,
    value_low         DOUBLE,
    value_high        DOUBLE,
    qualifier         VARCHAR,
    value_text        VARCHAR,
    when_start        VARCHAR,
    when_end          VARCHAR,
    when_text         VARCHAR,
    when_precision    VARCHAR,
    speaker           VARCHAR,
    speaker_surface   VARCHAR,
    organisation      VARCHAR,
    side              VARCHAR,
    hedge             VARCHAR,
    sentence          VARCHAR NOT NULL,
    sentence_start    INTEGER NOT NULL,
    span_start        INTEGER NOT NULL,
    span_end          INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL,
    run_id            VARCHAR NOT NULL,
    loaded_at         TIMESTAMP NOT NULL
);
INSERT INTO claims_rebuilt SELECT * FROM claims;
DROP TABLE claims;
ALTER TABLE claims_rebuilt RENAME TO claims;
