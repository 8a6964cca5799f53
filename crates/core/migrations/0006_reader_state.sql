-- Where the reader was in each paper: the page shown last and the zoom, so that opening the
-- paper again goes back there. One row per paper (not per version: a newer version of a paper
-- opens where the older one was left); gone with the paper.
--
-- zoom: CSS pixels per PDF point; NULL means "fit the width of the window".
CREATE TABLE reader_state (
    paper_id   TEXT PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
    page       INTEGER NOT NULL CHECK (page >= 1),
    zoom       REAL CHECK (zoom IS NULL OR zoom > 0),
    updated_at TEXT NOT NULL
);
