-- Annotations (anchored passages), claims, evidence links and the timeline.
CREATE TABLE annotations (
    id                TEXT PRIMARY KEY,
    version_sha256    TEXT NOT NULL REFERENCES versions (sha256),
    page              INTEGER NOT NULL,
    exact             TEXT NOT NULL CHECK (length(exact) > 0),
    prefix            TEXT NOT NULL,
    suffix            TEXT NOT NULL,
    start             INTEGER NOT NULL,
    end               INTEGER NOT NULL,
    extractor         TEXT NOT NULL,
    extractor_version TEXT NOT NULL,
    note              TEXT NOT NULL DEFAULT '',
    tags              TEXT NOT NULL DEFAULT '[]',
    color             TEXT NOT NULL DEFAULT 'yellow',
    orphaned          INTEGER NOT NULL DEFAULT 0,
    origin            TEXT NOT NULL DEFAULT 'user',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX annotations_version_page ON annotations (version_sha256, page);

CREATE TABLE claims (
    id             TEXT PRIMARY KEY,
    text           TEXT NOT NULL CHECK (length(trim(text)) > 0),
    claimant       TEXT NOT NULL DEFAULT '',
    date           TEXT,
    date_precision TEXT CHECK (date_precision IN ('year', 'month', 'day')),
    source         TEXT NOT NULL DEFAULT '',
    tags           TEXT NOT NULL DEFAULT '[]',
    origin         TEXT NOT NULL DEFAULT 'user',
    created_at     TEXT NOT NULL
);

CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY,
    claim_id      TEXT NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    annotation_id TEXT NOT NULL REFERENCES annotations (id),
    stance        TEXT NOT NULL CHECK (stance IN ('supports', 'contradicts', 'context')),
    note          TEXT NOT NULL DEFAULT '',
    origin        TEXT NOT NULL DEFAULT 'user',
    created_at    TEXT NOT NULL,
    UNIQUE (claim_id, annotation_id)
);

-- Catalog evidence locators: resolved into annotations when their paper is imported.
CREATE TABLE locators (
    claim_id      TEXT NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    paper_id      TEXT NOT NULL REFERENCES papers (id),
    page          INTEGER NOT NULL,
    terms         TEXT NOT NULL,
    stance        TEXT NOT NULL CHECK (stance IN ('supports', 'contradicts', 'context')),
    note          TEXT NOT NULL DEFAULT '',
    annotation_id TEXT REFERENCES annotations (id),
    status        TEXT NOT NULL DEFAULT 'pending',
    PRIMARY KEY (claim_id, seq)
);

-- Suggestions the user rejected, so they are not offered again.
CREATE TABLE dismissed_suggestions (
    claim_id   TEXT NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    passage_id INTEGER NOT NULL,
    PRIMARY KEY (claim_id, passage_id)
);

CREATE TABLE milestones (
    id             TEXT PRIMARY KEY,
    date           TEXT NOT NULL,
    date_precision TEXT NOT NULL CHECK (date_precision IN ('year', 'month', 'day')),
    kind           TEXT NOT NULL CHECK (kind IN ('paper', 'release', 'event', 'claim')),
    title          TEXT NOT NULL,
    papers         TEXT NOT NULL DEFAULT '[]',
    claims         TEXT NOT NULL DEFAULT '[]',
    leads_to       TEXT NOT NULL DEFAULT '[]'
);
