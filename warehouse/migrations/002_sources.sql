-- 002_sources: what discovery (sources/discover.py) decided, written only by warehouse/sources_load.py.
-- Every TIMESTAMP is naive UTC; every row carries the run_id of the run that loaded it.

CREATE TABLE candidates (
    candidate_id VARCHAR PRIMARY KEY,
    run_id       VARCHAR NOT NULL,
    story        VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    url          VARCHAR,
    article_id   VARCHAR,
    outlet       VARCHAR,
    title        VARCHAR,
    published    VARCHAR,
    decision     VARCHAR NOT NULL CHECK (decision IN ('keep', 'drop')),
    reason       VARCHAR NOT NULL,
    relevance    DOUBLE,
    decided_at   TIMESTAMP NOT NULL
);

CREATE INDEX candidates_run_id ON candidates (run_id);
CREATE INDEX candidates_article_id ON candidates (article_id);

CREATE TABLE source_status (
    run_id  VARCHAR NOT NULL,
    source  VARCHAR NOT NULL,
    status  VARCHAR NOT NULL CHECK (status IN ('ok', 'unreachable', 'skipped', 'failed')),
    reason  VARCHAR,
    reports INTEGER NOT NULL,
    at_ts   TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, source)
);
