-- 009_file_manifest: what each local file a story's collection read gave, keyed by what the file system says of
-- it, so a re-run reads only new and changed files (sources/manifest.py). Written only by
-- sources/manifest.py (store_manifest, called by crosscheck.jobs.store_audit after the file's copy is stored);
-- a file's row is replaced when it is read again and deleted when the file is gone. An article's text is not
-- kept here: it is the stored article's (articles.text), used only while its md5 is the file's.

CREATE TABLE file_manifest (
    story       VARCHAR NOT NULL,
    path        VARCHAR NOT NULL,
    size        BIGINT NOT NULL,
    mtime_ns    BIGINT NOT NULL,
    ctime_ns    BIGINT NOT NULL,
    inode       BIGINT NOT NULL,
    sidecar     VARCHAR,
    reader      VARCHAR NOT NULL,
    article_id  VARCHAR,
    text_md5    VARCHAR,
    title       VARCHAR,
    outlet      VARCHAR,
    published   VARCHAR,
    url         VARCHAR,
    byline      VARCHAR,
    date_signal VARCHAR,
    stage       VARCHAR,
    reason      VARCHAR,
    run_id      VARCHAR NOT NULL,
    seen_at     TIMESTAMP NOT NULL
);
