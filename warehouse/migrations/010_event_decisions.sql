-- 010_event_decisions: which event each report tells of (extractors/events.py), what the run did with it, and
-- reviewers' overrides. Written by warehouse/events.py only. Every TIMESTAMP is naive UTC.

-- One row per (story, article): the latest decision. A report judged to tell of another event is dropped: it has
-- no row in articles and no claims for the story; `action` says what the run did (a reviewer's override applied).
CREATE TABLE event_decisions (
    story             VARCHAR NOT NULL,
    article_id        VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    verdict           VARCHAR NOT NULL CHECK (verdict IN ('story', 'other', 'unknown')),
    action            VARCHAR NOT NULL CHECK (action IN ('keep', 'drop')),
    override          VARCHAR CHECK (override IN ('keep', 'drop')),
    inferred          VARCHAR,          -- the other event's date or year the text gives, when found
    won_by            VARCHAR NOT NULL, -- which evidence decided, with the weights for and against
    reason            VARCHAR NOT NULL, -- one line for a reviewer
    evidence_for      VARCHAR[] NOT NULL,
    evidence_against  VARCHAR[] NOT NULL,
    other_paragraphs  INTEGER[] NOT NULL, -- blocks of text (1-based) whose figures were left out as another event's
    url               VARCHAR,
    title             VARCHAR,
    published         VARCHAR,
    source            VARCHAR,
    run_id            VARCHAR NOT NULL,
    decided_at        TIMESTAMP NOT NULL,
    PRIMARY KEY (story, article_id)
);

-- A reviewer's word on a report: keep it as the story's (with all its figures) or drop it, whatever the text says.
-- Honoured by every later run; the latest one per (story, article) counts.
CREATE TABLE event_overrides (
    story      VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    action     VARCHAR NOT NULL CHECK (action IN ('keep', 'drop')),
    reviewer   VARCHAR NOT NULL,
    note       VARCHAR,
    at_ts      TIMESTAMP NOT NULL,
    PRIMARY KEY (story, article_id)
);
