-- Incremental, crash-safe batches: which articles were extracted by which extractor version, and every
-- copy of an article (the same body from another file, outlet or URL).

CREATE TABLE extractions (
    article_id        VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    claims            INTEGER NOT NULL,
    run_id            VARCHAR NOT NULL,
    extracted_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (article_id, extractor_version)
);

CREATE TABLE article_copies (
    copy_id    VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    source     VARCHAR,
    path       VARCHAR,
    url        VARCHAR,
    outlet     VARCHAR,
    title      VARCHAR,
    published  VARCHAR,
    run_id     VARCHAR NOT NULL,
    seen_at    TIMESTAMP NOT NULL
);

CREATE INDEX article_copies_article_id ON article_copies (article_id);
