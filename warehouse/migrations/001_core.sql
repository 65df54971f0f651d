-- 001_core: the raw tables, written only by warehouse/load.py.
-- Every TIMESTAMP is naive UTC; every row carries the run_id of the run that first loaded it.

CREATE TABLE runs (
    run_id       VARCHAR PRIMARY KEY,
    flow_run_id  VARCHAR,
    story        VARCHAR,
    started_at   TIMESTAMP NOT NULL,
    ended_at     TIMESTAMP,
    status       VARCHAR NOT NULL,
    articles_new INTEGER,
    claims_new   INTEGER,
    errors       INTEGER,
    details      JSON
);

CREATE TABLE articles (
    article_id  VARCHAR PRIMARY KEY,
    title       VARCHAR,
    outlet      VARCHAR,
    published   VARCHAR,
    url         VARCHAR,
    byline      VARCHAR,
    source      VARCHAR NOT NULL,
    path        VARCHAR,
    story       VARCHAR,
    date_signal VARCHAR,
    text        VARCHAR NOT NULL,
    chars       INTEGER NOT NULL,
    run_id      VARCHAR NOT NULL,
    loaded_at   TIMESTAMP NOT NULL
);

CREATE TABLE claims (
    claim_id          VARCHAR PRIMARY KEY,
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

CREATE INDEX claims_article_id ON claims (article_id);
CREATE INDEX claims_kind ON claims (kind);

CREATE TABLE errors (
    error_id VARCHAR PRIMARY KEY,
    run_id   VARCHAR NOT NULL,
    input    VARCHAR NOT NULL,
    stage    VARCHAR NOT NULL,
    reason   VARCHAR NOT NULL,
    source   VARCHAR,
    rejected_at TIMESTAMP NOT NULL
);

CREATE INDEX errors_run_id ON errors (run_id);

CREATE TABLE fetches (
    fetch_id     VARCHAR PRIMARY KEY,
    run_id       VARCHAR NOT NULL,
    url          VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    status       INTEGER,
    ok           BOOLEAN NOT NULL,
    bytes        BIGINT NOT NULL,
    elapsed_s    DOUBLE NOT NULL,
    reason       VARCHAR,
    from_cache   BOOLEAN NOT NULL,
    content_type VARCHAR,
    final_url    VARCHAR,
    fetched_at   TIMESTAMP NOT NULL
);

CREATE INDEX fetches_run_id ON fetches (run_id);
CREATE INDEX fetches_url ON fetches (url);
