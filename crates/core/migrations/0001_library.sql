-- Papers, their stored versions, page texts and passages.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE papers (
    id             TEXT PRIMARY KEY,
    title          TEXT NOT NULL,
    date           TEXT,
    date_precision TEXT CHECK (date_precision IN ('year', 'month', 'day')),
    arxiv_id       TEXT,
    authors        TEXT NOT NULL DEFAULT '[]',
    in_catalog     INTEGER NOT NULL DEFAULT 0,
    source_url     TEXT,
    source_sha256  TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX papers_arxiv ON papers (arxiv_id);

CREATE TABLE versions (
    sha256            TEXT PRIMARY KEY,
    paper_id          TEXT NOT NULL REFERENCES papers (id),
    pages             INTEGER NOT NULL,
    imported_at       TEXT NOT NULL,
    -- When the PDF says it was made (info dictionary), ISO; orders versions of a paper.
    created           TEXT,
    file_name         TEXT NOT NULL,
    size              INTEGER NOT NULL,
    extractor         TEXT NOT NULL,
    extractor_version TEXT NOT NULL,
    info_title        TEXT,
    info_author       TEXT
);
CREATE INDEX versions_paper ON versions (paper_id);

CREATE TABLE pages (
    version_sha256 TEXT NOT NULL REFERENCES versions (sha256) ON DELETE CASCADE,
    page           INTEGER NOT NULL,
    text           TEXT NOT NULL,
    PRIMARY KEY (version_sha256, page)
);

CREATE TABLE passages (
    id             INTEGER PRIMARY KEY,
    version_sha256 TEXT NOT NULL REFERENCES versions (sha256) ON DELETE CASCADE,
    page           INTEGER NOT NULL,
    start          INTEGER NOT NULL,
    end            INTEGER NOT NULL,
    text           TEXT NOT NULL
);
CREATE INDEX passages_version_page ON passages (version_sha256, page);

-- Files that failed to import, kept so the UI can list them with their reason.
CREATE TABLE import_failures (
    path      TEXT PRIMARY KEY,
    reason    TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
